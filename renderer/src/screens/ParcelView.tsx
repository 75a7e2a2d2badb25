import { useTranslation } from 'react-i18next';
import type { ParcelLineView, ParcelView } from '../../../contract/index.js';

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
    ...(parcel.returnChannel ? [['return-channel', t('intake.channel'), t(`channel.${parcel.returnChannel}`)] as [string, string, string]] : []),
    ['scanned-code', t('intake.scannedCode'), parcel.scannedCode],
  ];
  return (
    <dl className="parcel-header card" data-testid="parcel-header">
      {fields.map(([id, label, value]) => (
        <div key={id} className="field">
          <dt>{label}</dt>
          <dd data-testid={id} className={id === 'customer' ? 'person-name' : undefined}>
            {value}
          </dd>
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

/** Every item graded in this parcel, expected or not: a wrong item shows what was expected beside what came. */
export function ItemsTable({ parcel }: { parcel: ParcelView }) {
  const { t } = useTranslation();
  return (
    <section className="card lines" aria-label={t('intake.items')}>
      <table data-testid="parcel-items">
        <thead>
          <tr>
            <th>{t('result.lpn')}</th>
            <th>{t('intake.sku')}</th>
            <th>{t('intake.kind')}</th>
            <th>{t('result.grade')}</th>
            <th>{t('reports.disposition')}</th>
            <th>{t('intake.review')}</th>
          </tr>
        </thead>
        <tbody>
          {(parcel.items ?? []).map((item) => (
            <tr key={item.itemId} data-testid="item-row" data-kind={item.kind}>
              <td className="mono">{item.lpn}</td>
              <td className="mono">
                {item.sku}
                {item.kind === 'wrong' && item.expectedSku ? ` ≠ ${item.expectedSku}` : ''}
              </td>
              <td>{t(`itemKind.${item.kind}`)}</td>
              <td>{item.grade === 'scrap' ? t('grade.scrap') : item.grade}</td>
              <td>{t(`result.disposition.${item.disposition}`)}</td>
              <td>{t(`reviewStatus.${item.reviewStatus}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** What closing the parcel recorded: extra, wrong and missing items, an empty box. */
export function OutcomesPanel({ parcel }: { parcel: ParcelView }) {
  const { t } = useTranslation();
  const outcomes = parcel.outcomes ?? [];
  return (
    <section className="card outcomes" data-testid="parcel-outcomes" data-count={outcomes.length}>
      <h3>{t('outcome.title', { rma: parcel.rmaNumber || t('outcome.noRma') })}</h3>
      {outcomes.length === 0 ? (
        <p className="ok-text">{t('outcome.complete')}</p>
      ) : (
        <ul>
          {outcomes.map((o, i) => (
            <li key={i} data-testid="outcome" data-kind={o.kind}>
              <strong>{t(`outcome.kind.${o.kind}`)}</strong> ×{o.qty}
              {o.expectedSku && ` · ${t('outcome.expected', { sku: o.expectedSku })}`}
              {o.receivedSku && ` · ${t('outcome.received', { sku: o.receivedSku })}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
