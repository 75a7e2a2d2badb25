import { useTranslation } from 'react-i18next';
import type { ParcelLineView, ParcelView } from '../../../core/contract/index.js';

export function productName(line: ParcelLineView, language: string): string {
  return language === 'ja' ? line.productNameJa : line.productName;
}

export function ParcelHeader({ parcel }: { parcel: ParcelView }) {
  const { t } = useTranslation();
  const fields: [string, string, string][] = [
    ['rma-number', t('intake.rma'), parcel.rmaNumber],
    ['order-number', t('intake.order'), parcel.orderNumber],
    ['customer', t('intake.customer'), parcel.customerName],
    ['carrier', t('intake.carrier'), t(`carrier.${parcel.carrier ?? 'unknown'}`)],
    ['scanned-code', t('intake.scannedCode'), parcel.scannedCode],
  ];
  return (
    <dl className="parcel-header card" data-testid="parcel-header">
      {fields.map(([id, label, value]) => (
        <div key={id} className="field">
          <dt>{label}</dt>
          <dd data-testid={id}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function LinesTable({ parcel, activeLineId }: { parcel: ParcelView; activeLineId: string | null }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card lines" aria-label={t('intake.lines')}>
      <table data-testid="parcel-lines">
        <thead>
          <tr>
            <th>{t('intake.product')}</th>
            <th>{t('intake.sku')}</th>
            <th>{t('intake.reason')}</th>
            <th className="num">{t('intake.expected')}</th>
            <th className="num">{t('intake.received')}</th>
          </tr>
        </thead>
        <tbody>
          {parcel.lines.map((line) => {
            const active = line.lineId === activeLineId;
            const done = line.receivedQty >= line.expectedQty;
            return (
              <tr
                key={line.lineId}
                className={`${active ? 'line-active' : ''} ${done ? 'line-done' : ''}`}
                aria-current={active ? 'true' : undefined}
                data-testid="line-row"
                data-line-id={line.lineId}
                data-active={active}
              >
                <td className="product">{productName(line, i18n.language)}</td>
                <td className="mono">{line.sku}</td>
                <td>{t(`reason.${line.reason}`)}</td>
                <td className="num">{line.expectedQty}</td>
                <td className="num" data-testid="line-received">
                  {line.receivedQty}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
