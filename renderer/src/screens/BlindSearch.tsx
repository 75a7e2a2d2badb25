import { useMutation } from '@tanstack/react-query';
import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParcelView, RmaCandidate } from '../../../contract/index.js';
import { useSingleKeys } from '../scanner/ScannerProvider.js';
import { useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { formatDateTime } from '../ui/format.js';
import { NoticePanel } from '../ui/NoticePanel.js';

/**
 * A parcel whose label matched no return: search by order number, name or kana, phone, SKU; open the
 * parcel with a candidate's RMA number, or receive it as an unexpected return for a lead to link later.
 */
/** A code scanned while the search shows; `seq` tells the same code scanned twice apart. */
export interface ScannedIntoSearch {
  code: string;
  seq: number;
}

export function BlindSearch({
  unmatchedCode,
  scanned,
  busy,
  onPick,
  onReceived,
  onCancel,
}: {
  unmatchedCode: string | null;
  scanned: ScannedIntoSearch | null;
  busy: boolean;
  onPick: (candidate: RmaCandidate) => void;
  onReceived: (parcel: ParcelView) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const [q, setQ] = useState('');
  const [known, setKnown] = useState({ orderNumber: '', customerName: '', phone: '', note: '' });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const search = useMutation({ mutationFn: (query: string) => station.call('parcel.search', { q: query }) });
  const receive = useMutation({
    mutationFn: () =>
      station.call('parcel.receiveUnexpected', {
        ...(unmatchedCode ? { scannedCode: unmatchedCode } : {}),
        ...Object.fromEntries(Object.entries(known).filter(([, v]) => v.trim() !== '')),
      }),
    onSuccess: onReceived,
  });
  const candidates = search.data?.candidates ?? [];
  // A scan is searched for as if typed: the field shows it, so the operator sees what was looked up.
  // A scan from before this search opened is not one for it.
  const seqAtOpen = useRef(scanned?.seq);
  useEffect(() => {
    if (!scanned || scanned.seq === seqAtOpen.current) return;
    setQ(scanned.code);
    search.mutate(scanned.code.trim());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per scan
  }, [scanned?.seq]);

  // Digits pick a candidate once the list is showing and no field has focus.
  useSingleKeys((key) => {
    if (key === 'Escape') return onCancel();
    const n = Number(key);
    const c = Number.isInteger(n) && n >= 1 ? candidates[n - 1] : undefined;
    if (c && !busy) onPick(c);
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const query = q.trim();
    if (query.length >= 2) search.mutate(query);
  };
  const error = search.error ?? receive.error;

  return (
    <section className="card blind" data-testid="blind-search">
      <h2 className="prompt">{t('blind.title')}</h2>
      {unmatchedCode && <p className="hint">{t('blind.unmatched', { code: unmatchedCode })}</p>}
      <form className="manual" onSubmit={submit}>
        <label htmlFor="blind-q" className="sr-only">
          {t('blind.query')}
        </label>
        <input
          id="blind-q"
          ref={input}
          className="input input-wide"
          placeholder={t('blind.query')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          autoComplete="off"
          data-testid="blind-query"
        />
        <button type="submit" className="btn btn-primary" disabled={q.trim().length < 2 || search.isPending} data-testid="blind-search-submit">
          {t('blind.search')}
        </button>
      </form>
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      {search.data && (
        <>
          <p className="hint" data-testid="blind-source">
            {search.data.source === 'wms' ? t('blind.sourceWms') : t('blind.sourceLocal')} · {t('blind.count', { count: candidates.length })}
          </p>
          {search.data.more && (
            <p className="warn" data-testid="blind-more">
              {t('blind.more', { count: candidates.length })}
            </p>
          )}
          {search.data.waitingForIndex > 0 && (
            <p className="warn" data-testid="blind-waiting-for-index">
              {t('blind.waitingForIndex', { count: search.data.waitingForIndex })}
            </p>
          )}
          <CandidateList candidates={candidates} busy={busy} onPick={onPick} />
        </>
      )}
      <details className="unexpected" open={search.data !== undefined && candidates.length === 0}>
        <summary>{t('blind.receiveTitle')}</summary>
        <p className="hint">{t('blind.receiveHint')}</p>
        <div className="form-grid">
          {(['orderNumber', 'customerName', 'phone', 'note'] as const).map((k) => (
            <label key={k}>
              {t(`blind.known.${k}`)}
              <input className="input" value={known[k]} onChange={(e) => setKnown({ ...known, [k]: e.target.value })} data-testid={`blind-known-${k}`} />
            </label>
          ))}
        </div>
        <button type="button" className="btn btn-primary" onClick={() => receive.mutate()} disabled={receive.isPending || busy} data-testid="blind-receive">
          {t('blind.receive')}
        </button>
      </details>
      <button type="button" className="btn btn-secondary" onClick={onCancel} data-testid="blind-cancel">
        {t('blind.cancel')}
      </button>
    </section>
  );
}

/**
 * The candidates, drawn again only when they change: the search field above re-renders on every key, and a
 * scanner's keys typed into it must not wait for twenty rows to be drawn each time.
 */
const CandidateList = memo(function CandidateList({ candidates, busy, onPick }: { candidates: RmaCandidate[]; busy: boolean; onPick: (c: RmaCandidate) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <ol className="candidates" data-testid="blind-candidates">
      {candidates.map((c, i) => (
        <li key={c.rmaNumber}>
          <button type="button" className="candidate" onClick={() => onPick(c)} disabled={busy} data-testid="blind-candidate" data-rma={c.rmaNumber}>
            <kbd>{i + 1}</kbd>
            <span className="mono">{c.rmaNumber}</span>
            <span className="mono">{c.orderNumber}</span>
            <span>
              <span className="person-name">{c.customerName}</span>（<span className="person-name">{c.customerKana}</span>）
            </span>
            <span className="hint">{formatDateTime(c.createdAt, i18n.language)}</span>
            <span className="hint">
              {c.lines.map((l) => `${i18n.language === 'ja' ? l.productNameJa : l.productName} ×${l.qty}`).join(i18n.language === 'ja' ? '、' : ', ')}
            </span>
            <span className="tags">
              {c.matchedOn.map((m) => (
                <em key={m} className="tag">
                  {t(`blind.matchedOn.${m}`)}
                </em>
              ))}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
});
