// The names the floor and the office read for the station's codes, in both languages. One table
// for the screens (i18n resources are built from it), the printed label and the CSV/XLSX exports,
// so a grade or a disposition is called the same everywhere ("B = 使用感あり" on the legend, the
// question walk, the label and the spreadsheet alike).
import type { FlagCode } from './flags.js';
import type { Category, CustomerResolution, DeclaredCondition, Disposition, Grade, ItemKind, ReturnChannel, ReturnReason, ReviewStatus, RuleSetSource } from './entities.js';
import type { FaultAttribution, ItemCondition, PackagingState } from './grading.js';
import type { ReturnWindowState } from './rules.js';

export type DisplayLanguage = 'ja' | 'en';
export type Names<K extends string> = Readonly<Record<K, Readonly<Record<DisplayLanguage, string>>>>;

export const GRADE_NAMES: Names<Grade> = {
  N: { ja: '新品', en: 'New' },
  S: { ja: '未使用に近い', en: 'As new' },
  A: { ja: '美品', en: 'Very good' },
  B: { ja: '使用感あり', en: 'Good, used' },
  C: { ja: '傷・汚れあり', en: 'Marks or wear' },
  D: { ja: '難あり', en: 'Faulty' },
  scrap: { ja: '再販不可', en: 'Scrap' },
};

export const DISPOSITION_NAMES: Names<Disposition> = {
  restock: { ja: '再入庫', en: 'Restock' },
  resale: { ja: '再販売', en: 'Resale' },
  repair: { ja: '修理', en: 'Repair' },
  disposal: { ja: '廃棄', en: 'Disposal' },
  quarantine: { ja: '保留（要確認）', en: 'Quarantine (review)' },
};

/**
 * Destinations the shipped rules route to. A site's own rules may name others; those are shown as
 * written (a site that names a destination chose the words its floor reads).
 */
export const DESTINATION_NAMES: Names<string> = {
  RESTOCK: { ja: '良品在庫', en: 'Restock' },
  OUTLET: { ja: 'アウトレット', en: 'Outlet' },
  SECONDARY: { ja: '二次流通', en: 'Secondary market' },
  REPAIR: { ja: '修理', en: 'Repair' },
  RECYCLE: { ja: 'リサイクル', en: 'Recycling' },
  REVIEW: { ja: '保留棚（レビュー）', en: 'Review shelf' },
};

export const CATEGORY_NAMES: Names<Category> = {
  apparel: { ja: '衣料品', en: 'Apparel' },
  shoes: { ja: '靴', en: 'Shoes' },
  cosmetics: { ja: '化粧品', en: 'Cosmetics' },
  electronics: { ja: '家電', en: 'Electronics' },
};

export const REASON_NAMES: Names<ReturnReason> = {
  size: { ja: 'サイズが合わない', en: 'Wrong size' },
  colour: { ja: '色がイメージと違う', en: 'Colour not as expected' },
  damaged: { ja: '破損・不良', en: 'Damaged or faulty' },
  wrong_item: { ja: '誤配送', en: 'Wrong item sent' },
  changed_mind: { ja: 'お客様都合', en: 'Changed mind' },
};

export const CHANNEL_NAMES: Names<ReturnChannel> = {
  home_pickup: { ja: '集荷（ご自宅）', en: 'Home pickup' },
  store_dropoff: { ja: 'コンビニ・営業所持込', en: 'Convenience store / counter drop-off' },
  depot_locker: { ja: '宅配ロッカー・デポ', en: 'Depot or locker' },
  in_store: { ja: '店舗返品', en: 'Returned in store' },
};

export const DECLARED_CONDITION_NAMES: Names<DeclaredCondition> = {
  unused_with_tags: { ja: '未使用・タグ付き', en: 'Unused, tags attached' },
  opened: { ja: '開封済み', en: 'Opened' },
  used: { ja: '使用済み', en: 'Used' },
  damaged: { ja: '破損あり', en: 'Damaged' },
};

export const REVIEW_STATUS_NAMES: Names<ReviewStatus> = {
  none: { ja: '不要', en: 'Not needed' },
  pending: { ja: 'レビュー待ち', en: 'Waiting for review' },
  approved: { ja: '承認済み', en: 'Approved' },
  overridden: { ja: '変更済み', en: 'Overridden' },
};

export const ITEM_KIND_NAMES: Names<ItemKind> = {
  expected: { ja: '予定どおり', en: 'Expected' },
  extra: { ja: '予定外（追加）', en: 'Extra' },
  wrong: { ja: '誤品', en: 'Wrong item' },
};

