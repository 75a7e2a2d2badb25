import { describe, expect, it } from 'vitest';
import { RuleSet } from '../../contract/index.js';
import { defaultRuleSet } from './defaultRuleSet.js';
import { route } from './route.js';

const base = { category: 'apparel', reason: 'size', priceJpy: 3000 } as const;

describe('route', () => {
  it('restocks like-new apparel and names the rule', () => {
    const d = route(defaultRuleSet, { ...base, grade: 'A' });
    expect(d).toMatchObject({ disposition: 'restock', ruleId: 'like-new-restock', ruleSetVersion: 1 });
    expect(d.explanationJa).toContain('良品');
  });

  it('never restocks opened cosmetics even at grade A', () => {
    expect(route(defaultRuleSet, { ...base, category: 'cosmetics', grade: 'A' }).disposition).toBe('disposal');
  });

  it('sends grade B and C to resale, scrap to disposal', () => {
    expect(route(defaultRuleSet, { ...base, grade: 'B' }).disposition).toBe('resale');
    expect(route(defaultRuleSet, { ...base, grade: 'C' }).destination).toBe('OUTLET');
    expect(route(defaultRuleSet, { ...base, grade: 'scrap' }).ruleId).toBe('scrap-to-recycle');
  });

  it('repairs grade D electronics only above the value threshold', () => {
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'D', priceJpy: 20000 }).disposition).toBe('repair');
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'D', priceJpy: 1000 }).disposition).toBe('disposal');
  });

  it('rejects rule sets without a final catch-all or with duplicate ids', () => {
    const rule = defaultRuleSet.rules[0]!;
    expect(RuleSet.safeParse({ version: 2, rules: [rule] }).success).toBe(false);
    const last = defaultRuleSet.rules.at(-1)!;
    expect(RuleSet.safeParse({ version: 2, rules: [last, last] }).success).toBe(false);
  });
});
