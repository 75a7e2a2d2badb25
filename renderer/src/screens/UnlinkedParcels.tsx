import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParcelView } from '../../../contract/index.js';
import { useScan } from '../scanner/ScannerProvider.js';
import { useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { NoticePanel } from '../ui/NoticePanel.js';

const UNLINKED_KEY = ['parcels', 'unlinked'] as const;

/** Leads: blind returns received without an RMA, linked to one once it is known (the number typed or scanned into the field). */
export function UnlinkedParcels() {
  const { t } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: UNLINKED_KEY, queryFn: () => station.call('parcel.listUnlinked', {}) });
  const [linked, setLinked] = useState<ParcelView | null>(null);
  const link = useMutation({
    mutationFn: (i: { parcelId: string; rmaNumber: string }) => station.call('parcel.linkRma', i),
    onSuccess: (view) => {
      setLinked(view);
      void queryClient.invalidateQueries({ queryKey: UNLINKED_KEY });
      void queryClient.invalidateQueries({ queryKey: ['review'] });
    },
  });
  const rows = list.data ?? [];
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [active, setActive] = useState<string | null>(null);
  // A scanned RMA label links the parcel whose field was last used (the first one otherwise).
  useScan((scan) => {
    if (scan.kind !== 'scan') return 'pass';
    if (link.isPending) return;
    const target = rows.find((r) => r.parcelId === active) ?? rows[0];
    if (!target) return;
    setTyped((m) => ({ ...m, [target.parcelId]: scan.text }));
    link.mutate({ parcelId: target.parcelId, rmaNumber: scan.text.trim() });
  });
  const error = list.error ?? link.error;
  return (
    <section className="card" data-testid="unlinked-parcels" data-count={rows.length}>
      <h3>{t('unlinked.title', { count: rows.length })}</h3>
      <p className="hint">{t('unlinked.hint')}</p>
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      {linked && (
        <p className="ok-text" data-testid="unlinked-done" data-rma={linked.rmaNumber}>
          {t('unlinked.done', { code: linked.scannedCode, rma: linked.rmaNumber })}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="hint" data-testid="unlinked-none">
          {t('unlinked.none')}
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('unlinked.code')}</th>
              <th>{t('unlinked.known')}</th>
              <th>{t('unlinked.items')}</th>
              <th>{t('unlinked.rma')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <UnlinkedRow
                key={p.parcelId}
                parcel={p}
                rma={typed[p.parcelId] ?? ''}
                onType={(v) => setTyped((m) => ({ ...m, [p.parcelId]: v }))}
                onFocus={() => setActive(p.parcelId)}
                busy={link.isPending}
                onLink={(rmaNumber) => link.mutate({ parcelId: p.parcelId, rmaNumber })}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface RowProps {
  parcel: ParcelView;
  rma: string;
  onType: (value: string) => void;
  onFocus: () => void;
  busy: boolean;
  onLink: (rma: string) => void;
}

function UnlinkedRow({ parcel, rma, onType, onFocus, busy, onLink }: RowProps) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (rma.trim()) onLink(rma.trim());
  };
  const known = [parcel.customerName, parcel.orderNumber].filter((x) => x.trim() !== '').join(' · ');
  return (
    <tr data-testid="unlinked-row" data-parcel-id={parcel.parcelId} data-code={parcel.scannedCode}>
      <td className="mono">{parcel.scannedCode}</td>
      <td>{known || '—'}</td>
      <td>{parcel.items?.map((i) => i.sku).join(', ') ?? ''}</td>
      <td>
        <form className="row" onSubmit={submit}>
          <input
            className="input"
            value={rma}
            onChange={(e) => onType(e.target.value)}
            onFocus={onFocus}
            placeholder={t('unlinked.rmaPlaceholder')}
            aria-label={t('unlinked.rma')}
            autoComplete="off"
            spellCheck={false}
            data-testid="unlinked-rma"
          />
          <button type="submit" className="btn btn-primary btn-small" disabled={busy || !rma.trim()} data-testid="unlinked-link">
            {t('unlinked.link')}
          </button>
        </form>
      </td>
    </tr>
  );
}
