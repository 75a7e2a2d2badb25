import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParcelView, ToteBagScan, ToteBagView, ToteView } from '../../../contract/index.js';
import { cleanScan } from '../../../domain/identifiers/scan-text.js';
import { looksLikeToteLabel } from '../../../domain/identifiers/tote.js';
import { useToteStore } from '../state/tote.js';
import { useStation } from '../station/StationContext.js';
import { feedback } from '../ui/feedback.js';

export const toteKey = (toteId: string) => ['tote', toteId] as const;

/** A tote label or a bag code, told apart the way the station's classifier does (prefix first). */
export function toteScanKind(code: string): 'tote' | 'bag' | null {
  return looksLikeToteLabel(cleanScan(code).text.toUpperCase());
}

export interface ToteActions {
  /** The tote in hand, or null. */
  tote: ToteView | null;
  busy: boolean;
  /** True when the scan was a tote label or a bag code and was taken here. */
  handleScan(code: string): boolean;
  /** F8 with no parcel in hand: closes the tote, asking first when bags are missing (F8 again does not answer that). */
  close(): void;
  /** Y (or its button) while the question shows: closes the tote with its bags missing. */
  confirmClose(): void;
}

/**
 * Consolidated totes at the bench, scanner-first: a tote's label opens it, each bag's code opens its return through
 * the parcel path (`onParcel`), and F8 with no parcel in hand closes the tote.
 */
export function useTote(handlers: { onParcel: (view: ParcelView) => void; onRefused: (error: unknown, code: string) => void }): ToteActions {
  const station = useStation();
  const queryClient = useQueryClient();
  const toteId = useToteStore((s) => s.toteId);
  const confirming = useToteStore((s) => s.confirmingClose);
  const events = useToteStore.getState;
  const tote = useQuery<ToteView | null>({
    queryKey: toteId ? toteKey(toteId) : ['tote', 'none'],
    queryFn: () => (toteId ? station.call('tote.get', { toteId }) : null),
    enabled: toteId !== null,
  }).data ?? null;

  const shown = (view: ToteView) => queryClient.setQueryData(toteKey(view.toteId), view);
  const refresh = () => {
    if (toteId) void queryClient.invalidateQueries({ queryKey: toteKey(toteId) });
  };

  const open = useMutation({
    mutationFn: (code: string) => station.call('tote.open', { code }),
    onSuccess: (view) => {
      feedback(view.status === 'closed' ? 'review' : 'success');
      shown(view);
      events().toteOpened(view.toteId);
    },
    onError: (e, code) => handlers.onRefused(e, code),
  });
  const scanBag = useMutation({
    mutationFn: (code: string) => station.call('tote.scanBag', { code, ...(toteId && tote?.status === 'open' ? { toteId } : {}) }),
    onSuccess: (r: ToteBagScan) => {
      shown(r.tote);
      events().bagScanned(r.tote.toteId, { notices: r.notices, params: r.noticeParams });
      if (r.parcel) handlers.onParcel(r.parcel);
      else feedback('review');
      if (r.parcel && r.notices.length > 0) feedback('review');
    },
    onError: (e, code) => {
      // The bag was recorded before the parcel path answered: show the tote as it now stands.
      refresh();
      handlers.onRefused(e, code);
    },
  });
  const closeTote = useMutation({
    mutationFn: (input: { toteId: string; confirmMissing: boolean }) => station.call('tote.close', input),
    onSuccess: (view) => {
      feedback(view.flags.length > 0 ? 'review' : 'success');
      shown(view);
      events().toteClosed();
    },
    onError: (e, input) => {
      events().closeCancelled();
      handlers.onRefused(e, input.toteId);
    },
  });

  const busy = open.isPending || scanBag.isPending || closeTote.isPending;
  return {
    tote,
    busy,
    handleScan(code) {
      const kind = toteScanKind(code);
      if (kind === 'tote') open.mutate(code);
      else if (kind === 'bag') scanBag.mutate(code);
      return kind !== null;
    },
    close() {
      // Asked already: only the question's own key (Y) closes with bags missing, not the same key pressed twice.
      if (!tote || tote.status !== 'open' || busy || confirming) return;
      const missing = tote.bags.some((b) => b.state === 'expected');
      if (missing) return events().closeRequested();
      closeTote.mutate({ toteId: tote.toteId, confirmMissing: false });
    },
    confirmClose() {
      if (!tote || tote.status !== 'open' || busy || !confirming) return;
      closeTote.mutate({ toteId: tote.toteId, confirmMissing: tote.bags.some((b) => b.state === 'expected') });
    },
  };
}

function BagNote({ bag }: { bag: ToteBagView }) {
  const { t } = useTranslation();
  const notes: string[] = [];
  if (!bag.rmaKnown && bag.rmaNumber) notes.push(t('tote.rmaUnknown'));
  if (bag.otherToteId && bag.state === 'stray') notes.push(t('tote.belongsTo', { other: bag.otherToteId }));
  if (bag.otherToteId && bag.state === 'received') notes.push(t('tote.receivedIn', { other: bag.otherToteId }));
  if (bag.receivedAtStation) notes.push(t('tote.receivedAtBench', { bench: bag.receivedAtStation }));
  return <>{notes.join(' · ')}</>;
}

