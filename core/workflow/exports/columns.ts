import type { ItemReportRow } from '../../../db/repositories/reports.js';
import {
  CATEGORY_NAMES,
  DESTINATION_NAMES,
  DISPOSITION_NAMES,
  displayName,
  FLAG_NAMES,
  ITEM_KIND_NAMES,
  REASON_NAMES,
  REVIEW_STATUS_NAMES,
  type DisplayLanguage,
  type Names,
} from '../../../contract/displayNames.js';
import { RuleSetSource } from '../../../contract/entities.js';
import { ruleSetLabel } from '../../../domain/rules/ruleSetLabel.js';

/** How a column is stored: text, whole number, yen (whole number, ¥ format), decimal, or site-local date-time. */
export type ColumnType = 'text' | 'int' | 'yen' | 'decimal' | 'datetime';

export interface ItemColumn {
  key: string;
  header: { ja: string; en: string };
  type: ColumnType;
  /** XLSX width in characters. */
  width: number;
  /** The cell; names are in the export's language (the office reads them), codes have their own columns. */
  value(row: ItemReportRow, language: DisplayLanguage): string | number | null;
}

const named = (names: Names<string>, code: string | null, language: DisplayLanguage): string | null => (code === null ? null : displayName(names, code, language));
/** Flags come as space-separated codes (db/repositories/reports.ts); names are joined with a separator that reads in both languages. */
const flagNames = (codes: string | null, language: DisplayLanguage): string | null =>
  codes === null ? null : codes.split(' ').filter(Boolean).map((c) => displayName(FLAG_NAMES, c, language)).join(language === 'ja' ? '、' : ', ');

/** "サイト v3" / "作業台 BENCH-01 v3" / "標準 v2" in the file's language; "v3" for an item graded before its rule set's source was recorded. */
const ruleSetOf = (r: ItemReportRow, language: DisplayLanguage): string => {
  const source = RuleSetSource.safeParse(r.ruleSetSource);
  return ruleSetLabel(r.ruleSetVersion, source.success ? { source: source.data, ...(r.ruleSetSourceId !== null ? { sourceId: r.ruleSetSourceId } : {}) } : null, language);
};

const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

/**
 * The rule set behind each row as codes, as the site's export has them (hub/siteExport.ts): its source (shipped /
 * bench / site), the bench's station id or the site id, and its content hash, so the office can tell a bench's v3
 * from the site's v3 (and two versions with the same rules) apart.
 */
const RULE_SET_CODE_COLUMNS: readonly ItemColumn[] = [
  { key: 'ruleSetSourceCode', header: { ja: 'ルールセット区分コード', en: 'Rule set source code' }, type: 'text', width: 12, value: (r) => r.ruleSetSource },
  { key: 'ruleSetSourceId', header: { ja: 'ルールセットの作業台・サイトID', en: 'Rule set bench or site ID' }, type: 'text', width: 14, value: (r) => r.ruleSetSourceId },
  { key: 'ruleSetSha256', header: { ja: 'ルールセットSHA-256', en: 'Rule set SHA-256' }, type: 'text', width: 66, value: (r) => r.ruleSetSha256 },
];

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
  { key: 'kind', header: { ja: '種別', en: 'Kind' }, type: 'text', width: 12, value: (r, l) => named(ITEM_KIND_NAMES, r.kind, l) },
  { key: 'sku', header: { ja: 'SKU', en: 'SKU' }, type: 'text', width: 14, value: (r) => r.sku },
  { key: 'product', header: { ja: '商品名', en: 'Product' }, type: 'text', width: 30, value: (r) => r.productNameJa ?? r.productName },
  { key: 'category', header: { ja: 'カテゴリ', en: 'Category' }, type: 'text', width: 12, value: (r, l) => named(CATEGORY_NAMES, r.category, l) },
  { key: 'reason', header: { ja: '返品理由', en: 'Reason' }, type: 'text', width: 18, value: (r, l) => named(REASON_NAMES, r.reason, l) },
  { key: 'grade', header: { ja: 'グレード', en: 'Grade' }, type: 'text', width: 8, value: (r) => r.grade },
  { key: 'disposition', header: { ja: '処分', en: 'Disposition' }, type: 'text', width: 14, value: (r, l) => named(DISPOSITION_NAMES, r.disposition, l) },
  { key: 'destination', header: { ja: '行き先', en: 'Destination' }, type: 'text', width: 14, value: (r, l) => named(DESTINATION_NAMES, r.destination, l) },
  { key: 'ruleId', header: { ja: 'ルール', en: 'Rule' }, type: 'text', width: 18, value: (r) => r.ruleId },
  { key: 'ruleSet', header: { ja: 'ルールセット', en: 'Rule set' }, type: 'text', width: 22, value: ruleSetOf },
  { key: 'ruleSetVersion', header: { ja: 'ルールセット版', en: 'Rule set version' }, type: 'int', width: 10, value: (r) => r.ruleSetVersion },
  { key: 'flags', header: { ja: 'フラグ', en: 'Flags' }, type: 'text', width: 24, value: (r, l) => flagNames(r.flags, l) },
  { key: 'reviewStatus', header: { ja: 'レビュー', en: 'Review' }, type: 'text', width: 14, value: (r, l) => named(REVIEW_STATUS_NAMES, r.reviewStatus, l) },
  { key: 'priceJpy', header: { ja: '価格(円)', en: 'Price (JPY)' }, type: 'yen', width: 12, value: (r) => r.priceJpy },
  { key: 'factor', header: { ja: '回収率', en: 'Recovery factor' }, type: 'decimal', width: 10, value: (r) => r.factor },
  { key: 'recoveryJpy', header: { ja: '回収額(円)', en: 'Recovery (JPY)' }, type: 'yen', width: 14, value: (r) => r.recoveryJpy },
  // The codes, for lookups and pivots that must not depend on the language of the file.
  { key: 'kindCode', header: { ja: '種別コード', en: 'Kind code' }, type: 'text', width: 10, value: (r) => r.kind },
  { key: 'categoryCode', header: { ja: 'カテゴリコード', en: 'Category code' }, type: 'text', width: 12, value: (r) => r.category },
  { key: 'reasonCode', header: { ja: '返品理由コード', en: 'Reason code' }, type: 'text', width: 14, value: (r) => r.reason },
  { key: 'dispositionCode', header: { ja: '処分コード', en: 'Disposition code' }, type: 'text', width: 12, value: (r) => r.disposition },
  { key: 'destinationCode', header: { ja: '行き先コード', en: 'Destination code' }, type: 'text', width: 14, value: (r) => r.destination },
  { key: 'flagCodes', header: { ja: 'フラグコード', en: 'Flag codes' }, type: 'text', width: 24, value: (r) => r.flags },
  { key: 'reviewStatusCode', header: { ja: 'レビューコード', en: 'Review code' }, type: 'text', width: 12, value: (r) => r.reviewStatus },
  ...RULE_SET_CODE_COLUMNS,
];
