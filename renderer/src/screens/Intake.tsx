import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GradedItemResult, ParcelLineView, ParcelView } from '../../../contract/index.js';
import { CameraScanner } from '../camera/CameraScanner.js';
import { useScan, useSingleKeys, type ScanInput } from '../scanner/ScannerProvider.js';
import { useIntakeStore, type Unexpected } from '../state/intake.js';
import { useNavigationStore } from '../state/navigation.js';
import { queryKeys, useSession, useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { feedback } from '../ui/feedback.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { RELABEL_KEY_STEPS, useRelabelPrint } from './RelabelList.js';
import { AlreadyReceivedPanel, ConfirmClosePanel } from './AlreadyReceived.js';
import { isLpnScan, ItemFoundPanel } from './ItemFound.js';
import { cleanScan } from '../../../domain/identifiers/scan-text.js';
import { BlindSearch, type ScannedIntoSearch } from './BlindSearch.js';
import { ContainersPanel, useContainers } from './Containers.js';
import { GradePanel, type GradeSubmission } from './GradePanel.js';
import { ItemsTable, LinesTable, OutcomesPanel, ParcelHeader, productName } from './ParcelView.js';
import { ResultPanel } from './ResultPanel.js';
import { TotePanel, toteScanKind, useTote } from './TotePanel.js';
import { useToteStore } from '../state/tote.js';
import { namesIn, UnexpectedOffer, unexpectedForKey } from './UnexpectedOffer.js';
import { UnknownProductForm } from './UnknownProduct.js';

/** Reads an entry the screen itself put in the cache (parcel.open / item.grade answers). */
function useCached<T>(key: readonly unknown[] | null) {
  return useQuery<T | null>({
    queryKey: key ?? ['none'],
    queryFn: () => null,
    enabled: false,
    staleTime: Infinity,
    gcTime: Infinity,
  }).data;
}

function withLine(parcel: ParcelView, line: ParcelLineView): ParcelView {
  return { ...parcel, lines: parcel.lines.map((l) => (l.lineId === line.lineId ? line : l)) };
}

function gradeHeading(line: ParcelLineView | null, unexpected: Unexpected | null, parcel: ParcelView | null, language: string, t: (k: string, o?: Record<string, string>) => string) {
  if (line) {
    return (
      <>
        <span className="matched-name" data-testid="matched-product">
          {productName(line, language)}
        </span>
        <span className="mono">{line.sku}</span>
        <span className="mono">{line.gtin}</span>
      </>
    );
  }
  if (!unexpected) return null;
  const instead = unexpected.kind === 'wrong' ? parcel?.lines.find((l) => l.lineId === unexpected.insteadOfLineId) : undefined;
  return (
    <>
      <span className="matched-name badge-warn" data-testid="matched-product">
        {unexpected.kind === 'wrong' ? t('unexpected.wrongItem') : t('unexpected.extraItem')}
      </span>
      {unexpected.names && <span>{namesIn(unexpected.names, language)}</span>}
      <span className="mono">{unexpected.sku ?? unexpected.gtin}</span>
      {instead && <span>{t('unexpected.expected', { product: productName(instead, language), sku: instead.sku })}</span>}
    </>
  );
}

/** Closing a parcel shares no key with dismissing anything (Escape): F8 works even while the code field has focus. */
export const CLOSE_KEY = 'F8';

/** Answers that mean "no return to open for this code": the blind-return search is offered. */
/** The station no longer holds the item scan this grade names: only a new scan of the item helps. */
const RESCAN_NEEDED = new Set(['error.matchExpired', 'error.matchMismatch']);

const PARCEL_NOT_FOUND = new Set(['error.noRmaForCode', 'error.severalRmasForProduct', 'error.noReferenceDataOffline', 'error.noReferenceDataYet']);

export function Intake() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const step = useIntakeStore((s) => s.step);
  const parcelId = useIntakeStore((s) => s.parcelId);
  const lineId = useIntakeStore((s) => s.lineId);
  const itemId = useIntakeStore((s) => s.itemId);
  const matchToken = useIntakeStore((s) => s.matchToken);
  const unknownItem = useIntakeStore((s) => s.unknownItem);
  const unexpected = useIntakeStore((s) => s.unexpected);
  const unmatchedCode = useIntakeStore((s) => s.unmatchedCode);
  const closedParcelId = useIntakeStore((s) => s.closedParcelId);
  const confirmingClose = useIntakeStore((s) => s.confirmingClose);
  const alreadyReceived = useIntakeStore((s) => s.alreadyReceived);
  const itemFound = useIntakeStore((s) => s.itemFound);
  const notice = useIntakeStore((s) => s.notice);
  const role = useSession().data?.role;
  const events = useIntakeStore.getState;
  const [camera, setCamera] = useState(false);

  const parcel = useCached<ParcelView>(parcelId ? queryKeys.parcel(parcelId) : null) ?? null;
  const closedParcel = useCached<ParcelView>(closedParcelId ? queryKeys.parcel(closedParcelId) : null) ?? null;
  const receivedParcel = useCached<ParcelView>(alreadyReceived ? queryKeys.parcel(alreadyReceived.parcelId) : null) ?? null;
  const graded = useCached<GradedItemResult>(itemId ? queryKeys.graded(itemId) : null);
  const line = parcel?.lines.find((l) => l.lineId === lineId) ?? null;

  const refreshParcel = (id: string) =>
    void station
      .call('parcel.get', { parcelId: id })
      .then((view) => queryClient.setQueryData(queryKeys.parcel(id), view))
      .catch(() => undefined);

  const parcelShown = (view: ParcelView) => {
    feedback('success');
    queryClient.setQueryData(queryKeys.parcel(view.parcelId), view);
    events().parcelOpened(view.parcelId);
  };

  // A parcel label or a tote's bag refused by the parcel path: already received, no return, a bad check digit.
  const parcelRefused = (e: unknown, code: string) => {
    const error = toApiError(e);
    const p = error.params;
    if (error.messageKey === 'error.returnAlreadyReceived' && typeof p.parcelId === 'string') {
      // Not a fault of the scan: a distinct tone, and the earlier parcel in full instead of a new empty one.
      feedback('review');
      const parcelIdOf = p.parcelId;
      refreshParcel(parcelIdOf);
      events().returnAlreadyReceived({
        code,
        parcelId: parcelIdOf,
        receivedAt: String(p.receivedAt ?? ''),
        bench: String(p.bench ?? ''),
        operator: String(p.operator ?? ''),
      });
      return;
    }
    feedback('error');
    const n = { kind: 'error' as const, error, during: 'parcel' as const };
    if (PARCEL_NOT_FOUND.has(error.messageKey)) events().parcelNotFound(code, n);
    else events().scanRejected(n);
  };

  const openParcel = useMutation({
    mutationFn: (input: { code: string; splitShipment?: true }) => station.call('parcel.open', input),
    onSuccess: parcelShown,
    onError: (e, { code }) => parcelRefused(e, code),
  });
  const lookup = useMutation({
    mutationFn: (code: string) => station.call('item.lookup', { lpn: cleanScan(code).text }),
    onSuccess: (item) => {
      feedback('success');
      events().itemLookedUp(item);
    },
    onError: (e) => {
      feedback('error');
      events().scanRejected({ kind: 'error', error: toApiError(e), during: events().parcelId ? 'item' : 'parcel' });
    },
  });
  const tote = useTote({ onParcel: parcelShown, onRefused: parcelRefused });
  const toteConfirming = useToteStore((s) => s.confirmingClose);

  const matchItem = useMutation({
    mutationFn: (input: { parcelId: string; code: string }) => station.call('parcel.matchItem', input),
    onSuccess: (match) => {
      feedback('success');
      queryClient.setQueryData<ParcelView | null>(queryKeys.parcel(match.parcelId), (p) => (p ? withLine(p, match.line) : p));
      events().itemMatched(match.line.lineId, match.matchToken);
    },
    onError: (e, input) => {
      const error = toApiError(e);
      const gtinOf = error.params.gtin;
      if (parcel?.blindReturn && error.messageKey === 'error.itemNotOnRma' && typeof gtinOf === 'string') {
        // A parcel with no return expects nothing: every item is an extra one, received like any other scan.
        feedback('success');
        events().unexpectedChosen({ kind: 'extra', gtin: gtinOf, sku: typeof error.params.sku === 'string' ? error.params.sku : null });
        return;
      }
      feedback(error.messageKey === 'error.overReceipt' ? 'review' : 'error');
      const n = { kind: 'error' as const, error, during: 'item' as const };
      const gtin = error.params.gtin;
      const sku = typeof error.params.sku === 'string' ? error.params.sku : null;
      const { name, nameJa } = error.params;
      const names = typeof name === 'string' && typeof nameJa === 'string' ? { names: { en: name, ja: nameJa } } : {};
      if (error.messageKey === 'error.itemNotOnRma' && typeof gtin === 'string') {
        events().itemNotOnReturn({ code: input.code, gtin, sku, ...names }, n);
      } else if (error.messageKey === 'error.overReceipt' && typeof gtin === 'string') {
        events().itemNotOnReturn({ code: input.code, gtin, sku, overReceipt: true }, n);
      } else events().scanRejected(n);
    },
  });

  const grade = useMutation({
    mutationFn: (s: GradeSubmission) => {
      if (!parcelId) throw new Error('no parcel open');
      const target = lineId
        ? { lineId }
        : {
            unexpected: {
              kind: unexpected?.kind ?? 'extra',
              ...(unexpected?.sku ? { sku: unexpected.sku } : { gtin: unexpected?.gtin }),
              ...(unexpected?.category ? { category: unexpected.category } : {}),
              ...(unexpected?.kind === 'wrong' ? { insteadOfLineId: unexpected.insteadOfLineId } : {}),
            },
          };
      const language = i18n.language === 'en' ? 'en' : 'ja';
      return station.call('item.grade', { parcelId, ...target, ...s, ...(lineId && matchToken ? { matchToken } : {}), language });
    },
    onSuccess: (item) => {
      feedback(item.routing.disposition === 'quarantine' || (item.flags?.length ?? 0) > 0 ? 'review' : 'success');
      queryClient.setQueryData(queryKeys.graded(item.itemId), item);
      if (parcelId) {
        // Mirror the count at once; parcel.get then brings the station's own view (items, counts).
        queryClient.setQueryData<ParcelView | null>(queryKeys.parcel(parcelId), (p) =>
          p ? { ...p, lines: p.lines.map((l) => (l.lineId === lineId ? { ...l, receivedQty: l.receivedQty + 1 } : l)) } : p,
        );
        refreshParcel(parcelId);
      }
      void queryClient.invalidateQueries({ queryKey: queryKeys.sync });
      events().itemGraded(item.itemId);
    },
    onError: (e) => {
      feedback('error');
      const error = toApiError(e);
      const n = { kind: 'error' as const, error, during: 'grade' as const };
      if (RESCAN_NEEDED.has(error.messageKey)) events().rescanNeeded(n);
      else events().scanRejected(n);
    },
  });

  const closeParcel = useMutation({
    mutationFn: (input: { parcelId: string; confirmUnreceived: boolean }) => station.call('parcel.close', input),
    onSuccess: (view) => {
      queryClient.setQueryData(queryKeys.parcel(view.parcelId), view);
      events().parcelClosed(view.parcelId);
    },
    onError: (e, input) => {
      const error = toApiError(e);
      if (error.messageKey === 'error.closeNeedsConfirmation') {
        // The confirmation lists what is missing: from the station's view, not a copy a call behind.
        refreshParcel(input.parcelId);
        events().closeRequested();
      }
      else events().scanRejected({ kind: 'error', error, during: 'other' });
    },
  });

  // A lead reopens a parcel closed by mistake; it becomes the parcel in hand again.
  const reopenParcel = useMutation({
    mutationFn: (id: string) => station.call('parcel.reopen', { parcelId: id }),
    onSuccess: parcelShown,
    onError: (e) => events().scanRejected({ kind: 'error', error: toApiError(e), during: 'other' }),
  });

  const containers = useContainers((e) => events().scanRejected({ kind: 'error', error: toApiError(e), during: 'other' }));

  // A damaged or lost label: printed again from the queue's stored job (the station records who asked).
  const reprint = useMutation({
    mutationFn: (lpn: string) => station.call('printer.reprint', { lpn }),
    onError: (e) => events().scanRejected({ kind: 'error', error: toApiError(e), during: 'other' }),
  });

  const busy = lookup.isPending || openParcel.isPending || matchItem.isPending || grade.isPending || closeParcel.isPending || reopenParcel.isPending || containers.busy || tote.busy;

  const relabel = useRelabelPrint();
  const [searchScan, setSearchScan] = useState<ScannedIntoSearch | null>(null);
  const codeEntered = (code: string): void => {
    // Every scan gets an answer: one that cannot be acted on now is said so, with the error tone.
    // On the search, a scan is what to search for: a product's JAN, or the order number on a packing slip.
    if (step === 'search') {
      setSearchScan((prev) => ({ code, seq: (prev?.seq ?? 0) + 1 }));
      return;
    }
    const ignored = step === 'grade' ? 'grading' : busy ? 'busy' : confirmingClose || toteConfirming ? 'confirmClose' : null;
    if (ignored) {
      feedback('error');
      events().scanIgnored(ignored, code);
      return;
    }
    // A tote or another bag while a return is in hand: that return is closed first, so no bag is half received.
    if (toteScanKind(code) && parcelId && parcel?.status === 'open') {
      feedback('error');
      events().scanRejected({ kind: 'error', error: { code: 'CONFLICT', messageKey: 'tote.closeParcelFirst', params: {}, message: 'Close the parcel in hand first.' }, during: 'other' });
      return;
    }
    // The old label of a box a lead re-routed at the site hub: its new label prints.
    if (relabel.handleScan(code)) return;
    if (tote.handleScan(code)) return;
    if (containers.handleScan(code, step === 'result' ? (graded?.lpn ?? null) : null)) return;
    // A graded item's own label: staff found a labelled item on the bench and ask what it is. There is no return to
    // open, and with a parcel in hand it is not an item to receive (it was graded): the station says which item it
    // is, one of the parcel in hand or of another return, and the parcel stays open.
    if (isLpnScan(code)) lookup.mutate(code);
    else if (step === 'scanParcel' || !parcelId) openParcel.mutate({ code });
    else matchItem.mutate({ parcelId, code });
  };

  // A code scanned on another screen brought the operator here.
  const pendingCode = useNavigationStore((s) => s.pendingCode);
  useEffect(() => {
    if (!pendingCode) return;
    useNavigationStore.getState().pendingCodeTaken();
    codeEntered(pendingCode);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a code arrives
  }, [pendingCode]);

  useScan((scan: ScanInput) => {
    if (scan.kind === 'problem') {
      feedback('error');
      events().scanRejected({ kind: 'scanner', problems: scan.problems, raw: scan.raw });
      return;
    }
    codeEntered(scan.text);
  });

  // F8 pressed while a call is still out (a grade being saved) is kept and acted on when the call returns,
  // so the key always gets an answer.
  const closeWanted = useRef(false);
  // `confirm`: the answer to "close with items not received?" (Y or its button). F8 or the close button pressed again
  // while that question shows does not answer it: a double press must not report items missing or an empty box.
  const close = (confirm = false) => {
    if (step === 'grade') {
      // The item in hand is graded (or Esc) first: the key is answered, not dropped.
      feedback('error');
      events().scanIgnored('closeWhileGrading', CLOSE_KEY);
      return;
    }
    if (confirmingClose && !confirm) return;
    if (busy) {
      closeWanted.current = true;
      return;
    }
    if (!parcelId || parcel?.status !== 'open') {
      // No parcel in hand: F8 closes the tote being received.
      if (tote.tote?.status === 'open') return tote.close();
      return events().parcelClosed();
    }
    // The station decides whether lines are still waiting (or the box is empty): the copy here can be a call behind
    // right after a grade, and it answers error.closeNeedsConfirmation, which asks for the second key.
    closeParcel.mutate({ parcelId, confirmUnreceived: confirm && confirmingClose });
  };
  useEffect(() => {
    if (busy || !closeWanted.current) return;
    closeWanted.current = false;
    close();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the call in flight returns
  }, [busy]);
  const reopenAllowed = role === 'lead' || role === 'supervisor';

  // The scanner's keys go to the newest listener. Mounted together with this screen (coming back to it mid-grade
  // from another screen), the grade panel and the search would register before it and hear no key: they are
  // shown from the second render on, after this screen's listener.
  const [keysReady, setKeysReady] = useState(false);
  useEffect(() => setKeysReady(true), []);

  const containerKeysOn = step !== 'grade' && step !== 'search' && !unknownItem && !confirmingClose && !alreadyReceived && !itemFound;
  useSingleKeys((key) => {
    if (toteConfirming) {
      if (key === 'Escape') useToteStore.getState().closeCancelled();
      else if (key.toLowerCase() === 'y') tote.confirmClose();
      return;
    }
    // Escape only ever dismisses (a notice, the confirmation, an offer): closing a parcel has its own key.
    if (key === 'Escape') {
      if (containerKeysOn && containers.handleKey(key)) return;
      if (confirmingClose) events().closeCancelled();
      else if (step !== 'grade') events().noticeDismissed();
      return;
    }
    if (key === CLOSE_KEY) return close();
    if (confirmingClose) {
      if (key.toLowerCase() === 'y') close(true);
      return;
    }
    if (alreadyReceived && !busy) {
      const k = key.toLowerCase();
      if (k === 's') openParcel.mutate({ code: alreadyReceived.code, splitShipment: true });
      else if (k === 'o' && reopenAllowed) reopenParcel.mutate(alreadyReceived.parcelId);
      return;
    }
    if (itemFound) {
      if (key.toLowerCase() === 'r' && itemFound.labelPrinted && !reprint.isPending) reprint.mutate(itemFound.lpn);
      return;
    }
    if (containerKeysOn && !busy && containers.handleKey(key)) return;
    if (step === 'result' && graded && key.toLowerCase() === 'r' && !reprint.isPending) {
      reprint.mutate(graded.lpn);
      return;
    }
    // R for the relabel list's oldest item: this screen hears the keys while it is mounted, the list's own handler does not.
    if (RELABEL_KEY_STEPS.has(step) && key.toLowerCase() === 'r' && !busy && relabel.printFirst()) return;
    if (step === 'scanParcel' && unmatchedCode && key.toLowerCase() === 'f') events().searchStarted();
    const u = parcel && unknownItem ? unexpectedForKey(parcel, unknownItem, key) : undefined;
    if (u && !busy) events().unexpectedChosen(u);
  });

  // Out of the code field once a search is on offer, so F reaches it; but not onto the search button,
  // where the Space inside the next scanned code would press it.
  useEffect(() => {
    if (unmatchedCode && step === 'scanParcel' && !busy && document.activeElement instanceof HTMLElement) document.activeElement.blur();
  }, [unmatchedCode, step, busy]);

  // A tote in hand: the next thing to scan is one of its bags.
  const toteOpen = step === 'scanParcel' && tote.tote?.status === 'open';
  const prompt = toteOpen ? t('tote.prompt') : step === 'scanParcel' ? t('intake.scanParcel') : t('intake.scanItem');
  const hint = toteOpen ? t('tote.promptHint') : step === 'scanParcel' ? t('intake.scanParcelHint') : t('intake.scanItemHint');
  const allReceived = parcel !== null && parcel.lines.length > 0 && parcel.lines.every((l) => l.receivedQty >= l.expectedQty);

  return (
    <main className={`screen intake step-${step}`} data-testid="screen-intake" data-step={step}>
      {step !== 'grade' && step !== 'search' && (
        <div className="scan-row">
          <div className="prompt-block">
            <h2 className="prompt" data-testid="prompt">
              {busy ? t('intake.working') : prompt}
            </h2>
            <p className="hint">{step === 'result' ? t('result.next') : hint}</p>
          </div>
          <div className="scan-tools">
            {/* Not on a result or while a container waits for its scan: single keys (R, K, X) need the focus outside the field. */}
            <ManualEntry
              key={step}
              onSubmit={codeEntered}
              disabled={busy}
              takeFocus={!unknownItem && !unmatchedCode && step !== 'result' && !containers.mode && !confirmingClose && !alreadyReceived && !itemFound && !toteConfirming}
            />
            <button type="button" className="btn btn-secondary" onClick={() => setCamera((c) => !c)} data-testid="camera-toggle">
              {camera ? t('camera.close') : t('camera.open')}
            </button>
          </div>
        </div>
      )}
      {camera && step !== 'grade' && <CameraScanner onClose={() => setCamera(false)} />}
      {notice && <NoticePanel notice={notice} onDismiss={() => events().noticeDismissed()} />}
      {tote.tote && step !== 'grade' && step !== 'search' && (
        <TotePanel tote={tote.tote} compact={parcel !== null && parcel.status === 'open'} onClose={tote.close} onConfirmClose={tote.confirmClose} busy={busy} />
      )}
      {step === 'scanParcel' && unmatchedCode && (
        <div className="offer-buttons">
          <button type="button" className="btn btn-primary" onClick={() => events().searchStarted()} data-testid="blind-start">
            <kbd>F</kbd> {t('blind.start')}
          </button>
        </div>
      )}
      {step === 'search' && keysReady && (
        <BlindSearch
          unmatchedCode={unmatchedCode}
          scanned={searchScan}
          busy={busy}
          onPick={(c) => openParcel.mutate({ code: c.rmaNumber })}
          onReceived={parcelShown}
          onCancel={() => events().searchCancelled()}
        />
      )}
      {parcel && unknownItem && step !== 'grade' && <UnexpectedOffer parcel={parcel} item={unknownItem} onChoose={(u) => events().unexpectedChosen(u)} />}
      {alreadyReceived && step === 'scanParcel' && (
        <AlreadyReceivedPanel
          info={alreadyReceived}
          parcel={receivedParcel}
          canReopen={reopenAllowed}
          busy={busy || reprint.isPending}
          onReprint={(lpn) => reprint.mutate(lpn)}
          onSplitShipment={() => openParcel.mutate({ code: alreadyReceived.code, splitShipment: true })}
          onReopen={() => reopenParcel.mutate(alreadyReceived.parcelId)}
        />
      )}
      {itemFound && (step === 'scanParcel' || step === 'scanItem') && (
        <ItemFoundPanel
          item={itemFound}
          inHand={parcelId && step === 'scanItem' ? (itemFound.parcelId === parcelId ? 'thisParcel' : 'otherParcel') : null}
          reprint={{ busy: reprint.isPending, outcome: reprint.variables === itemFound.lpn ? (reprint.data ?? null) : null, onReprint: () => reprint.mutate(itemFound.lpn) }}
        />
      )}
      {parcel && confirmingClose && <ConfirmClosePanel parcel={parcel} busy={busy} onConfirm={() => close(true)} onCancel={() => events().closeCancelled()} />}
      {step === 'result' && graded && (
        <ResultPanel
          item={graded}
          reprint={{ busy: reprint.isPending, outcome: reprint.variables === graded.lpn ? (reprint.data ?? null) : null, onReprint: () => reprint.mutate(graded.lpn) }}
        />
      )}
      {(step === 'scanParcel' || step === 'result') && !unknownItem && <ContainersPanel c={containers} canSort={step === 'result'} />}
      {step === 'grade' && keysReady && parcelId && !line && unexpected && unexpected.sku === null && (
        <UnknownProductForm gtin={unexpected.gtin} onDescribed={(sku, category) => events().unknownProductDescribed(sku, category)} onCancel={() => events().gradingCancelled()} />
      )}
      {step === 'grade' && keysReady && parcelId && (line || (unexpected && unexpected.sku !== null)) && (
        <GradePanel
          key={lineId ?? unexpected?.gtin}
          heading={gradeHeading(line, unexpected, parcel, i18n.language, t)}
          category={line?.category ?? unexpected?.category ?? null}
          wrongItem={unexpected?.kind === 'wrong'}
          busy={grade.isPending}
          onSubmit={(s) => grade.mutate(s)}
          onCancel={() => events().gradingCancelled()}
          photosRefused={notice?.kind === 'error' && notice.during === 'grade' && notice.error.messageKey === 'error.photosRequired' ? notice.error : null}
          declaration={line && parcel?.declaration ? { declaration: parcel.declaration, photos: parcel.customerPhotos ?? [] } : undefined}
        />
      )}
      {step === 'scanParcel' && closedParcel && <OutcomesPanel parcel={closedParcel} />}
      {parcel && step !== 'search' && (
        <>
          <div className="parcel-bar">
            <ParcelHeader parcel={parcel} />
            <button type="button" className="btn btn-secondary" onClick={() => close()} disabled={busy || step === 'grade'} data-testid="close-parcel">
              <kbd>{CLOSE_KEY}</kbd> {t('intake.closeParcel')}
            </button>
          </div>
          {allReceived && step !== 'grade' && (
            <p className="all-received" data-testid="all-received">
              {t('intake.allReceived')}
            </p>
          )}
          {parcel.lines.length > 0 && <LinesTable parcel={parcel} activeLineId={step === 'grade' || step === 'result' ? lineId : null} />}
          {(parcel.items?.length ?? 0) > 0 && <ItemsTable parcel={parcel} />}
        </>
      )}
    </main>
  );
}

/** For a barcode that will not scan: type it. The scanner still works while this has focus. */
function ManualEntry({ onSubmit, disabled, takeFocus }: { onSubmit: (code: string) => void; disabled: boolean; takeFocus: boolean }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  // Focus comes back after each answer, so a typed code can follow a refused one; not while an
  // offer (wrong item, search) waits for a key, which a focused field would swallow.
  useEffect(() => {
    if (!disabled && takeFocus) ref.current?.focus();
  }, [disabled, takeFocus]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    if (!value) return;
    setCode('');
    onSubmit(value);
  };
  return (
    <form className="manual" onSubmit={submit}>
      <label htmlFor="manual-code" className="sr-only">
        {t('intake.manualLabel')}
      </label>
      <input
        id="manual-code"
        ref={ref}
        className="input"
        placeholder={t('intake.manualLabel')}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        data-testid="manual-code"
      />
      <button type="submit" className="btn btn-secondary" disabled={disabled || !code.trim()} data-testid="manual-submit">
        {t('intake.manualSubmit')}
      </button>
    </form>
  );
}
