import { describe, expect, it } from 'vitest';
import type { FiredRule, RoutingRuleInput } from '../../../contract/index.js';
import { createI18n } from '../i18n/index.js';
import { describeWhen, ruleInWords } from './ruleWhen.js';

describe('describeWhen', () => {
  const when: RoutingRuleInput['when'] = { grades: ['A', 'scrap'], categories: ['cosmetics'], flags: { any: ['expired_lot', 'wrong_item'] }, packaging: ['damaged', 'none'], minPriceJpy: 30000 };

  it('names every condition and value in Japanese, with no code left in English', () => {
    const lines = describeWhen(createI18n('ja').t, when);
    expect(lines).toEqual([
      'グレード：A（美品）、再販不可',
      'カテゴリ：化粧品',
      expect.stringMatching(/^フラグ：いずれか .+、.+$/),
      '箱：箱に損傷あり、箱なし',
      '価格が ¥30,000 以上',
    ]);
    expect(lines.join(' ')).not.toMatch(/expired_lot|wrong_item|cosmetics|damaged|grades|flags/);
  });

  it('names them in English too', () => {
    expect(describeWhen(createI18n('en').t, { grades: ['B'], resolutions: ['store_credit'], returnWindow: 'exceeded' })).toEqual([
      'Grades: B (Good, used)',
      'Customer wants: Store credit',
      'Return window: Return window exceeded',
    ]);
  });
});

describe('ruleInWords: the rule that routed an item, for the result and review screens', () => {
  const likeNew: FiredRule = { when: { grades: ['N', 'S', 'A'] }, explain: { en: 'x', ja: 'x' } };

  it('says the rule by its conditions in the operator’s language, with no code', () => {
    expect(ruleInWords(createI18n('ja').t, likeNew)).toBe('ルール：グレード：N（新品）、S（未使用に近い）、A（美品）');
    expect(ruleInWords(createI18n('en').t, likeNew)).toBe('Rule: Grades: N (New), S (As new), A (Very good)');
    const flagged: FiredRule = { when: { flags: { any: ['lot_mismatch', 'wrong_item', 'high_value'] } }, explain: likeNew.explain };
    expect(ruleInWords(createI18n('ja').t, flagged)).toBe('ルール：フラグ：いずれか ロット不一致、誤品、高額商品');
    // With the item's flags: the ones that made it fire, not the rule's whole list.
    expect(ruleInWords(createI18n('ja').t, flagged, ['high_value', 'lot_mismatch', 'return_window_exceeded'])).toBe('ルール：フラグ：ロット不一致、高額商品');
    expect(ruleInWords(createI18n('en').t, { when: { grades: ['D'], flags: { any: ['high_value'], none: ['wrong_item'] } }, explain: likeNew.explain }, ['high_value'])).toBe(
      'Rule: Flags: High value; Grades: D (Faulty); Flags: none of Wrong item',
    );
  });

  it('names the catch-all and the built-in guard, and is null for a rule it was not told', () => {
    expect(ruleInWords(createI18n('en').t, { when: {}, explain: likeNew.explain })).toBe('Rule: any item no rule above took');
    expect(ruleInWords(createI18n('ja').t, { when: null, explain: likeNew.explain })).toBe('組み込みルール：開封済みの化粧品は再入庫しない');
    expect(ruleInWords(createI18n('ja').t, undefined)).toBeNull();
  });
});
