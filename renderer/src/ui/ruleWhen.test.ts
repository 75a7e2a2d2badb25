import { describe, expect, it } from 'vitest';
import type { RoutingRuleInput } from '../../../contract/index.js';
import { createI18n } from '../i18n/index.js';
import { describeWhen } from './ruleWhen.js';

describe('describeWhen', () => {
  const when: RoutingRuleInput['when'] = { grades: ['A', 'scrap'], categories: ['cosmetics'], flags: { any: ['expired_lot', 'wrong_item'] }, packaging: ['damaged', 'none'], minPriceJpy: 30000 };

  it('names every condition and value in Japanese, with no code left in English', () => {
    const lines = describeWhen(createI18n('ja').t, when);
    expect(lines).toEqual([
      'グレード: A（美品）、廃棄',
      'カテゴリ: 化粧品',
      expect.stringMatching(/^フラグ: いずれか .+、.+$/),
      '箱: 箱に損傷あり、箱なし',
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
