import { describe, expect, it } from 'vitest';
import { RuleSet, type RoutingFacts, type RoutingRuleInput } from '../../contract/index.js';
import { defaultRuleSet } from './defaultRuleSet.js';
import { dryRun } from './dryRun.js';
import { firedRule, GUARD_OPENED_COSMETICS, route } from './route.js';
import { nextRuleSetVersion, ruleSetAt, validateRuleSet } from './ruleSetVersions.js';

const base = { category: 'apparel', reason: 'size', priceJpy: 3000 } as const;
const catchAll: RoutingRuleInput = {
  id: 'rest',
  when: {},
  then: { disposition: 'disposal', destination: 'RECYCLE' },
  explain: { en: 'rest', ja: 'その他' },
};
const rulesWith = (...rules: RoutingRuleInput[]): RuleSet => RuleSet.parse({ version: 5, rules: [...rules, catchAll] });
const rule = (id: string, when: RoutingRuleInput['when'], disposition: 'restock' | 'quarantine' | 'resale' = 'quarantine'): RoutingRuleInput => ({
  id,
  when,
  then: { disposition, destination: disposition.toUpperCase() },
  explain: { en: id, ja: id },
});

describe('route with the default rules', () => {
  it('restocks like-new apparel, names the rule and the version, and explains in both languages', () => {
    const d = route(defaultRuleSet, { ...base, grade: 'A' });
    expect(d).toMatchObject({ disposition: 'restock', destination: 'RESTOCK', ruleId: 'like-new-restock', ruleSetVersion: defaultRuleSet.version });
    expect(d.explanation).toMatch(/as good as new/);
    expect(d.explanationJa).toContain('良品');
  });

  it('never restocks opened cosmetics even at grade A', () => {
    expect(route(defaultRuleSet, { ...base, category: 'cosmetics', grade: 'A' }).disposition).toBe('disposal');
    expect(route(defaultRuleSet, { ...base, category: 'cosmetics', grade: 'S' }).disposition).toBe('restock');
  });

  it('sends B to the outlet, C to the secondary market, scrap to recycling', () => {
    expect(route(defaultRuleSet, { ...base, grade: 'B' })).toMatchObject({ disposition: 'resale', destination: 'OUTLET', ruleId: 'used-to-outlet' });
    expect(route(defaultRuleSet, { ...base, grade: 'C' })).toMatchObject({ disposition: 'resale', destination: 'SECONDARY' });
    expect(route(defaultRuleSet, { ...base, grade: 'scrap' }).ruleId).toBe('scrap-to-recycle');
    expect(route(defaultRuleSet, { ...base, grade: 'D' }).ruleId).toBe('damaged-to-recycle');
  });

  it('repairs grade D electronics only above the value threshold, vendor defects at any value', () => {
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'D', priceJpy: 20000 }).disposition).toBe('repair');
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'D', priceJpy: 1000 }).disposition).toBe('disposal');
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'D', priceJpy: 1000, fault: 'vendor' }).ruleId).toBe('vendor-defect-repair');
  });

  it('quarantines flagged items for review, and recycles expired lots', () => {
    for (const flag of ['wrong_item', 'serial_mismatch', 'empty_box', 'blind_return', 'reason_condition_mismatch', 'high_value', 'serial_returner'] as const) {
      expect(route(defaultRuleSet, { ...base, grade: 'N', flags: [flag] }), flag).toMatchObject({ disposition: 'quarantine', destination: 'REVIEW' });
    }
    expect(route(defaultRuleSet, { ...base, grade: 'N', flags: ['return_window_exceeded'] }).disposition).toBe('restock');
    expect(route(defaultRuleSet, { ...base, category: 'cosmetics', grade: 'N', flags: ['expired_lot', 'high_value'] }).ruleId).toBe('expired-lot-to-recycle');
  });

  it('sends unboxed grade A electronics to the outlet', () => {
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'A', packaging: 'none' }).destination).toBe('OUTLET');
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'A', packaging: 'opened_intact' }).destination).toBe('RESTOCK');
    expect(route(defaultRuleSet, { ...base, category: 'electronics', grade: 'A' }).destination).toBe('RESTOCK');
  });
});

describe('firedRule: the rule behind a decision, to say it in words', () => {
  it('is the rule of the version that routed, with its conditions and its explanation in both languages', () => {
    const d = route(defaultRuleSet, { ...base, grade: 'A' });
    expect(firedRule(defaultRuleSet, d.ruleId)).toEqual({ when: { grades: ['N', 'S', 'A'] }, explain: defaultRuleSet.rules.find((r) => r.id === 'like-new-restock')?.explain });
    expect(firedRule(defaultRuleSet, 'damaged-to-recycle')).toMatchObject({ when: {} });
  });

  it('is the built-in guard without conditions, and nothing when the version does not hold the rule', () => {
    const guard = firedRule(defaultRuleSet, GUARD_OPENED_COSMETICS);
    expect(guard?.when).toBeNull();
    expect(guard?.explain.ja).toContain('化粧品');
    expect(firedRule(defaultRuleSet, 'no-such-rule')).toBeUndefined();
    expect(firedRule(undefined, 'like-new-restock')).toBeUndefined();
  });
});

