import { describe, expect, it } from 'vitest';
import { api, RuleSet } from '../../contract/index.js';
import { defaultRuleSet } from './defaultRuleSet.js';
import { jsonIssue, ruleIssueFromParams, ruleIssueParams, ruleIssuesOf } from './ruleIssues.js';
import { proposedRulesRefusal, ruleSetRefusal, validateRuleSet } from './ruleSetVersions.js';

const catchAll = defaultRuleSet.rules.at(-1)!;
const withRule = (rule: unknown) => ({ version: 3, rules: [rule, catchAll] });
const issuesOf = (input: unknown) => {
  const r = RuleSet.safeParse(input);
  if (r.success) throw new Error('parsed');
  return ruleIssuesOf(r.error.issues, input);
};

describe('rule set issues: the place and the problem, not zod’s words', () => {
  it('a value not among the choices, with the choices and what was written', () => {
    expect(issuesOf(withRule({ ...catchAll, id: 'a-rule', then: { disposition: 'restok', destination: 'X' } }))).toEqual([
      { rule: 1, field: 'then.disposition', problem: 'oneOf', params: { values: 'restock, resale, repair, disposal, quarantine', given: 'restok' } },
    ]);
  });

  it('missing, empty, of the wrong type, not whole, unknown fields', () => {
    const rule = { id: 'a-rule', when: { grades: [], minPriceJpy: 1.5, colour: 'red' }, then: { disposition: 'restock', destination: '' }, explain: { en: 'x' } };
    expect(issuesOf(withRule(rule))).toEqual(
      expect.arrayContaining([
        { rule: 1, field: 'when.grades', problem: 'tooFew', params: { minimum: 1 } },
        { rule: 1, field: 'when.minPriceJpy', problem: 'integer', params: { given: '1.5' } },
        { rule: 1, field: 'when', problem: 'unknownFields', params: { keys: 'colour' } },
        { rule: 1, field: 'then.destination', problem: 'empty', params: {} },
        { rule: 1, field: 'explain.ja', problem: 'missing', params: {} },
      ]),
    );
    expect(issuesOf(withRule({ ...catchAll, id: 'a-rule', when: { minPriceJpy: '5000' } }))).toEqual([
      { rule: 1, field: 'when.minPriceJpy', problem: 'type', params: { expected: 'number', given: '5000' } },
    ]);
  });

  it('a rule id in the wrong form, flags with no condition, and the rule set’s own checks', () => {
    expect(issuesOf(withRule({ ...catchAll, id: 'Bad Id' }))).toContainEqual({ rule: 1, field: 'id', problem: 'ruleId', params: { given: 'Bad Id' } });
    expect(issuesOf(withRule({ ...catchAll, id: 'a-rule', when: { flags: {} } }))).toEqual([{ rule: 1, field: 'when.flags', problem: 'flagsNone', params: {} }]);
    expect(issuesOf(withRule({ ...catchAll, id: 'a-rule', when: { minPriceJpy: 9, maxPriceJpy: 1 } }))).toEqual([
      { rule: 1, field: 'when.minPriceJpy', problem: 'priceRange', params: {} },
    ]);
    expect(issuesOf({ version: 3, rules: [catchAll, catchAll] })).toEqual([{ field: '', problem: 'uniqueIds', params: {} }]);
    expect(issuesOf({ version: 3, rules: [{ ...catchAll, when: { grades: ['A'] } }] })).toEqual([{ field: '', problem: 'catchAllLast', params: {} }]);
  });

  it('numbers the rules of the editor’s list, and the grading profiles, from 1', () => {
    const rules = [catchAll, { ...catchAll, then: { disposition: 'x', destination: 'Y' } }];
    const r = RuleSet.shape.rules.safeParse(rules);
    if (r.success) throw new Error('parsed');
    expect(ruleIssuesOf(r.error.issues, rules, 'rules')).toEqual([{ rule: 2, field: 'then.disposition', problem: 'oneOf', params: expect.objectContaining({ given: 'x' }) }]);
    expect(issuesOf({ version: 3, rules: [catchAll], gradingProfiles: [{ id: 'shoes' }] })[0]).toMatchObject({ profile: 1, field: 'category', problem: 'missing' });
  });

  it('JSON that does not parse: the line and column where it stops', () => {
    const text = '[\n  {"id": "a",}\n]';
    let message = '';
    try {
      JSON.parse(text);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(jsonIssue(text, message)).toEqual({ field: '', problem: 'json', params: { line: 2, column: 14 } });
    expect(jsonIssue('[', 'Unexpected end of JSON input').params).toEqual({ line: 1, column: 2 });
  });
});

describe('a refusal carries the first issue to the screen', () => {
  it('as flat params and back, beside the reason and field kept for older screens', () => {
    const v = validateRuleSet(withRule({ ...catchAll, id: 'a-rule', then: { disposition: 'restok', destination: 'X' } }));
    if (v.ok) throw new Error('valid');
    const { params } = ruleSetRefusal(v.issues);
    expect(params).toMatchObject({ reason: 'rule', rule: 1, field: 'rules.0.then.disposition', issues: 1, problem: 'oneOf', place: 'then.disposition', given: 'restok' });
    expect(ruleIssueFromParams(params)).toEqual(v.issues[0]?.issue);
    expect(ruleIssueFromParams({ reason: 'rule', rule: 1, field: 'rules.0.id' })).toBeNull();
    expect(ruleIssueParams({ profile: 2, field: 'id', problem: 'missing', params: {} })).toEqual({ problem: 'missing', place: 'id', profile: 2 });
  });

  it('a call’s proposed rules that do not parse are refused as a rule set; other inputs are not', () => {
    const input = { rules: [{ ...catchAll, then: { disposition: 'restock', destination: '' } }], limit: 10 };
    const r = api['rules.dryRun'].input.safeParse(input);
    if (r.success) throw new Error('parsed');
    expect(proposedRulesRefusal(r.error.issues, input)?.params).toMatchObject({ reason: 'rule', rule: 1, problem: 'empty', place: 'then.destination' });
    const limit = api['rules.dryRun'].input.safeParse({ rules: [catchAll], limit: 0 });
    if (limit.success) throw new Error('parsed');
    expect(proposedRulesRefusal(limit.error.issues, { rules: [catchAll], limit: 0 })).toBeNull();
  });
});
