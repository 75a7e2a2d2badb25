import type { ItemReportRow } from '../../../db/repositories/reports.js';

/** How a column is stored: text, whole number, yen (whole number, ¥ format), decimal, or site-local date-time. */
export type ColumnType = 'text' | 'int' | 'yen' | 'decimal' | 'datetime';

export interface ItemColumn {
  key: string;
  header: { ja: string; en: string };
  type: ColumnType;
  /** XLSX width in characters. */
  width: number;
  value(row: ItemReportRow): string | number | null;
}

const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

/** The item detail of an export, in order; dates are UTC ISO here and become site time in the writers. */
export const itemColumns: readonly ItemColumn[] = [
  { key: 'lpn', header: { ja: 'LPN', en: 'LPN' }, type: 'text', width: 22, value: (r) => r.lpn },
  { key: 'gradedAt', header: { ja: '判定日時', en: 'Graded at' }, type: 'datetime', width: 20, value: (r) => r.gradedAt },
  { key: 'receivedAt', header: { ja: '受付日時', en: 'Received at' }, type: 'datetime', width: 20, value: (r) => r.receivedAt },
  { key: 'cycleSec', header: { ja: '処理時間(秒)', en: 'Receipt to disposition (s)' }, type: 'decimal', width: 14, value: (r) => round1(r.cycleSec) },
  { key: 'stationId', header: { ja: 'ステーション', en: 'Station' }, type: 'text', width: 12, value: (r) => r.stationId },
  { key: 'operatorId', header: { ja: '作業者ID', en: 'Operator ID' }, type: 'text', width: 12, value: (r) => r.operatorId },
  { key: 'operatorName', header: { ja: '作業者', en: 'Operator' }, type: 'text', width: 16, value: (r) => r.operatorName },
  { key: 'rmaNumber', header: { ja: 'RMA番号', en: 'RMA' }, type: 'text', width: 16, value: (r) => r.rmaNumber },
  { key: 'blindReturn', header: { ja: 'RMAなし返品', en: 'Blind return' }, type: 'int', width: 10, value: (r) => r.blindReturn },
  { key: 'kind', header: { ja: '種別', en: 'Kind' }, type: 'text', width: 10, value: (r) => r.kind },
  { key: 'sku', header: { ja: 'SKU', en: 'SKU' }, type: 'text', width: 14, value: (r) => r.sku },
  { key: 'product', header: { ja: '商品名', en: 'Product' }, type: 'text', width: 30, value: (r) => r.productNameJa ?? r.productName },
  { key: 'category', header: { ja: 'カテゴリ', en: 'Category' }, type: 'text', width: 12, value: (r) => r.category },
  { key: 'reason', header: { ja: '返品理由', en: 'Reason' }, type: 'text', width: 14, value: (r) => r.reason },
  { key: 'grade', header: { ja: 'グレード', en: 'Grade' }, type: 'text', width: 8, value: (r) => r.grade },
  { key: 'disposition', header: { ja: '処分', en: 'Disposition' }, type: 'text', width: 12, value: (r) => r.disposition },
  { key: 'destination', header: { ja: '行き先', en: 'Destination' }, type: 'text', width: 14, value: (r) => r.destination },
  { key: 'ruleId', header: { ja: 'ルール', en: 'Rule' }, type: 'text', width: 18, value: (r) => r.ruleId },
  { key: 'flags', header: { ja: 'フラグ', en: 'Flags' }, type: 'text', width: 24, value: (r) => r.flags },
  { key: 'reviewStatus', header: { ja: 'レビュー', en: 'Review' }, type: 'text', width: 12, value: (r) => r.reviewStatus },
  { key: 'priceJpy', header: { ja: '価格(円)', en: 'Price (JPY)' }, type: 'yen', width: 12, value: (r) => r.priceJpy },
  { key: 'factor', header: { ja: '回収率', en: 'Recovery factor' }, type: 'decimal', width: 10, value: (r) => r.factor },
  { key: 'recoveryJpy', header: { ja: '回収額(円)', en: 'Recovery (JPY)' }, type: 'yen', width: 14, value: (r) => r.recoveryJpy },
];
