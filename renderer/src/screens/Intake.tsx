import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GradedItem, Grade, ParcelLineView, ParcelView } from '../../../core/contract/index.js';
import { useScan, useSingleKeys, type ScanInput } from '../scanner/ScannerProvider.js';
import { useIntakeStore } from '../state/intake.js';
import { queryKeys, useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { feedback } from '../ui/feedback.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { GradePanel, gradeForKey } from './GradePanel.js';
import { LinesTable, ParcelHeader } from './ParcelView.js';
import { ResultPanel } from './ResultPanel.js';

/** Reads an entry the screen itself put in the cache (parcel.open / item.grade answers); there is no call to refetch them. */
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

export function Intake() {
  const { t } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const step = useIntakeStore((s) => s.step);
  const parcelId = useIntakeStore((s) => s.parcelId);
  const lineId = useIntakeStore((s) => s.lineId);
  const itemId = useIntakeStore((s) => s.itemId);
  const notice = useIntakeStore((s) => s.notice);
  const events = useIntakeStore.getState;

  const parcel = useCached<ParcelView>(parcelId ? queryKeys.parcel(parcelId) : null);
  const graded = useCached<GradedItem>(itemId ? queryKeys.graded(itemId) : null);
  const line = parcel?.lines.find((l) => l.lineId === lineId) ?? null;

  const openParcel = useMutation({
    mutationFn: (code: string) => station.call('parcel.open', { code }),
    onSuccess: (view) => {
      feedback('success');
      queryClient.setQueryData(queryKeys.parcel(view.parcelId), view);
      events().parcelOpened(view.parcelId);
    },
    onError: (e) => {
      feedback('error');
      events().scanRejected({ kind: 'error', error: toApiError(e), during: 'parcel' });
    },
  });

  const matchItem = useMutation({
    mutationFn: (input: { parcelId: string; code: string }) => station.call('parcel.matchItem', input),
    onSuccess: (match) => {
      feedback('success');
      queryClient.setQueryData<ParcelView | null>(queryKeys.parcel(match.parcelId), (p) => (p ? withLine(p, match.line) : p));
      events().itemMatched(match.line.lineId);
    },
    onError: (e) => {
      feedback('error');
      events().scanRejected({ kind: 'error', error: toApiError(e), during: 'item' });
    },
  });

  const grade = useMutation({
    mutationFn: (input: { parcelId: string; lineId: string; grade: Grade }) => station.call('item.grade', input),
    onSuccess: (item, input) => {
      feedback(item.routing.disposition === 'quarantine' ? 'review' : 'success');
      queryClient.setQueryData(queryKeys.graded(item.itemId), item);
      // The station counted the item; mirror that on the line until the next answer brings the real count.
      queryClient.setQueryData<ParcelView | null>(queryKeys.parcel(input.parcelId), (p) =>
        p ? { ...p, lines: p.lines.map((l) => (l.lineId === input.lineId ? { ...l, receivedQty: l.receivedQty + 1 } : l)) } : p,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.sync });
      events().itemGraded(item.itemId);
    },
    onError: (e) => {
      feedback('error');
      events().scanRejected({ kind: 'error', error: toApiError(e), during: 'grade' });
    },
  });

  const busy = openParcel.isPending || matchItem.isPending || grade.isPending;

  const codeEntered = (code: string): void => {
    if (busy) return;
    if (step === 'scanParcel' || !parcelId) openParcel.mutate(code);
    else matchItem.mutate({ parcelId, code });
  };

  useScan((scan: ScanInput) => {
    if (scan.kind === 'problem') {
      feedback('error');
      events().scanRejected({ kind: 'scanner', problems: scan.problems, raw: scan.raw });
      return;
    }
    codeEntered(scan.text);
  });

  useSingleKeys((key) => {
    if (key === 'Escape') {
      if (busy) return;
      if (step === 'grade') events().gradingCancelled();
      else if (step === 'scanParcel') events().noticeDismissed();
      else events().parcelClosed();
      return;
    }
    if (step !== 'grade' || !parcelId || !lineId || busy) return;
    const g = gradeForKey(key);
    if (g) grade.mutate({ parcelId, lineId, grade: g });
  });

  const prompt =
    step === 'scanParcel' ? t('intake.scanParcel') : step === 'grade' ? t('grade.prompt') : t('intake.scanItem');
  const hint = step === 'scanParcel' ? t('intake.scanParcelHint') : t('intake.scanItemHint');
  const allReceived = parcel !== null && parcel !== undefined && parcel.lines.every((l) => l.receivedQty >= l.expectedQty);

  return (
    <main className={`screen intake step-${step}`} data-testid="screen-intake" data-step={step}>
      {step !== 'grade' && (
        <div className="scan-row">
          <div className="prompt-block">
            <h2 className="prompt" data-testid="prompt">
              {busy ? t('intake.working') : prompt}
            </h2>
            <p className="hint">{step === 'result' ? t('result.next') : hint}</p>
          </div>
          <ManualEntry key={step} onSubmit={codeEntered} disabled={busy} />
        </div>
      )}
      {notice && <NoticePanel notice={notice} onDismiss={() => events().noticeDismissed()} />}
      {step === 'result' && graded && <ResultPanel item={graded} />}
      {step === 'grade' && line && parcelId && (
        <GradePanel
          line={line}
          busy={grade.isPending}
          onGrade={(g) => grade.mutate({ parcelId, lineId: line.lineId, grade: g })}
          onCancel={() => events().gradingCancelled()}
        />
      )}
      {parcel && (
        <>
          <div className="parcel-bar">
            <ParcelHeader parcel={parcel} />
            <button type="button" className="btn btn-secondary" onClick={() => events().parcelClosed()} disabled={busy} data-testid="close-parcel">
              {t('intake.closeParcel')}
            </button>
          </div>
          {allReceived && step !== 'grade' && (
            <p className="all-received" data-testid="all-received">
              {t('intake.allReceived')}
            </p>
          )}
          <LinesTable parcel={parcel} activeLineId={step === 'grade' || step === 'result' ? lineId : null} />
        </>
      )}
    </main>
  );
}

/** For a barcode that will not scan: type it. The scanner still works while this has focus. */
function ManualEntry({ onSubmit, disabled }: { onSubmit: (code: string) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  // Focus comes back after each answer, so a typed code can follow a refused one.
  useEffect(() => {
    if (!disabled) ref.current?.focus();
  }, [disabled]);
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
