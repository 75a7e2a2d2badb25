import { ResolutionPolicy } from '../../contract/index.js';

/** Shipped policy; a shop's own terms replace it through config. */
export const defaultResolutionPolicy: ResolutionPolicy = ResolutionPolicy.parse({
  version: 1,
  storeCreditBonusPercent: 10,
  defaultResolution: 'refund',
  reject: [
    {
      id: 'outside-return-window',
      when: { flagsAny: ['return_window_exceeded'] },
      explain: { en: 'Returned after the return window, so it goes back to the customer.', ja: '返品期間を過ぎているため、お客様へ返送します。' },
    },
    {
      id: 'destroyed-by-customer',
      when: { grades: ['scrap'], faults: ['customer'] },
      explain: { en: 'Destroyed by the customer, so it is not accepted and goes back.', ja: 'お客様による破損で商品価値がないため、受け付けずに返送します。' },
    },
  ],
  deductions: [
    {
      id: 'customer-damage-d',
      when: { grades: ['D'], faults: ['customer'] },
      percent: 50,
      explain: { en: 'Heavy damage caused by the customer: 50% deducted.', ja: 'お客様による大きな損傷のため、50%を差し引きます。' },
    },
    {
      id: 'customer-wear-c',
      when: { grades: ['C'], faults: ['customer'] },
      percent: 30,
      explain: { en: 'Visible wear caused by the customer: 30% deducted.', ja: 'お客様による目立つ使用感のため、30%を差し引きます。' },
    },
    {
      id: 'customer-wear-b',
      when: { grades: ['B'], faults: ['customer'] },
      percent: 10,
      explain: { en: 'Light wear caused by the customer: 10% deducted.', ja: 'お客様による軽い使用感のため、10%を差し引きます。' },
    },
  ],
});
