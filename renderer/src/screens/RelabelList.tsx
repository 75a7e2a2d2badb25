import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { create } from 'zustand';
import type { PrintOutcome, RelabelItem } from '../../../contract/index.js';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSingleKeys } from '../scanner/ScannerProvider.js';
import { useIntakeStore } from '../state/intake.js';
import { useNavigationStore } from '../state/navigation.js';
import { useStation } from '../station/StationContext.js';
import { describePrinterMessage, toApiError } from '../ui/describe.js';
import { feedback } from '../ui/feedback.js';
import { formatDateTime } from '../ui/format.js';
import { NoticePanel } from '../ui/NoticePanel.js';

/** The intake steps where R is the relabel list's: at the result R reprints the item just graded. */
export const RELABEL_KEY_STEPS: ReadonlySet<string> = new Set(['scanParcel', 'scanItem']);

const RELABEL_QUERY = ['relabel'] as const;

/** The last new label asked for, shown by the list whether R, its button or a scan of the old label asked. */
const useLastRelabel = create<{ last: { lpn: string; print: PrintOutcome } | null; printed(lpn: string, print: PrintOutcome): void; seen(): void }>()((set) => ({
  last: null,
  printed: (lpn, print) => set({ last: { lpn, print } }),
  seen: () => set({ last: null }),
}));
/** How long the "new label printed" line stays once the list has nothing else to show. */
const OUTCOME_SHOWN_MS = 15_000;

/**
 * Prints a re-routed item's new label. `handleScan` takes a scan of the old label's LPN (the operator picks up the box
 * and scans it): true when that LPN is on the relabel list, so the screen does not also read it as a parcel.
 */
export function useRelabelPrint() {
  const { i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const printed = useLastRelabel((s) => s.printed);
  const print = useMutation({
    mutationKey: ['relabel', 'print'],
    mutationFn: (item: { itemId: string; lpn: string }) => station.call('review.relabelPrint', { itemId: item.itemId, language: i18n.language === 'en' ? 'en' : 'ja' }),
    onSuccess: (out, item) => {
      feedback(out.print.status === 'failed' ? 'error' : 'success');
      printed(item.lpn, out.print);
      void queryClient.invalidateQueries({ queryKey: RELABEL_QUERY });
    },
    onError: () => feedback('error'),
  });
  const handleScan = (code: string): boolean => {
    const listed = queryClient.getQueryData<{ items: RelabelItem[] }>(RELABEL_QUERY)?.items.find((i) => i.lpn === code.trim().toUpperCase());
    if (!listed) return false;
    if (!print.isPending) print.mutate(listed);
    return true;
  };
  /** R: the oldest item on the list; false when the list is empty. */
  const printFirst = (): boolean => {
    const first = queryClient.getQueryData<{ items: RelabelItem[] }>(RELABEL_QUERY)?.items[0];
    if (!first) return false;
    if (!print.isPending) print.mutate(first);
    return true;
  };
  return { print, handleScan, printFirst };
}

/**
 * Issue 15: items a lead at the site hub re-routed after this bench labelled them. The label on the box names
 * the old disposition, so they stay listed on every screen of the bench until the new label is printed (R for the
 * oldest outside a text field, the row's button, or a scan of the old label) or someone marks it on.
 */
export function RelabelList() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: RELABEL_QUERY, queryFn: () => station.call('review.relabelList', {}), refetchInterval: 5000 });
  const done = useMutation({
    mutationFn: (itemId: string) => station.call('review.relabelDone', { itemId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: RELABEL_QUERY }),
  });
  const { print } = useRelabelPrint();
  const outcome = useLastRelabel((s) => s.last);
  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => useLastRelabel.getState().seen(), OUTCOME_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [outcome]);
  const items = list.data?.items ?? [];
  const busy = done.isPending || print.isPending;

  useSingleKeys((key) => {
    if (key.toLowerCase() !== 'r' || busy) return;
    const first = items[0];
    if (!first) return;
    if (useNavigationStore.getState().screen === 'intake' && !RELABEL_KEY_STEPS.has(useIntakeStore.getState().step)) return;
    print.mutate(first);
  });

  if (items.length === 0 && !outcome) return null;
  return (
    <section className="card relabel" data-testid="relabel-list" aria-live="polite">
      {items.length > 0 && <h3>{t('site.relabel.title', { count: items.length })}</h3>}
      {items.length > 0 && <p className="hint">{t('site.relabel.hint')}</p>}
      {outcome && (
        <p className={outcome.print.status === 'failed' ? 'notice notice-error' : 'notice notice-ok'} data-testid="relabel-printed" data-status={outcome.print.status}>
          {outcome.print.status === 'failed'
            ? t('site.relabel.failed', {
                lpn: outcome.lpn,
                message: outcome.print.message
                  ? describePrinterMessage(t, (key) => i18n.exists(key), { text: outcome.print.message, key: outcome.print.messageKey, params: outcome.print.messageParams })
                  : (outcome.print.printerName ?? t('result.printerDefault')),
              })
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
                  <strong>{t(`result.disposition.${r.disposition}`)}</strong> ·{' '}
                  <span data-testid="relabel-destination" data-code={r.destination}>
                    {t(`destinationName.${r.destination}`, { defaultValue: r.destination })}
                  </span>{' '}
                  · {r.grade === 'scrap' ? t('grade.scrap') : r.grade}
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
