import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { GradedItemResult, PrintOutcome } from '../../../contract/index.js';
import { queryKeys, useStation } from '../station/StationContext.js';
import { usePrintFate } from '../ui/printFate.js';
import { RuleLine } from '../ui/RuleLine.js';

/** The label SVG comes from our own backend; an <img> keeps it inert (no script, no DOM access). */
function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export interface ReprintControl {
  busy: boolean;
  /** The answer to the last reprint of this item, if one was asked for. */
  outcome: PrintOutcome | null;
  onReprint: () => void;
}

export function ResultPanel({ item, reprint }: { item: GradedItemResult; reprint?: ReprintControl }) {
  const { t, i18n } = useTranslation();
  const r = item.routing;
  const why = i18n.language === 'ja' ? r.explanationJa : r.explanation;
  const panel = useRef<HTMLElement>(null);
  const station = useStation();
  // In the language the label was printed in (Intake sends the screen's language with item.grade).
  const language = i18n.language === 'en' ? 'en' : 'ja';
  // Asked for after the grade: the disposition is on screen while the station draws the label's barcode.
  const preview = useQuery({
    queryKey: queryKeys.labelPreview(item.itemId, language),
    queryFn: () => station.call('item.labelPreview', { itemId: item.itemId, language }),
    staleTime: Infinity,
  });
  // The floor knows the printer by the name the site gave it, not by its address; the printer's own
  // (English) error stays in the tooltip and the print queue, where support reads it.
  const printerName = (o: PrintOutcome) => o.printerName ?? t('result.printerDefault');
  // A label that waited for the printer: "printed" once it left the queue, not "waiting" after it came out.
  const print = usePrintFate(item.print, item.lpn) ?? item.print;
  // After photos or a long parcel the panel can appear below the fold on a 768-px bench screen;
  // the disposition is the one thing the operator must see, so it is brought into view each time.
  useEffect(() => {
    panel.current?.scrollIntoView?.({ block: 'nearest' });
  }, [item.itemId]);
  return (
    <section ref={panel} className={`card result result-${r.disposition}`} data-testid="result-panel" data-disposition={r.disposition}>
      <div className="result-main">
        <div className="result-disposition" data-testid="result-disposition">
          {t(`result.disposition.${r.disposition}`)}
        </div>
        <dl className="result-facts">
          <div className="field">
            <dt>{t('result.destination')}</dt>
            <dd data-testid="result-destination" data-code={r.destination}>
              {t(`destinationName.${r.destination}`, { defaultValue: r.destination })}
            </dd>
          </div>
          <div className="field">
            <dt>{t('result.grade')}</dt>
            <dd data-testid="result-grade">{item.grade === 'scrap' ? t('grade.scrap') : item.grade}</dd>
          </div>
          <div className="field">
            <dt>{t('result.lpn')}</dt>
            <dd className="mono" data-testid="result-lpn">
              {item.lpn}
            </dd>
          </div>
        </dl>
        <div className="result-why">
          <h3>{t('result.why')}</h3>
          <p data-testid="result-why">{why}</p>
          <RuleLine rule={item.rule} ruleId={r.ruleId} version={r.ruleSetVersion} origin={r.ruleSetOrigin} flags={item.flags} testId="result-rule" />
        </div>
        <p className={`print print-${print.status}`} data-testid="print-status" data-status={print.status} title={[print.printer, print.message].filter(Boolean).join(' — ')}>
          {t(`result.print.${print.status}`, { printer: printerName(print) })}
        </p>
        {reprint && (
          <div className="row">
            <button type="button" className="btn btn-secondary btn-small" onClick={reprint.onReprint} disabled={reprint.busy} data-testid="reprint">
              <kbd>R</kbd> {t('result.reprint')}
            </button>
            {reprint.outcome && (
              <span className={`print print-${reprint.outcome.status}`} data-testid="reprint-status" data-status={reprint.outcome.status}>
                {t(`result.print.${reprint.outcome.status}`, { printer: printerName(reprint.outcome) })}
              </span>
            )}
          </div>
        )}
      </div>
      <figure className="label-preview">
        <figcaption>{t('result.label')}</figcaption>
        {preview.data ? (
          <img src={svgDataUrl(preview.data.labelSvg)} alt={t('result.labelAlt', { lpn: item.lpn })} data-testid="label-preview" />
        ) : (
          <div className="label-preview-pending" aria-hidden="true" />
        )}
      </figure>
    </section>
  );
}