export const FLAG_NAMES: Names<FlagCode> = {
  reason_condition_mismatch: { ja: '理由と状態の不一致', en: 'Reason vs condition mismatch' },
  wrong_item: { ja: '誤品', en: 'Wrong item' },
  serial_mismatch: { ja: 'シリアル不一致', en: 'Serial mismatch' },
  lot_mismatch: { ja: 'ロット不一致', en: 'Lot mismatch' },
  empty_box: { ja: '空箱', en: 'Empty box' },
  high_value: { ja: '高額商品', en: 'High value' },
  serial_returner: { ja: '返品の多いお客様', en: 'Frequent returner' },
  return_window_exceeded: { ja: '返品期限切れ', en: 'Return window exceeded' },
  expired_lot: { ja: '期限切れロット', en: 'Expired lot' },
  blind_return: { ja: '返品番号なし', en: 'Blind return' },
  declared_condition_mismatch: { ja: '申告内容と検品結果の不一致', en: 'Declared vs graded mismatch' },
  // Issue 15: raised by the site hub
  site_serial_returner: { ja: '返品の多いお客様（拠点全体）', en: 'Frequent returner (site-wide)' },
  site_rma_twice: { ja: '同じ返品番号を二度受付', en: 'Same RMA received twice' },
  site_serial_twice: { ja: '同じシリアル番号が再返品', en: 'Same serial number returned twice' },
  site_epc_twice: { ja: '同じEPCが再返品', en: 'Same EPC returned twice' },
};

export const RESOLUTION_NAMES: Names<CustomerResolution> = {
  refund: { ja: '返金', en: 'Refund' },
  exchange: { ja: '交換', en: 'Exchange' },
  store_credit: { ja: 'ポイント返還', en: 'Store credit' },
};

export const PACKAGING_NAMES: Names<PackagingState> = {
  factory_sealed: { ja: '未開封', en: 'Factory sealed' },
  opened_intact: { ja: '開封済み・箱に傷なし', en: 'Opened, box intact' },
  damaged: { ja: '箱に損傷あり', en: 'Box damaged' },
  none: { ja: '箱なし', en: 'No box' },
};

export const ITEM_CONDITION_NAMES: Names<ItemCondition> = {
  new: { ja: '新品', en: 'New' },
  like_new: { ja: '新品同様', en: 'Like new' },
  used_good: { ja: '使用感少', en: 'Used, good' },
  used_fair: { ja: '使用感あり', en: 'Used, fair' },
  damaged: { ja: '破損あり', en: 'Damaged' },
  defective: { ja: '不良', en: 'Defective' },
  unusable: { ja: '使用不可', en: 'Unusable' },
};

export const FAULT_NAMES: Names<FaultAttribution> = {
  customer: { ja: 'お客様', en: 'Customer' },
  carrier: { ja: '配送業者', en: 'Carrier' },
  warehouse: { ja: '倉庫', en: 'Warehouse' },
  vendor: { ja: 'メーカー', en: 'Vendor' },
  none: { ja: 'なし', en: 'None' },
};

export const RETURN_WINDOW_NAMES: Names<ReturnWindowState> = {
  within: { ja: '返品期限内', en: 'Within the return window' },
  exceeded: { ja: '返品期限切れ', en: 'Return window exceeded' },
};

/** The shipped shift ids (core/workflow/reports/clock.ts); a site's own ids are shown as configured. */
export const SHIFT_NAMES: Names<string> = {
  early: { ja: '早番', en: 'Early' },
  late: { ja: '遅番', en: 'Late' },
  night: { ja: '夜勤', en: 'Night' },
};

/**
 * Whose rule set routed an item (RuleSetOrigin), said before its version: "サイト v3", "作業台 BENCH-01 v3", "標準 v2"
 * (domain/rules/ruleSetLabel.ts). Lower case in English, as it reads inside "Rule … (site v3)".
 */
export const RULE_SET_SOURCE_NAMES: Names<RuleSetSource> = {
  shipped: { ja: '標準', en: 'shipped' },
  bench: { ja: '作業台', en: 'bench' },
  site: { ja: 'サイト', en: 'site' },
};

/** The name of a code in a table, or the code itself when the table does not know it. */
export function displayName(names: Names<string>, code: string, language: DisplayLanguage): string {
  return Object.hasOwn(names, code) ? (names[code]?.[language] ?? code) : code;
}

/** One language's column of a table, the shape i18n resources take. */
export function namesIn<K extends string>(names: Names<K>, language: DisplayLanguage): Record<K, string> {
  return Object.fromEntries(Object.entries<Readonly<Record<DisplayLanguage, string>>>(names).map(([k, v]) => [k, v[language]])) as Record<K, string>;
}
