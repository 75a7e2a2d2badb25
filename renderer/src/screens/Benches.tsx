// Issue 15 (wt-15r): the site hub's "benches at a glance" for leads and supervisors: every enrolled bench,
// whether the hub hears from it, and what the bench last said of itself (outbox, failed events, devices,
// who is signed in, which rule set it routes by).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BenchGlance } from '../../../contract/index.js';
import { useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { formatDateTime, formatNumber } from '../ui/format.js';
import { NoticePanel } from '../ui/NoticePanel.js';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function Benches() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const station = useStation();
  // A bench counts as offline after the hub's own threshold; polling faster would only repeat the same answer.
  const list = useQuery({ queryKey: ['benches'], queryFn: () => station.call('benches.list', {}), refetchInterval: 10_000 });
  const benches = list.data?.benches ?? [];
  const online = benches.filter((b) => b.online).length;
  const dash = '—';
  const when = (iso: string | null): string => (iso ? formatDateTime(iso, lang) : t('benches.never'));
  const state = (b: BenchGlance) =>
    b.revoked ? (
      <span className="badge">{t('benches.revoked')}</span>
    ) : b.online ? (
      <span className="badge badge-ok">{t('benches.online')}</span>
    ) : (
      <span className="badge badge-bad">{t('benches.offline')}</span>
    );
  return (
    <main className="screen" data-testid="screen-benches">
      <h2 className="screen-title">{t('benches.title')}</h2>
      {list.error && <NoticePanel notice={{ kind: 'error', error: toApiError(list.error), during: 'other' }} />}
      {list.data && (
        <p className="hint" data-testid="benches-summary">
          {t('benches.summary', { online: formatNumber(online, lang), total: formatNumber(benches.filter((b) => !b.revoked).length, lang) })} ·{' '}
          {t('benches.offlineAfter', { seconds: list.data.onlineWithinSec })}
        </p>
      )}
      {list.data && benches.length === 0 && <p className="hint">{t('benches.empty')}</p>}
      {benches.length > 0 && (
        <section className="card">
          <table className="table" data-testid="benches-table">
            <thead>
              <tr>
                <th>{t('benches.station')}</th>
                <th>{t('benches.status')}</th>
                <th>{t('benches.lastContact')}</th>
                <th className="num">{t('benches.outbox')}</th>
                <th>{t('benches.oldest')}</th>
                <th className="num">{t('benches.deadLetters')}</th>
                <th>{t('benches.faults')}</th>
                <th>{t('benches.operator')}</th>
                <th>{t('benches.ruleSet')}</th>
              </tr>
            </thead>
            <tbody>
              {benches.map((b) => (
                <tr key={b.stationId} data-testid={`bench-row-${b.stationId}`} data-online={b.online}>
                  <td style={NOWRAP}>{b.stationId}</td>
                  <td style={NOWRAP}>{state(b)}</td>
                  <td style={NOWRAP}>{when(b.lastContactAt)}</td>
                  <td className="num">{b.outboxPending === null ? dash : formatNumber(b.outboxPending, lang)}</td>
                  <td>{b.reportedAt === null ? dash : b.oldestPendingAt ? formatDateTime(b.oldestPendingAt, lang) : t('benches.none')}</td>
                  <td className={b.deadLetters ? 'num badge-warn' : 'num'}>{b.deadLetters === null ? dash : formatNumber(b.deadLetters, lang)}</td>
                  <td>
                    {b.reportedAt === null
                      ? dash
                      : b.deviceFaults.length === 0
                        ? t('benches.none')
                        : b.deviceFaults.map((f) => `${t(`benches.device.${f.kind}`, { defaultValue: f.kind })}: ${f.label}`).join(', ')}
                  </td>
                  {/* Nobody signed in is news only from a bench that is online and has reported. */}
                  <td style={NOWRAP}>{b.operatorName ?? (b.online && b.reportedAt !== null ? t('benches.nobody') : dash)}</td>
                  <td style={NOWRAP}>{b.ruleSetVersion === null ? dash : t('benches.version', { version: b.ruleSetVersion })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{t('benches.notReported')}</p>
        </section>
      )}
    </main>
  );
}
