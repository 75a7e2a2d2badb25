import { describe, expect, it } from 'vitest';
import { GRADE_NAMES } from '../../contract/index.js';
import { defaultRuleSet } from './defaultRuleSet.js';

describe('shipped rule explanations', () => {
  it('word a single grade exactly as the grade legend does', () => {
    // The rules whose explanation is about their one grade (others explain a category or a defect).
    for (const rule of defaultRuleSet.rules.filter((r) => ['scrap-to-recycle', 'used-to-outlet', 'worn-to-secondary'].includes(r.id))) {
      const grade = rule.when.grades![0]!;
      expect(rule.explain.ja, rule.id).toContain(GRADE_NAMES[grade].ja);
      expect(rule.explain.en, rule.id).toContain(GRADE_NAMES[grade].en);
    }
    // The wording the floor saw next to a legend that says B = 使用感あり.
    expect(defaultRuleSet.rules.map((r) => r.explain.ja).join()).not.toContain('使用感がある');
  });
});
