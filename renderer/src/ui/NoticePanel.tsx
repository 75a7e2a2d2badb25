import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { StationInfo } from '../../../contract/index.js';
import { queryKeys } from '../station/StationContext.js';
import type { Notice } from '../state/intake.js';
import { saysWhatNext, describeError, describeProblem, isCheck } from './describe.js';

/** A refusal or unreadable scan, said in words, with what to do next. */
export function NoticePanel({ notice, onDismiss }: { notice: Notice; onDismiss?: () => void }) {
  const { t, i18n } = useTranslation();
  // Read, not fetched: the header asked for system.info long before any notice.
  const atHub = useQueryClient().getQueryData<StationInfo>(queryKeys.info)?.site === true;
  let title: string;
  let lines: string[];
  if (notice.kind === 'ignored') {
    const key = notice.because === 'closeWhileGrading';
    title = key ? t('intake.keyIgnored.title', { key: notice.code }) : t('intake.scanIgnored.title');
    lines = [t(`intake.scanIgnored.${notice.because}`), ...(key ? [] : [t('scanner.raw', { raw: notice.code })])];
  } else if (notice.kind === 'scanner') {
    title = notice.problems.every((p) => p.kind === 'keys-too-fast') ? t('scanner.keysTitle') : t('scanner.problemTitle');
    // A device's unreadable bytes are not shown: they are not text (the station's log has them described).
    lines = [...notice.problems.map((p) => describeProblem(t, p)), ...(notice.raw ? [t('scanner.raw', { raw: notice.raw })] : [])];
  } else {
    const { text, detail } = describeError(t, (k) => i18n.exists(k), notice.error, atHub);
    title = isCheck(notice.error) ? t('error.checkTitle') : t('error.title');
    lines = [text, ...(detail ? [detail] : [])];
    const scanning = notice.during === 'parcel' || notice.during === 'item';
    if (scanning && !saysWhatNext(notice.error) && notice.error.code !== 'UNAUTHENTICATED') {
      lines.push(t('error.nextStepScan'));
    }
  }
  return (
    <div
      className={`notice ${notice.kind === 'ignored' || (notice.kind === 'error' && isCheck(notice.error)) ? 'notice-warn' : 'notice-error'}`}
      role="alert"
      data-testid="notice"
      data-code={notice.kind === 'error' ? notice.error.code : notice.kind === 'ignored' ? 'IGNORED' : 'SCANNER'}
      data-because={notice.kind === 'ignored' ? notice.because : undefined}
    >
      <div className="notice-body">
        <strong className="notice-title">{title}</strong>
        {lines.map((line, i) => (
          <p key={i} data-testid={i === 0 ? 'notice-text' : undefined}>
            {line}
          </p>
        ))}
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-secondary" onClick={onDismiss} data-testid="notice-dismiss">
          {t('error.dismiss')}
        </button>
      )}
    </div>
  );
}
