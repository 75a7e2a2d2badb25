import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParcelView } from '../../../contract/index.js';
import type { ProductNames, Unexpected, UnknownItem } from '../state/intake.js';
import { productName } from './ParcelView.js';

function openLines(parcel: ParcelView) {
  return parcel.lines.filter((l) => l.receivedQty < l.expectedQty).slice(0, 9);
}

/** The scanned product as the operator knows it: its name and SKU when the catalogue has it, else its SKU or code. */
export function unknownItemLabel(item: Pick<UnknownItem, 'gtin' | 'sku' | 'names'>, language: string): string {
  const code = item.sku ?? item.gtin;
  return item.names ? `${namesIn(item.names, language)} ${code}` : code;
}

/** The catalogue's name in the UI language. */
export const namesIn = (names: ProductNames, language: string): string => (language === 'ja' ? names.ja : names.en);

const identity = (item: UnknownItem) => ({ gtin: item.gtin, sku: item.sku, ...(item.names ? { names: item.names } : {}) });

/** What a key press means while the offer shows (the intake screen owns the keys; Escape dismisses the offer). */
export function unexpectedForKey(parcel: ParcelView, item: UnknownItem, key: string): Unexpected | undefined {
  if (key === '0') return { kind: 'extra', ...identity(item) };
  const line = /^[1-9]$/.test(key) ? openLines(parcel)[Number(key) - 1] : undefined;
  return line ? { kind: 'wrong', ...identity(item), insteadOfLineId: line.lineId } : undefined;
}

/** An item the return does not expect: it came instead of a line (keys 1…9), or it is extra (key 0). */
export function UnexpectedOffer({ parcel, item, onChoose }: { parcel: ParcelView; item: UnknownItem; onChoose: (u: Unexpected) => void }) {
  const { t, i18n } = useTranslation();
  const open = openLines(parcel);
  const wrong = (lineId: string): Unexpected => ({ kind: 'wrong', ...identity(item), insteadOfLineId: lineId });
  const code = unknownItemLabel(item, i18n.language);
  // Out of the code field, so the digit keys answer the offer (the scanner works wherever focus is).
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.querySelector('button')?.focus(), [item]);
  return (
    <section ref={box} className="card unexpected-offer" data-testid="unexpected-offer" data-over-receipt={item.overReceipt ? 'true' : undefined}>
      <h3>{item.overReceipt ? t('unexpected.overReceiptTitle', { code }) : t('unexpected.title', { code })}</h3>
      <div className="offer-buttons">
        {open.map((l, i) => (
          <button key={l.lineId} type="button" className="btn btn-secondary offer" onClick={() => onChoose(wrong(l.lineId))} data-testid="unexpected-wrong" data-line-id={l.lineId}>
            <kbd>{i + 1}</kbd> {t('unexpected.insteadOf', { product: productName(l, i18n.language), sku: l.sku })}
          </button>
        ))}
        <button type="button" className="btn btn-secondary offer" onClick={() => onChoose({ kind: 'extra', ...identity(item) })} data-testid="unexpected-extra">
          <kbd>0</kbd> {t('unexpected.extra')}
        </button>
      </div>
    </section>
  );
}
