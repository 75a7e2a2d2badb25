import { RuleSet } from '../../contract/index.js';

/** Shipped rule table; supervisors will publish new versions in the app. */
export const defaultRuleSet: RuleSet = RuleSet.parse({
  version: 1,
  rules: [
    {
      id: 'scrap-to-recycle',
      when: { grades: ['scrap'] },
      then: { disposition: 'disposal', destination: 'RECYCLE' },
      explain: { en: 'Scrap grade: not sellable or repairable, so it goes to recycling.', ja: 'スクラップ判定のため、リサイクルへ回します。' },
    },
    {
      id: 'cosmetics-opened-never-restock',
      when: { categories: ['cosmetics'], grades: ['A', 'B', 'C', 'D'] },
      then: { disposition: 'disposal', destination: 'RECYCLE' },
      explain: { en: 'Opened cosmetics are never restocked for hygiene reasons.', ja: '開封済みの化粧品は衛生上、再入庫しません。' },
    },
    {
      id: 'like-new-restock',
      when: { grades: ['N', 'S', 'A'] },
      then: { disposition: 'restock', destination: 'RESTOCK' },
      explain: { en: 'Grade N/S/A: as good as new, back to sellable stock.', ja: 'N/S/A判定：新品同様のため、良品在庫へ戻します。' },
    },
    {
      id: 'electronics-d-repair',
      when: { grades: ['D'], categories: ['electronics'], minPriceJpy: 5000 },
      then: { disposition: 'repair', destination: 'REPAIR' },
      explain: { en: 'Grade D electronics worth ¥5,000 or more are worth repairing.', ja: '5,000円以上の家電でD判定のため、修理へ回します。' },
    },
    {
      id: 'used-to-outlet',
      when: { grades: ['B', 'C'] },
      then: { disposition: 'resale', destination: 'OUTLET' },
      explain: { en: 'Grade B/C: used but sellable, to the outlet / secondary market.', ja: 'B/C判定：中古品として販売可能なため、アウトレットへ回します。' },
    },
    {
      id: 'damaged-to-recycle',
      when: {},
      then: { disposition: 'disposal', destination: 'RECYCLE' },
      explain: { en: 'Not resellable and not worth repairing, so it goes to recycling.', ja: '再販も修理もできないため、リサイクルへ回します。' },
    },
  ],
});