describe('route conditions', () => {
  it('flags: any, all and none', () => {
    const rs = rulesWith(rule('any', { flags: { any: ['high_value', 'wrong_item'] } }), rule('all', { flags: { all: ['empty_box', 'blind_return'] } }, 'resale'), rule('none', { flags: { none: ['serial_returner'] } }, 'restock'));
    expect(route(rs, { ...base, grade: 'A', flags: ['wrong_item'] }).ruleId).toBe('any');
    expect(route(rs, { ...base, grade: 'A', flags: ['empty_box', 'blind_return'] }).ruleId).toBe('all');
    expect(route(rs, { ...base, grade: 'A', flags: ['empty_box'] }).ruleId).toBe('none');
    expect(route(rs, { ...base, grade: 'A' }).ruleId).toBe('none');
    expect(route(rs, { ...base, grade: 'A', flags: ['serial_returner'] }).ruleId).toBe('rest');
  });

  it('return window, resolution, packaging, fault, condition, reason and value', () => {
    const rs = rulesWith(
      rule('late', { returnWindow: 'exceeded' }),
      rule('exchange', { resolutions: ['exchange'] }),
      rule('sealed', { packaging: ['factory_sealed'] }, 'restock'),
      rule('carrier', { faults: ['carrier'] }),
      rule('defective', { conditions: ['defective'] }),
      rule('damaged-reason', { reasons: ['damaged'] }),
      rule('pricey', { minPriceJpy: 10000, maxPriceJpy: 20000 }, 'resale'),
    );
    const f: RoutingFacts = { ...base, grade: 'B' };
    expect(route(rs, { ...f, returnWindow: 'exceeded' }).ruleId).toBe('late');
    expect(route(rs, { ...f, returnWindow: 'within' }).ruleId).toBe('rest');
    expect(route(rs, { ...f, resolution: 'exchange' }).ruleId).toBe('exchange');
    expect(route(rs, { ...f, resolution: 'refund' }).ruleId).toBe('rest');
    expect(route(rs, { ...f, packaging: 'factory_sealed' }).ruleId).toBe('sealed');
    expect(route(rs, { ...f, fault: 'carrier' }).ruleId).toBe('carrier');
    expect(route(rs, { ...f, condition: 'defective' }).ruleId).toBe('defective');
    expect(route(rs, { ...f, reason: 'damaged' }).ruleId).toBe('damaged-reason');
    expect(route(rs, { ...f, priceJpy: 10000 }).ruleId).toBe('pricey');
    expect(route(rs, { ...f, priceJpy: 20001 }).ruleId).toBe('rest');
    // An unknown fact does not satisfy a condition on it.
    expect(route(rs, f).ruleId).toBe('rest');
  });

  it('a published rule set cannot restock opened cosmetics: the guard recycles them and says why', () => {
    const rs = rulesWith(rule('restock-all', {}, 'restock'));
    const d = route(rs, { ...base, category: 'cosmetics', grade: 'B' });
    expect(d).toMatchObject({ disposition: 'disposal', ruleId: GUARD_OPENED_COSMETICS, ruleSetVersion: 5 });
    expect(d.explanation).toContain('restock-all');
    expect(route(rs, { ...base, category: 'cosmetics', grade: 'N' }).disposition).toBe('restock');
    expect(route(rs, { ...base, grade: 'B' }).disposition).toBe('restock');
  });
});

