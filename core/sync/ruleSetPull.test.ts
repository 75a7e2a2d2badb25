// Issue 15 (wt-15s), bench side: the site's rule set pulled from the hub, adopted only when it parses, kept when
// the hub is away or sends something malformed; the bench's RulesService routes by it and says it is the site's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleSet, SITE_PATHS, type RoutingRuleInput } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { insertPublishedRuleSet } from '../../db/repositories/ruleSets.js';
import { defaultRuleSet } from '../../domain/rules/defaultRuleSet.js';
import { route } from '../../domain/rules/route.js';
import { RulesService } from '../workflow/rules.js';
import { StationError } from '../workflow/errors.js';
import { ruleSetSha256 } from '../../shared-node/ruleSetHash.js';
import { pullSiteRuleSet, RULE_SET_REFUSED, RULE_SET_UNREACHABLE } from './ruleSetPull.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-ruleset-pull-'));
  db = openDatabase(join(dir, 'station.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const apparelAToOutlet: RoutingRuleInput = {
  id: 'apparel-a-outlet',
  when: { categories: ['apparel'], grades: ['A'] },
  then: { disposition: 'resale', destination: 'OUTLET' },
  explain: { en: 'Apparel in grade A goes to the outlet.', ja: 'A判定の衣料はアウトレットへ回します。' },
};
const siteV3 = RuleSet.parse({ version: 3, rules: [apparelAToOutlet, ...defaultRuleSet.rules], publishedAt: '2026-11-20T09:00:00.000Z', publishedBy: 'op-sup', note: 'outlet' });
const apparelA = { grade: 'A', category: 'apparel', reason: 'size', priceJpy: 3000 } as const;

/** A hub that answers the rule-set path with `answer` (or fails when it is an Error). */
function hub(answers: (unknown | Error)[]): { get(path: string): Promise<Response>; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async get(path) {
      asked.push(path);
      const a = answers.length > 1 ? answers.shift() : answers[0];
      if (a instanceof Error) throw a;
      return new Response(JSON.stringify(a), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  };
}
const now = () => new Date('2026-11-20T10:00:00.000Z');

describe('the site rule set at a bench', () => {
  it('routes by the bench’s own rules until the site publishes, then by the site’s version, and says whose', async () => {
    const rules = new RulesService({ db, stationId: 'BENCH-01', shipped: defaultRuleSet, site: true });
    const h = hub([{ ruleSet: null }, { ruleSet: siteV3 }]);
    expect(await pullSiteRuleSet({ db, get: h.get, now })).toBe('unchanged');
    expect([rules.source(), rules.current().version]).toEqual(['bench', defaultRuleSet.version]);
    expect(route(rules.current(), apparelA)).toMatchObject({ disposition: 'restock', ruleSetVersion: defaultRuleSet.version });

    let adopted: number | null = null;
    expect(await pullSiteRuleSet({ db, get: h.get, now, onAdopted: (rs) => ((adopted = rs.version), rules.siteRuleSetChanged()) })).toBe('adopted');
    expect(h.asked).toEqual([SITE_PATHS.ruleSet, SITE_PATHS.ruleSet]);
    expect(adopted).toBe(3);
    expect([rules.source(), rules.current().version]).toEqual(['site', 3]);
    // The next item routes by the site's version and records it.
    expect(route(rules.current(), apparelA)).toMatchObject({ disposition: 'resale', destination: 'OUTLET', ruleId: 'apparel-a-outlet', ruleSetVersion: 3 });
    expect(rules.siteState()).toEqual({ lastPulledAt: now().toISOString(), errorKey: null });
    expect(rules.history()).toEqual([{ version: 3, status: 'published', publishedAt: siteV3.publishedAt, publishedBy: 'op-sup', note: 'outlet' }]);
    // Its own rule changes are refused: the site's are published at the hub.
    const refusal = (() => {
      try {
        rules.publish({ id: 'op-sup', name: 'Sup', role: 'supervisor' } as never, [defaultRuleSet.rules.at(-1)!], undefined);
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(StationError);
    expect((refusal as StationError).messageKey).toBe('error.siteRules.atHub');
  });

  it('refuses a malformed rule set from the hub, reports it, and keeps routing by the version it has', async () => {
    const rules = new RulesService({ db, stationId: 'BENCH-01', shipped: defaultRuleSet, site: true });
    await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3 }]).get, now });
    const logged: string[] = [];
    const reported: unknown[] = [];
    const report = async (r: unknown) => void reported.push(r);
    const noCatchAll = { ...siteV3, version: 4, rules: [apparelAToOutlet] };
    // The same bad answer twice is reported once; each different one again.
    for (const bad of [{ ruleSet: noCatchAll }, { ruleSet: noCatchAll }, { ruleSet: { version: 'five' } }, ['not', 'an', 'answer']]) {
      expect(await pullSiteRuleSet({ db, get: hub([bad]).get, now, log: (m) => logged.push(m), report })).toBe('refused');
      rules.siteRuleSetChanged();
      expect([rules.source(), rules.current().version]).toEqual(['site', 3]);
      expect(rules.siteState()?.errorKey).toBe(RULE_SET_REFUSED);
    }
    expect(logged[0]).toMatch(/site rule set refused .*last rule must be a catch-all.*keeps routing by version 3/);
    expect(reported).toEqual([
      { version: 4, error: expect.stringContaining('catch-all') },
      { version: null, error: expect.stringContaining('version') },
      { version: null, error: 'the answer is not a rule set' },
    ]);
    expect((db.prepare('SELECT count(*) AS n FROM site_rule_sets').get() as { n: number }).n).toBe(1);
  });

  it('keeps its last version while the hub cannot be reached, and says when it last heard', async () => {
    const rules = new RulesService({ db, stationId: 'BENCH-01', shipped: defaultRuleSet, site: true });
    await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3 }]).get, now });
    expect(await pullSiteRuleSet({ db, get: hub([new Error('connect ECONNREFUSED')]).get, now: () => new Date('2026-11-20T11:00:00.000Z') })).toBe('unreachable');
    rules.siteRuleSetChanged();
    expect(rules.current().version).toBe(3);
    expect(rules.siteState()).toEqual({ lastPulledAt: now().toISOString(), errorKey: RULE_SET_UNREACHABLE });
    // Back online: the problem clears.
    expect(await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3 }]).get, now })).toBe('unchanged');
    expect(rules.siteState()?.errorKey).toBeNull();
  });

  it('a bench without a hub ignores any stored site rule set and routes by its own', async () => {
    await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3 }]).get, now });
    const alone = new RulesService({ db, stationId: 'BENCH-01', shipped: defaultRuleSet });
    expect([alone.source(), alone.current().version, alone.siteState()]).toEqual(['bench', defaultRuleSet.version, undefined]);
    expect(alone.origin()).toEqual({ source: 'shipped', sha256: ruleSetSha256(defaultRuleSet) });
  });

  it('says whose rules route: shipped, then this bench’s own v3, then the site’s v3 named by the hub; each version from its own table', async () => {
    const rules = new RulesService({ db, stationId: 'BENCH-01', shipped: defaultRuleSet, site: true });
    expect(rules.origin()).toEqual({ source: 'shipped', sha256: ruleSetSha256(defaultRuleSet) });
    // This bench publishes its own v3 (core/workflow/ruleSetOrigin.test.ts does it through rules.publish).
    const own = RuleSet.parse({ version: 3, rules: [{ ...apparelAToOutlet, then: { disposition: 'resale', destination: 'SECONDARY' } }, ...defaultRuleSet.rules] });
    insertPublishedRuleSet(db, { version: 3, bodyJson: JSON.stringify(own), by: null, at: now().toISOString(), note: null });
    rules.siteRuleSetChanged();
    expect(rules.origin()).toEqual({ source: 'bench', sourceId: 'BENCH-01', sha256: ruleSetSha256(own) });

    expect(await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3, siteId: 'SITE-01' }]).get, now, onAdopted: () => rules.siteRuleSetChanged() })).toBe('adopted');
    expect(rules.origin()).toEqual({ source: 'site', sourceId: 'SITE-01', sha256: ruleSetSha256(siteV3) });
    expect(ruleSetSha256(own)).not.toBe(ruleSetSha256(siteV3));
    // Two v3s, each from the table its source names; without a source (an older item), the site's first, as before.
    expect(rules.version(3, 'bench')?.rules[0]?.then.destination).toBe('SECONDARY');
    expect(rules.version(3, 'site')?.rules[0]?.then.destination).toBe('OUTLET');
    expect(rules.version(3)?.rules[0]?.then.destination).toBe('OUTLET');
    expect(rules.version(2, 'shipped')).toBe(defaultRuleSet);
    expect([rules.version(2, 'site'), rules.version(2, 'bench'), rules.version(3, 'shipped')]).toEqual([undefined, undefined, undefined]);
  });

  it('a site version pulled from a hub that did not name its site gets the site once the hub says it', async () => {
    const rules = new RulesService({ db, stationId: 'BENCH-01', shipped: defaultRuleSet, site: true });
    await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3 }]).get, now });
    expect(rules.origin()).toEqual({ source: 'site', sha256: ruleSetSha256(siteV3) });
    let told = 0;
    const onAdopted = () => (told++, rules.siteRuleSetChanged());
    expect(await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3, siteId: 'SITE-01' }]).get, now, onAdopted })).toBe('unchanged');
    expect(rules.origin()).toEqual({ source: 'site', sourceId: 'SITE-01', sha256: ruleSetSha256(siteV3) });
    // Said once: the next identical answer changes nothing.
    expect(await pullSiteRuleSet({ db, get: hub([{ ruleSet: siteV3, siteId: 'SITE-01' }]).get, now, onAdopted })).toBe('unchanged');
    expect(told).toBe(1);
  });
});
