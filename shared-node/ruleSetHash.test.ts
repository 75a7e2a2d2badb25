import { describe, expect, it } from 'vitest';
import { RuleSet, WmsEventBody, type RoutingRuleInput } from '../contract/index.js';
import { defaultRuleSet } from '../domain/rules/defaultRuleSet.js';
import { canonicalJson, ruleSetSha256 } from './ruleSetHash.js';

const outlet: RoutingRuleInput = {
  id: 'apparel-a',
  when: { categories: ['apparel'], grades: ['A'] },
  then: { disposition: 'resale', destination: 'OUTLET' },
  explain: { en: 'Apparel in grade A goes to the outlet.', ja: 'A判定の衣料はアウトレットへ回します。' },
};
const v3 = (rule: RoutingRuleInput, meta: object = {}): RuleSet => RuleSet.parse({ version: 3, rules: [rule, ...defaultRuleSet.rules], ...meta });

/** The same object with every key order reversed, as another writer (the hub's jsonb) may hand it back. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
}

describe('the rule set content hash', () => {
  it('is 64 hex digits, and the same for the same content: key order, version and who published it do not count', () => {
    const h = ruleSetSha256(v3(outlet));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(ruleSetSha256(v3(outlet))).toBe(h);
    expect(ruleSetSha256(reversedKeys(v3(outlet)) as RuleSet)).toBe(h);
    expect(ruleSetSha256(JSON.parse(JSON.stringify(v3(outlet))) as RuleSet)).toBe(h);
    // The site publishing the bench's rules, or the same rules again as v4, routes alike and hashes alike.
    expect(ruleSetSha256({ ...v3(outlet, { publishedAt: '2026-11-02T00:00:00.000Z', publishedBy: 'OP-9', note: 'again' }), version: 4 })).toBe(h);
  });

  it('differs for different content: a destination, a word of the explanation, the rules’ order, a grading profile', () => {
    const h = ruleSetSha256(v3(outlet));
    const others = [
      v3({ ...outlet, then: { disposition: 'resale', destination: 'SECONDARY' } }),
      v3({ ...outlet, explain: { ...outlet.explain, en: 'Apparel in grade A goes to the outlet!' } }),
      RuleSet.parse({ version: 3, rules: [defaultRuleSet.rules[1]!, defaultRuleSet.rules[0]!, ...defaultRuleSet.rules.slice(2)] }),
      defaultRuleSet,
    ].map(ruleSetSha256);
    expect(new Set([h, ...others]).size).toBe(others.length + 1);
    expect(others[2]).not.toBe(ruleSetSha256(defaultRuleSet));
  });

  it('reads canonical JSON: keys sorted at every depth, arrays in order, undefined left out', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: undefined, w: 'é' }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"w":"é","y":1}]},"b":1}');
  });
});

describe('item.graded with and without the rule set origin', () => {
  const payload = {
    itemId: 'i1', lpn: 'LPN-BENCH-01-000001', parcelId: 'p1', rmaNumber: 'RMA-1', lineId: 'L1', sku: 'APP-1',
    grade: 'A', disposition: 'resale', destination: 'OUTLET', ruleId: 'apparel-a', ruleSetVersion: 3,
    operatorId: 'OP-1001', stationId: 'BENCH-01', gradedAt: '2026-11-02T00:00:00.000Z',
  };

  it('an older bench’s event, without it, still parses (a hub or WMS reading it keeps working)', () => {
    const e = WmsEventBody.parse({ type: 'item.graded', payload });
    expect(e.type === 'item.graded' && e.payload.ruleSetOrigin).toBeUndefined();
  });

  it('a new one carries its source, whose it is and the hash; a malformed origin is refused', () => {
    const origin = { source: 'site', sourceId: 'SITE-01', sha256: ruleSetSha256(v3(outlet)) };
    const e = WmsEventBody.parse({ type: 'item.graded', payload: { ...payload, ruleSetOrigin: origin } });
    expect(e.type === 'item.graded' && e.payload.ruleSetOrigin).toEqual(origin);
    for (const bad of [{ ...origin, source: 'hub' }, { ...origin, sha256: 'abc' }, { source: 'bench', sourceId: '', sha256: origin.sha256 }]) {
      expect(WmsEventBody.safeParse({ type: 'item.graded', payload: { ...payload, ruleSetOrigin: bad } }).success).toBe(false);
    }
  });
});

describe('the shipped rule set', () => {
  // Items routed by the shipped table record its version and this hash; review explains them only from a table with
  // the same hash. Edit the shipped rules or profiles and this fails: give the edit a new version number, and add
  // its hash here, so items already routed by the old content keep a matching table (core/workflow/review.ts).
  const SHIPPED_CONTENT: Record<number, string> = {
    2: '03fc71acc1cab72258e13d4e3eb51558b7074d1461e13ea5ceda9749b1ee59f2',
  };

  it('changes its content only with a new version number', () => {
    expect(SHIPPED_CONTENT[defaultRuleSet.version]).toBe(ruleSetSha256(defaultRuleSet));
  });
});
