import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSingleKeys } from '../scanner/ScannerProvider.js';
import { useIntakeStore } from '../state/intake.js';
import { useNavigationStore } from '../state/navigation.js';
import { useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { feedback } from '../ui/feedback.js';
import { formatDateTime } from '../ui/format.js';
import { NoticePanel } from '../ui/NoticePanel.js';

/** The intake steps where R is the relabel list's: at the result R reprints the item just graded. */
const RELABEL_KEY_STEPS = new Set(['scanParcel', 'scanItem']);

/**
 * Issue 15: items a lead at the site hub re-routed after this bench labelled them. The label on the box names
 * the old disposition, so they stay listed on every screen of the bench until the new label is printed (R, for the
 * oldest) or someone marks it on.
 */
export function RelabelList() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['relabel'], queryFn: () => station.call('review.relabelList', {}), refetchInterval: 5000 });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['relabel'] });
  const done = useMutation({
    mutationFn: (itemId: string) => station.call('review.relabelDone', { itemId }),
    onSuccess: refresh,
  });
  const print = useMutation({
    mutationFn: (item: { itemId: string; lpn: string }) => station.call('review.relabelPrint', { itemId: item.itemId, language: i18n.language === 'en' ? 'en' : 'ja' }),
    onSuccess: (out) => {
      feedback(out.print.status === 'failed' ? 'error' : 'success');
      refresh();
    },
    onError: () => feedback('error'),
  });
  const items = list.data?.items ?? [];
  const busy = done.isPending || print.isPending;

  useSingleKeys((key) => {
    if (key.toLowerCase() !== 'r' || busy) return;
    const first = items[0];
    if (!first) return;
    if (useNavigationStore.getState().screen === 'intake' && !RELABEL_KEY_STEPS.has(useIntakeStore.getState().step)) return;
    print.mutate(first);
  });

  const outcome = print.data && print.variables ? { ...print.data, lpn: print.variables.lpn } : null;
  if (items.length === 0 && !outcome) return null;
  return (
    <section className="card relabel" data-testid="relabel-list" aria-live="polite">
      {items.length > 0 && <h3>{t('site.relabel.title', { count: items.length })}</h3>}
      {items.length > 0 && <p className="hint">{t('site.relabel.hint')}</p>}
      {outcome && (
        <p className={outcome.print.status === 'failed' ? 'notice notice-error' : 'notice notice-ok'} data-testid="relabel-printed" data-status={outcome.print.status}>
          {outcome.print.status === 'failed'
            ? t('site.relabel.failed', { lpn: outcome.lpn, message: outcome.print.message ?? outcome.print.printer })
            : t('site.relabel.printed', { lpn: outcome.lpn })}
        </p>
      )}
      {(done.error ?? print.error) && <NoticePanel notice={{ kind: 'error', error: toApiError(done.error ?? print.error), during: 'other' }} />}
      {items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('result.lpn')}</th>
              <th>{t('site.relabel.now')}</th>
              <th>{t('site.relabel.why')}</th>
              <th>{t('site.relabel.since')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((r, i) => (
              <tr key={r.itemId} data-testid="relabel-row" data-item-id={r.itemId}>
                <td className="mono">{r.lpn}</td>
                <td>
                  <strong>{t(`result.disposition.${r.disposition}`)}</strong> · <span className="mono">{r.destination}</span> · {r.grade === 'scrap' ? t('grade.scrap') : r.grade}
                </td>
                <td>{r.reviewReason ?? ''}</td>
                <td>{formatDateTime(r.relabelSince, i18n.language)}</td>
                <td className="actions">
                  <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => print.mutate(r)} data-testid="relabel-print">
                    {i === 0 && <kbd>R</kbd>} {t('site.relabel.print')}
                  </button>{' '}
                  <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => done.mutate(r.itemId)} data-testid="relabel-done">
                    {t('site.relabel.done')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