describe('rule set validation and versions', () => {
  it('rejects rule sets without a final catch-all, with duplicate ids, or with impossible conditions', () => {
    const first = defaultRuleSet.rules[0]!;
    expect(RuleSet.safeParse({ version: 2, rules: [first] }).success).toBe(false);
    const last = defaultRuleSet.rules.at(-1)!;
    expect(RuleSet.safeParse({ version: 2, rules: [last, last] }).success).toBe(false);
    const bad = validateRuleSet({
      version: 3,
      rules: [rule('price', { minPriceJpy: 5000, maxPriceJpy: 100 }), rule('flags', { flags: {} }), rule('x', { flags: { any: ['made_up'] } } as never), catchAll],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const paths = bad.issues.map((i) => i.path);
    expect(paths).toContain('rules.0.when.minPriceJpy');
    expect(bad.issues.find((i) => i.path === 'rules.1.when.flags')?.message).toMatch(/any, all or none/);
    expect(paths.some((p) => p.startsWith('rules.2.when.flags.any'))).toBe(true);
    expect(validateRuleSet({ version: 0, rules: [catchAll] })).toMatchObject({ ok: false, issues: [{ path: 'version' }] });
    expect(validateRuleSet({ version: 1, rules: [{ ...catchAll, id: 'Bad Id' }] })).toMatchObject({ ok: false });
    expect(validateRuleSet({ version: 1, rules: [{ ...catchAll, when: { colour: ['red'] } }] })).toMatchObject({ ok: false });
  });

  it('names the reason of each issue, for the editor to say in the operator language, and the rule it is in', () => {
    const reasons = (input: unknown) => {
      const v = validateRuleSet(input);
      return v.ok ? [] : v.issues.map((i) => [i.reason, i.rule]);
    };
    expect(reasons({ version: 2, rules: [rule('a-review', { grades: ['A'] })] })).toEqual([['catchAllLast', undefined]]);
    expect(reasons({ version: 2, rules: [catchAll, catchAll] })).toEqual([['uniqueIds', undefined]]);
    expect(reasons({ version: 2, rules: [rule('price', { minPriceJpy: 5000, maxPriceJpy: 100 }), catchAll] })).toEqual([['priceRange', 1]]);
    expect(reasons({ version: 2, rules: [catchAll, { ...catchAll, id: 'Bad Id' }] })).toEqual([['rule', 2]]);
    expect(reasons({ version: 0, rules: [catchAll] })).toEqual([['shape', undefined]]);
  });

  it('publishing makes the next version with who and when; old decisions keep their version', () => {
    const v3 = nextRuleSetVersion(defaultRuleSet, [rule('a-review', { grades: ['A'] }), catchAll], {
      publishedAt: '2025-06-01T09:00:00.000Z',
      publishedBy: 'OP-3001',
    });
    expect(v3.ok).toBe(true);
    if (!v3.ok) return;
    expect(v3.ruleSet).toMatchObject({ version: defaultRuleSet.version + 1, publishedBy: 'OP-3001', publishedAt: '2025-06-01T09:00:00.000Z' });
    const facts: RoutingFacts = { ...base, grade: 'A' };
    const before = route(defaultRuleSet, facts);
    const after = route(v3.ruleSet, facts);
    expect([before.ruleSetVersion, after.ruleSetVersion]).toEqual([defaultRuleSet.version, defaultRuleSet.version + 1]);
    expect([before.ruleId, after.ruleId]).toEqual(['like-new-restock', 'a-review']);
    expect(ruleSetAt([defaultRuleSet, v3.ruleSet], before.ruleSetVersion)).toBe(defaultRuleSet);
    expect(ruleSetAt([defaultRuleSet], 99)).toBeUndefined();
    const invalid = nextRuleSetVersion(defaultRuleSet, [rule('only', { grades: ['A'] })], { publishedAt: 'x', publishedBy: 'y', note: 'no catch-all' });
    expect(invalid).toMatchObject({ ok: false, issues: [{ message: expect.stringMatching(/catch-all/) }] });
  });
});

describe('dryRun', () => {
  const items: RoutingFacts[] = [
    { ...base, grade: 'A' },
    { ...base, grade: 'B' },
    { ...base, grade: 'B' },
    { ...base, grade: 'C' },
    { ...base, category: 'electronics', grade: 'B', priceJpy: 30000 },
  ];

  it('counts what changes, grouped by transition, with examples', () => {
    const proposed = RuleSet.parse({
      ...defaultRuleSet,
      version: defaultRuleSet.version + 1,
      rules: [
        { id: 'pricey-b-review', when: { grades: ['B'], minPriceJpy: 20000 }, then: { disposition: 'quarantine', destination: 'REVIEW' }, explain: { en: 'x', ja: 'x' } },
        { id: 'b-secondary', when: { grades: ['B'] }, then: { disposition: 'resale', destination: 'SECONDARY' }, explain: { en: 'x', ja: 'x' } },
        ...defaultRuleSet.rules,
      ],
    });
    const r = dryRun(defaultRuleSet, proposed, items, { examples: 2 });
    expect(r).toMatchObject({ currentVersion: defaultRuleSet.version, proposedVersion: defaultRuleSet.version + 1, total: 5, changed: 3 });
    expect(r.byTransition).toEqual([
      { from: { disposition: 'resale', destination: 'OUTLET' }, to: { disposition: 'resale', destination: 'SECONDARY' }, count: 2 },
      { from: { disposition: 'resale', destination: 'OUTLET' }, to: { disposition: 'quarantine', destination: 'REVIEW' }, count: 1 },
    ]);
    expect(r.examples.map((e) => e.index)).toEqual([1, 2]);
    expect(r.examples[0]).toMatchObject({ before: { ruleId: 'used-to-outlet' }, after: { ruleId: 'b-secondary', ruleSetVersion: defaultRuleSet.version + 1 } });
  });

  it('reports nothing changed for the same rules, and handles no items', () => {
    expect(dryRun(defaultRuleSet, defaultRuleSet, items)).toMatchObject({ total: 5, changed: 0, byTransition: [], examples: [] });
    expect(dryRun(defaultRuleSet, defaultRuleSet, [])).toMatchObject({ total: 0, changed: 0 });
  });
});
