import { GRADE_NAMES, RuleSet, type Grade } from '../../contract/index.js';

/** Grade names come from the one table the screens and labels use, so an explanation never words a grade differently. */
const g = (grade: Grade, language: 'ja' | 'en'): string => GRADE_NAMES[grade][language];

/** Shipped rule table; supervisors publish new versions in the app. */
export const defaultRuleSet: RuleSet = RuleSet.parse({
  version: 2,
  rules: [
    {
      id: 'scrap-to-recycle',
      when: { grades: ['scrap'] },
      then: { disposition: 'disposal', destination: 'RECYCLE' },
      explain: { en: `Grade ${g('scrap', 'en')}: not sellable or repairable, so it goes to recycling.`, ja: `${g('scrap', 'ja')}判定のため、リサイクルへ回します。` },
    },
    {
      id: 'expired-lot-to-recycle',
      when: { flags: { any: ['expired_lot'] } },
      then: { disposition: 'disposal', destination: 'RECYCLE' },
      explain: { en: 'The lot is past its expiry date and cannot be sold, so it goes to recycling.', ja: '使用期限切れのロットは販売できないため、リサイクルへ回します。' },
    },
    {
      id: 'flagged-to-review',
      when: {
        flags: { any: ['wrong_item', 'serial_mismatch', 'lot_mismatch', 'empty_box', 'blind_return', 'reason_condition_mismatch', 'high_value', 'serial_returner', 'declared_condition_mismatch'] },
      },
      then: { disposition: 'quarantine', destination: 'REVIEW' },
      explain: { en: 'Flagged for a lead to check, so it waits on the review shelf.', ja: 'リーダーの確認が必要なため、保留棚で待機します。' },
    },
    {
      id: 'cosmetics-opened-never-restock',
      when: { categories: ['cosmetics'], grades: ['A', 'B', 'C', 'D'] },
      then: { disposition: 'disposal', destination: 'RECYCLE' },
      explain: { en: 'Opened cosmetics are never restocked for hygiene reasons.', ja: '開封済みの化粧品は衛生上、再入庫しません。' },
    },
    {
      id: 'electronics-no-box-outlet',
      when: { categories: ['electronics'], grades: ['A'], packaging: ['damaged', 'none'] },
      then: { disposition: 'resale', destination: 'OUTLET' },
      explain: {
        en: 'Electronics without an intact box cannot be sold as new, so they go to the outlet.',
        ja: '外箱のない・破損した家電は新品として販売できないため、アウトレットへ回します。',
      },
    },
    {
      id: 'like-new-restock',
      when: { grades: ['N', 'S', 'A'] },
      then: { disposition: 'restock', destination: 'RESTOCK' },
      explain: { en: 'Grade N/S/A: as good as new, back to sellable stock.', ja: 'N/S/A判定：新品同様のため、良品在庫へ戻します。' },
    },
    {
      id: 'vendor-defect-repair',
      when: { categories: ['electronics'], grades: ['C', 'D'], faults: ['vendor'] },
      then: { disposition: 'repair', destination: 'REPAIR' },
      explain: { en: 'A manufacturing defect: repaired under the vendor’s warranty.', ja: '初期不良のため、メーカー保証で修理へ回します。' },
    },
    {
      id: 'electronics-d-repair',
      when: { grades: ['D'], categories: ['electronics'], minPriceJpy: 5000 },
      then: { disposition: 'repair', destination: 'REPAIR' },
      explain: { en: 'Grade D electronics worth ¥5,000 or more are worth repairing.', ja: '5,000円以上の家電でD判定のため、修理へ回します。' },
    },
    {
      id: 'used-to-outlet',
      when: { grades: ['B'] },
      then: { disposition: 'resale', destination: 'OUTLET' },
      explain: { en: `Grade B (${g('B', 'en')}): sold in the outlet.`, ja: `B判定（${g('B', 'ja')}）のため、アウトレットで販売します。` },
    },
    {
      id: 'worn-to-secondary',
      when: { grades: ['C'] },
      then: { disposition: 'resale', destination: 'SECONDARY' },
      explain: { en: `Grade C (${g('C', 'en')}): sold on the secondary market.`, ja: `C判定（${g('C', 'ja')}）のため、二次流通へ回します。` },
    },
    {
      id: 'damaged-to-recycle',
      when: {},
      then: { disposition: 'disposal', destination: 'RECYCLE' },
      explain: { en: 'Not resellable and not worth repairing, so it goes to recycling.', ja: '再販も修理もできないため、リサイクルへ回します。' },
    },
  ],
});