/** The tote in hand: where it comes from, its bags with their returns and states, and what is missing or stray. */
export function TotePanel({
  tote,
  compact,
  onClose,
  onConfirmClose,
  busy,
}: {
  tote: ToteView;
  compact: boolean;
  onClose: () => void;
  onConfirmClose: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const confirming = useToteStore((s) => s.confirmingClose);
  const lastBag = useToteStore((s) => s.lastBag);
  const confirmBox = useRef<HTMLElement>(null);
  useEffect(() => {
    if (confirming) confirmBox.current?.focus();
  }, [confirming]);
  const missingNow = tote.bags.filter((b) => b.state === 'expected').length;
  // Missing and stray bags first, so a long cage still shows what needs attention without scrolling.
  const order: Record<ToteBagView['state'], number> = { missing: 0, stray: 1, unmanifested: 2, expected: 4, received: 5 };
  const rank = (b: ToteBagView) => (!b.rmaKnown && b.rmaNumber && b.state !== 'missing' ? 3 : order[b.state]);
  const bags = [...tote.bags].sort((a, b) => rank(a) - rank(b));
  return (
    <section className={`card tote-panel tote-${tote.status}`} data-testid="tote-panel" data-tote={tote.toteId} data-status={tote.status} aria-label={tote.toteId}>
      <div className="tote-head">
        <h3 className="tote-title">
          <span>{t(`tote.container.${tote.container}`)}</span> <span className="mono" data-testid="tote-id">{tote.toteId}</span>{' '}
          <span className={`badge tote-status-${tote.status}`} data-testid="tote-status">
            {t(`tote.status.${tote.status}`)}
          </span>
        </h3>
        <span className="hint" data-testid="tote-origin">
          {t('tote.from', { origin: t(`toteOrigin.${tote.origin}`), name: tote.originName })}
        </span>
      </div>
      <div className="tote-summary">
        <div className="tote-counts">
          <strong data-testid="tote-received" data-count={tote.receivedCount} data-expected={tote.expectedCount}>
            {t('tote.counts', { received: tote.receivedCount, expected: tote.expectedCount })}
          </strong>
          {tote.status === 'open' && missingNow > 0 && (
            <span data-testid="tote-waiting" data-count={missingNow}>
              {t('tote.waiting', { count: missingNow })}
            </span>
          )}
          {tote.missingCount > 0 && (
            <span className="tote-count-bad" data-testid="tote-missing" data-count={tote.missingCount}>
              {t('tote.missing', { count: tote.missingCount })}
            </span>
          )}
          {tote.strayCount > 0 && (
            <span className="tote-count-bad" data-testid="tote-strays" data-count={tote.strayCount}>
              {t('tote.strays', { count: tote.strayCount })}
            </span>
          )}
          {tote.unmanifestedCount > 0 && (
            <span className="tote-count-bad" data-testid="tote-unmanifested" data-count={tote.unmanifestedCount}>
              {t('tote.unmanifested', { count: tote.unmanifestedCount })}
            </span>
          )}
        </div>
        {tote.status === 'open' && (
          <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy} data-testid="close-tote">
            <kbd>F8</kbd> {t('tote.close')}
          </button>
        )}
      </div>
      {lastBag && lastBag.notices.length > 0 && (
        <div className="notice notice-warn" role="alert" data-testid="tote-notice" data-notices={lastBag.notices.join(' ')}>
          <div className="notice-body">
            {lastBag.notices.map((n) => (
              <p key={n}>{t(`tote.notice.${n}`, lastBag.params)}</p>
            ))}
          </div>
        </div>
      )}
      {confirming && tote.status === 'open' && (
        <section ref={confirmBox} tabIndex={-1} className="card confirm-close" data-testid="tote-close-confirm" role="alertdialog">
          <p>{t('tote.closeConfirm', { count: missingNow })}</p>
          <div className="offer-buttons">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={onConfirmClose} data-testid="tote-close-yes">
              <kbd>Y</kbd> {t('tote.closeYes')}
            </button>
            <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => useToteStore.getState().closeCancelled()} data-testid="tote-close-no">
              <kbd>Esc</kbd> {t('tote.closeNo')}
            </button>
          </div>
        </section>
      )}
      {tote.status === 'closed' && (
        <p className={tote.flags.length > 0 ? 'warn' : 'ok-text'} data-testid="tote-closed-summary">
          {t('tote.closedSummary', { tote: tote.toteId, received: tote.receivedCount, missing: tote.missingCount, strays: tote.strayCount, unmanifested: tote.unmanifestedCount })}
        </p>
      )}
      {tote.status === 'closed' && tote.siteCheck === 'unreachable' && (
        <p className="warn" data-testid="tote-site-unreachable">
          {t('tote.siteUnreachable')}
        </p>
      )}
      {!compact && (
        <div className="tote-bags">
          <table data-testid="tote-bags">
            <thead>
              <tr>
                <th>{t('tote.bag')}</th>
                <th>{t('tote.rma')}</th>
                <th>{t('tote.state')}</th>
                <th>{t('tote.note')}</th>
              </tr>
            </thead>
            <tbody>
              {bags.map((b) => (
                <tr key={b.bagCode} className={`bag-${b.state}`} data-testid="tote-bag" data-bag={b.bagCode} data-state={b.state}>
                  <td className="mono">{b.bagCode}</td>
                  <td className="mono">{b.rmaNumber ?? '—'}</td>
                  <td>
                    <span className={`bag-state bag-state-${b.state}`}>{t(`tote.bagState.${b.state}`)}</span>
                  </td>
                  <td className={!b.rmaKnown && b.rmaNumber ? 'warn' : undefined} data-testid="tote-bag-note">
                    <BagNote bag={b} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
