import { describe, expect, it } from 'vitest';
import { ResolutionPolicy, ResolutionRecommendation } from '../../contract/index.js';
import { defaultResolutionPolicy } from './defaultPolicy.js';
import { recommendResolution, type ResolutionInput } from './recommend.js';

const clean: ResolutionInput = {
  requested: 'refund',
  reason: 'size',
  category: 'apparel',
  priceJpy: 4990,
  qty: 1,
  grade: { grade: 'S', condition: 'new', faultAttribution: 'none' },
  flags: [],
};
const worn = (grade: 'B' | 'C' | 'D' | 'scrap', fault: 'customer' | 'vendor' = 'customer') => ({ grade, condition: 'used_good' as const, faultAttribution: fault });

describe('recommendResolution', () => {
  it('full refund for a clean return, not held, valid under the contract', () => {
    const r = recommendResolution(clean);
    expect(ResolutionRecommendation.parse(r)).toEqual(r);
    expect(r).toMatchObject({ kind: 'refund', requested: 'refund', lineValueJpy: 4990, deductionJpy: 0, amountJpy: 4990, held: false, holdReasons: [], policyVersion: 1 });
    expect(r.explanation.en).toBe('Full refund of ¥4,990.');
    expect(r.explanation.ja).toContain('全額返金');
  });

  it('deducts for customer-caused damage by grade, per the policy data', () => {
    expect(recommendResolution({ ...clean, grade: worn('B') })).toMatchObject({ amountJpy: 4491, deductionJpy: 499, deductionRuleId: 'customer-wear-b' });
    expect(recommendResolution({ ...clean, grade: worn('C') })).toMatchObject({ deductionJpy: 1497, deductionRuleId: 'customer-wear-c' });
    expect(recommendResolution({ ...clean, priceJpy: 10000, qty: 2, grade: worn('D') })).toMatchObject({ lineValueJpy: 20000, deductionJpy: 10000, amountJpy: 10000 });
    // A vendor defect is not the customer's doing: full refund.
    expect(recommendResolution({ ...clean, grade: worn('D', 'vendor') })).toMatchObject({ deductionJpy: 0, amountJpy: 4990 });
  });

  it('store credit adds the shop bonus (rounded down) on the credited value', () => {
    expect(recommendResolution({ ...clean, requested: 'store_credit' })).toMatchObject({ kind: 'store_credit', bonusJpy: 499, amountJpy: 5489 });
    const custom = ResolutionPolicy.parse({ ...defaultResolutionPolicy, storeCreditBonusPercent: 15 });
    expect(recommendResolution({ ...clean, requested: 'store_credit', grade: worn('B') }, custom)).toMatchObject({ deductionJpy: 499, bonusJpy: 673, amountJpy: 5164 });
  });

  it('exchange moves no money, but the customer owes a deduction first', () => {
    expect(recommendResolution({ ...clean, requested: 'exchange' })).toMatchObject({ kind: 'exchange', amountJpy: 0, customerOwesJpy: 0 });
    const r = recommendResolution({ ...clean, requested: 'exchange', grade: worn('C') });
    expect(r).toMatchObject({ kind: 'exchange', amountJpy: 0, customerOwesJpy: 1497 });
    expect(r.explanation.en).toContain('¥1,497');
  });

  it('uses the policy default when the line does not say', () => {
    const { requested: _drop, ...noChoice } = clean;
    void _drop;
    expect(recommendResolution(noChoice)).toMatchObject({ kind: 'refund', requested: null });
    expect(recommendResolution(noChoice, { ...defaultResolutionPolicy, defaultResolution: 'store_credit' }).kind).toBe('store_credit');
  });

  it('rejects outside the return window and customer-destroyed items, always held', () => {
    const late = recommendResolution({ ...clean, flags: ['return_window_exceeded'] });
    expect(late).toMatchObject({ kind: 'reject', amountJpy: 0, rejectRuleId: 'outside-return-window', held: true, holdReasons: ['reject', 'return_window_exceeded'] });
    expect(recommendResolution({ ...clean, grade: worn('scrap') })).toMatchObject({ kind: 'reject', rejectRuleId: 'destroyed-by-customer', holdReasons: ['reject'] });
    expect(recommendResolution({ ...clean, grade: worn('scrap', 'vendor') }).kind).toBe('refund');
  });

  it('holds flagged recommendations for a lead, per the policy list', () => {
    const r = recommendResolution({ ...clean, flags: ['high_value', 'serial_returner'] });
    expect(r).toMatchObject({ kind: 'refund', held: true, holdReasons: ['high_value', 'serial_returner'] });
    expect(r.explanation.en).toContain('Held for a lead');
    const lenient = { ...defaultResolutionPolicy, holdOnFlags: ['wrong_item' as const] };
    expect(recommendResolution({ ...clean, flags: ['high_value'] }, lenient).held).toBe(false);
  });

  it('policy conditions on reason, category, condition', () => {
    const policy = ResolutionPolicy.parse({
      version: 7,
      deductions: [
        { id: 'opened-cosmetics', when: { categories: ['cosmetics'], reasons: ['changed_mind'], conditions: ['like_new'] }, percent: 20, explain: { en: 'x', ja: 'x' } },
      ],
    });
    const cosmetic: ResolutionInput = { ...clean, category: 'cosmetics', reason: 'changed_mind', grade: { grade: 'B', condition: 'like_new', faultAttribution: 'customer' } };
    expect(recommendResolution(cosmetic, policy)).toMatchObject({ deductionRuleId: 'opened-cosmetics', policyVersion: 7 });
    expect(recommendResolution({ ...cosmetic, reason: 'damaged' }, policy).deductionRuleId).toBeNull();
    expect(recommendResolution({ ...cosmetic, reason: null }, policy).deductionRuleId).toBeNull();
  });

  it('refuses bad input and bad policies', () => {
    expect(() => recommendResolution({ ...clean, qty: 0 })).toThrow(RangeError);
    expect(() => recommendResolution({ ...clean, priceJpy: 1.5 })).toThrow(RangeError);
    expect(() => recommendResolution(clean, { ...defaultResolutionPolicy, storeCreditBonusPercent: 150 })).toThrow();
    const dup = { id: 'same', when: {}, explain: { en: 'x', ja: 'x' } };
    expect(ResolutionPolicy.safeParse({ version: 1, reject: [dup], deductions: [{ ...dup, percent: 5 }] }).success).toBe(false);
  });
});
