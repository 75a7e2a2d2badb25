import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParcelView } from '../../../contract/index.js';
import type { AlreadyReceived } from '../state/intake.js';
import { ItemsTable } from './ParcelView.js';

function jstDateTime(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(d);
}

/**
 * A return whose parcel was closed, scanned again: what came and when, a reprint of each label, a second
 * parcel only on purpose (split shipment, key S), and for a lead a reopen (key O) of a parcel closed by mistake.
 */
export function AlreadyReceivedPanel({
  info,
  parcel,
  canReopen,
  busy,
  onReprint,
  onSplitShipment,
  onReopen,
}: {
  info: AlreadyReceived;
  parcel: ParcelView | null;
  canReopen: boolean;
  busy: boolean;
  onReprint: (lpn: string) => void;
  onSplitShipment: () => void;
  onReopen: () => void;
}) {
  const { t, i18n } = useTranslation();
  // Out of the code field, so S and O reach the screen (the scanner works wherever focus is).
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), [info]);
  const items = parcel?.items ?? [];
  return (
    <section ref={box} tabIndex={-1} className="card already-received" data-testid="already-received" data-parcel-id={info.parcelId}>
      <h3 data-testid="already-received-text">
        {t('intake.alreadyReceived.title', { rma: parcel?.rmaNumber ?? '', date: jstDateTime(info.receivedAt, i18n.language), bench: info.bench, operator: info.operator })}
      </h3>
      {parcel && items.length > 0 ? <ItemsTable parcel={parcel} /> : <p>{t('intake.alreadyReceived.noItems')}</p>}
      <div className="offer-buttons">
        {items.map((item) => (
          <button key={item.itemId} type="button" className="btn btn-secondary" disabled={busy} onClick={() => onReprint(item.lpn)} data-testid="already-received-reprint">
            {t('intake.alreadyReceived.reprint', { lpn: item.lpn })}
          </button>
        ))}
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={onSplitShipment} data-testid="already-received-split">
          <kbd>S</kbd> {t('intake.alreadyReceived.split')}
        </button>
        {canReopen && (
          <button type="button" className="btn btn-secondary" disabled={busy} onClick={onReopen} data-testid="already-received-reopen">
            <kbd>O</kbd> {t('intake.alreadyReceived.reopen')}
          </button>
        )}
      </div>
      <p className="hint">{t('intake.alreadyReceived.hint')}</p>
    </section>
  );
}

/** Closing with lines still waiting: a second, different key (Y) or the button; Esc keeps the parcel open. */
export function ConfirmClosePanel({ parcel, busy, onConfirm, onCancel }: { parcel: ParcelView; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), []);
  const missing = parcel.lines.reduce((n, l) => n + Math.max(0, l.expectedQty - l.receivedQty), 0);
  const empty = (parcel.items?.length ?? 0) === 0;
  return (
    <section ref={box} tabIndex={-1} className="card confirm-close" data-testid="close-confirm" role="alertdialog" aria-labelledby="close-confirm-title">
      <h3 id="close-confirm-title">{t('intake.confirmClose.title')}</h3>
      {missing > 0 && <p data-testid="close-confirm-missing">{t('intake.confirmClose.missing', { count: missing })}</p>}
      {empty && <p>{t('intake.confirmClose.empty')}</p>}
      <div className="offer-buttons">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={onConfirm} data-testid="close-confirm-yes">
          <kbd>Y</kbd> {t('intake.confirmClose.yes')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={onCancel} data-testid="close-confirm-no">
          <kbd>Esc</kbd> {t('intake.confirmClose.no')}
        </button>
      </div>
    </section>
  );
}
