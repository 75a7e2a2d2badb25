import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemLookup } from '../../../contract/index.js';
import { cleanScan } from '../../../domain/identifiers/scan-text.js';
import { parseLpn } from '../../../domain/identifiers/rma.js';
import type { ReprintControl } from './ResultPanel.js';

/** An item's own label (LPN-<bench>-<7 digits>), which names no parcel: the station is asked about the item instead. */
export function isLpnScan(code: string): boolean {
  return parseLpn(cleanScan(code).text).ok;
}

function jstDateTime(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(d);
}

/** The facts item.lookup gives, as the bench and the lead's review both show them. */
export function ItemFacts({ item }: { item: ItemLookup }) {
  const { t, i18n } = useTranslation();
  const product = (i18n.language === 'ja' ? item.nameJa : item.name) ?? item.name ?? item.nameJa;
  return (
    <dl className="result-facts item-found-facts">
      <div className="field">
        <dt>{t('intake.product')}</dt>
        <dd data-testid="item-found-product">
          {product ?? t('itemFound.unknownProduct')} <span className="mono">{item.sku}</span>
        </dd>
      </div>
      <div className="field">
        <dt>{t('result.grade')}</dt>
        <dd data-testid="item-found-grade">{item.grade === 'scrap' ? t('grade.scrap') : item.grade}</dd>
      </div>
      <div className="field">
        <dt>{t('itemFound.routing')}</dt>
        <dd data-testid="item-found-routing" data-disposition={item.disposition} data-destination={item.destination}>
          {t(`result.disposition.${item.disposition}`)} → {t(`destinationName.${item.destination}`, { defaultValue: item.destination })}
        </dd>
      </div>
      <div className="field">
        <dt>{t('itemFound.parcel')}</dt>
        <dd data-testid="item-found-parcel">
          {item.rmaNumber ? <span className="mono">{item.rmaNumber}</span> : t('itemFound.blind')} · {t(`itemFound.parcelStatus.${item.parcelStatus}`)}
          {item.kind !== 'expected' && <> · {t(`itemKind.${item.kind}`)}</>}
        </dd>
      </div>
      <div className="field">
        <dt>{t('review.statusLabel')}</dt>
        <dd data-testid="item-found-review" data-status={item.reviewStatus}>
          {t(`reviewStatus.${item.reviewStatus}`)}
          {item.reviewedBy && item.reviewedAt && <> · {t('itemFound.reviewedBy', { by: item.reviewedBy, at: jstDateTime(item.reviewedAt, i18n.language) })}</>}
        </dd>
      </div>
      <div className="field">
        <dt>{t('review.gradedAt')}</dt>
        <dd data-testid="item-found-graded" data-station={item.stationId}>
          {/* The site hub's answer names the bench that graded it (any bench of the site). */}
          {item.stationId
            ? t('itemFound.gradedAtBench', { at: jstDateTime(item.gradedAt, i18n.language), by: item.operatorName ?? item.operatorId, bench: item.stationId })
            : t('itemFound.gradedBy', { at: jstDateTime(item.gradedAt, i18n.language), by: item.operatorName ?? item.operatorId })}
        </dd>
      </div>
    </dl>
  );
}

/**
 * A graded item's LPN scanned where a parcel was expected: staff found a labelled item on the bench and want to know
 * what it is and where it goes, not to receive it again. Its label can be printed again when this bench printed it.
 * `inHand`: scanned with a parcel open, the item is one of that parcel (graded already) or of another parcel.
 */
export function ItemFoundPanel({ item, reprint, inHand = null }: { item: ItemLookup; reprint: ReprintControl; inHand?: 'thisParcel' | 'otherParcel' | null }) {
  const { t } = useTranslation();
  // Out of the code field, so R reaches the screen (the scanner works wherever the focus is).
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), [item.itemId]);
  return (
    <section ref={box} tabIndex={-1} className={`card result result-${item.disposition} item-found`} data-testid="item-found" data-lpn={item.lpn} data-in-hand={inHand ?? undefined}>
      <h3>
        {t(inHand === 'thisParcel' ? 'itemFound.thisParcelTitle' : 'itemFound.title')} <span className="mono" data-testid="item-found-lpn">{item.lpn}</span>
      </h3>
      <ItemFacts item={item} />
      <div className="row">
        {item.labelPrinted ? (
          <button type="button" className="btn btn-secondary btn-small" onClick={reprint.onReprint} disabled={reprint.busy} data-testid="item-found-reprint">
            <kbd>R</kbd> {t('result.reprint')}
          </button>
        ) : (
          <span className="hint" data-testid="item-found-no-label">{t('itemFound.noLabelHere')}</span>
        )}
        {reprint.outcome && (
          <span className={`print print-${reprint.outcome.status}`} data-testid="reprint-status" data-status={reprint.outcome.status}>
            {t(`result.print.${reprint.outcome.status}`, { printer: reprint.outcome.printerName ?? t('result.printerDefault') })}
          </span>
        )}
      </div>
      <p className="hint" data-testid="item-found-hint">
        {t(inHand === 'thisParcel' ? 'itemFound.thisParcelHint' : inHand === 'otherParcel' ? 'itemFound.otherParcelHint' : 'itemFound.hint')}
      </p>
    </section>
  );
}
