// Issue 15 (wt-15s), three tiers for real: two benches (demo app, SQLite) delivering through the site hub (embedded
// PostgreSQL) to the demo WMS. A rule set published once in the hub UI reaches both benches by pull; the next item
// at each bench routes by it and records its version, which the hub receives; a malformed rule set from the hub is
// refused and reported while the bench keeps its version; a bench that loses the hub keeps it too.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradedItem, GradingProfile, RoutingRuleInput, RuleSet } from '../../contract/index.js';
import { GRADING_PROFILES } from '../../domain/grading/profiles/index.js';
import { defaultRuleSet } from '../../domain/rules/defaultRuleSet.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';
import { startDemoApp, type RunningDemoApp } from '../../app/demo.js';

const data = generateDemoData({ seed: 11, rmas: 40 });
let dir: string;
let wms: DemoWms;
let hub: Hub;
let hubOpen = true;
const benches: RunningDemoApp[] = [];

type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; messageKey: string; message: string } };
async function ok<T>(p: Promise<Answer>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.messageKey}: ${r.error.message}`);
  return r.value as T;
}
async function postJson(path: string, token: string | null, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** Every grade A goes to the site's own outlet, whatever else is true of the item. */
const siteRules: RoutingRuleInput[] = [
  {
    id: 'site-grade-a-outlet',
    when: { grades: ['A'] },
    then: { disposition: 'resale', destination: 'SITE-OUTLET' },
    explain: { en: 'Grade A goes to the site outlet.', ja: 'A判定はサイトのアウトレットへ回します。' },
  },
  ...defaultRuleSet.rules,
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-site-rules-'));
  chmodSync(dir, 0o755);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-site-rules', seed: { products: data.products, rmas: data.rmas } });
  hub = await startHub({
    siteId: 'SITE-RULES',
    dataDir: join(dir, 'hub'),
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    site: { lockAfterFailures: 5, lockMinutes: 5 },
    log: () => undefined,
  });
  await hub.reference.pullNow();
  await postJson('/admin/v1/operators', hub.adminToken, { badge: 'SITE-SUP', name: 'Site Supervisor', role: 'supervisor', pin: '6666' });
  await postJson('/admin/v1/operators', hub.adminToken, { badge: 'SITE-STAFF', name: 'Site Staff', role: 'staff', pin: '8888' });
  for (const stationId of ['BENCH-R1', 'BENCH-R2']) {
    const { code } = (await postJson(HUB_PATHS.adminCodes, hub.adminToken, { stationId })).json as { code: string };
    const cred = (await postJson(HUB_PATHS.enrol, null, { code })).json as BenchCredential;
    benches.push(
      await startDemoApp({
        dataDir: join(dir, stationId),
        env: { RS_HUB_URL: hub.url, RS_HUB_TOKEN: cred.token, RS_STATION_ID: stationId },
        printer: { transport: 'none' },
        log: () => undefined,
      }),
    );
  }
}, 240_000);

afterAll(async () => {
  for (const b of benches) await b.close();
  if (hubOpen) await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

const openRmas = data.rmas.filter((r) => r.status === 'open');
let nextRma = 0;
/** Opens the next open RMA's parcel at the bench and grades its first line A. */
async function gradeA(app: RunningDemoApp, session: string): Promise<GradedItem> {
  const rma = openRmas[nextRma++]!;
  const product = data.products.find((p) => p.sku === rma.lines[0]!.sku)!;
  const parcel = await ok<{ parcelId: string }>(app.station.handle(session, 'parcel.open', { code: rma.trackingNumber }));
  const match = await ok<{ line: { lineId: string } }>(app.station.handle(session, 'parcel.matchItem', { parcelId: parcel.parcelId, code: product.gtin.slice(1) }));
  return ok<GradedItem>(app.station.handle(session, 'item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'A' }));
}
type RulesGet = { current: RuleSet; source: string; site?: { lastPulledAt: string | null; errorKey: string | null } };

describe('one rule set for the site, at every bench', () => {
  let published: RuleSet;

  it('before the site publishes, each bench routes by its own rules and says so', async () => {
    for (const app of benches) {
      await app.station.syncNow();
      await ok(app.station.handle('staff', 'session.signIn', { badge: 'SITE-STAFF', pin: '8888' }));
      const got = await ok<RulesGet>(app.station.handle('staff', 'rules.get', {}));
      expect(got).toMatchObject({ source: 'bench', current: { version: defaultRuleSet.version }, site: { errorKey: null } });
    }
  });

  it('published once in the hub UI, it routes the next item at every bench, and each decision records its version', async () => {
    const jar = { cookie: '' };
    const session = randomUUID();
    const call = async (name: string, input: unknown): Promise<Answer> => {
      const res = await fetch(`${hub.url}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-station-session': session, cookie: jar.cookie }, body: JSON.stringify(input) });
      const set = res.headers.get('set-cookie');
      if (set) jar.cookie = set.split(';')[0]!;
      return (await res.json()) as Answer;
    };
    await ok(call('session.signIn', { badge: 'SITE-SUP', pin: '6666' }));
    // The site's shoes checklist is published with the rules (issue 15: rule sets and grading profiles, once at the hub).
    const siteShoes: GradingProfile = { ...GRADING_PROFILES.shoes, version: GRADING_PROFILES.shoes.version + 1, title: { ja: 'サイトの靴', en: 'Site shoes' } };
    published = await ok<RuleSet>(call('rules.publish', { rules: siteRules, note: 'grade A to the site outlet', gradingProfiles: [siteShoes] }));

    const itemIds: string[] = [];
    for (const app of benches) {
      await app.station.syncNow();
      const got = await ok<RulesGet>(app.station.handle('staff', 'rules.get', {}));
      expect(got).toMatchObject({ source: 'site', current: { version: published.version }, site: { errorKey: null } });
      expect(got.site?.lastPulledAt).not.toBeNull();
      expect(await ok<GradingProfile>(app.station.handle('staff', 'grading.profile', { category: 'shoes' }))).toMatchObject({ version: siteShoes.version, title: { en: 'Site shoes' } });
      expect((await ok<GradingProfile>(app.station.handle('staff', 'grading.profile', { category: 'apparel' }))).version).toBe(GRADING_PROFILES.apparel.version);
      const item = await gradeA(app, 'staff');
      expect(item.routing).toMatchObject({ ruleId: 'site-grade-a-outlet', ruleSetVersion: published.version, disposition: 'resale', destination: 'SITE-OUTLET' });
      itemIds.push(item.itemId);
      await app.station.syncNow();
      // The bench's own rule changes are refused: the site's are made at the hub.
      await ok(app.station.handle('sup', 'session.signIn', { badge: 'SITE-SUP', pin: '6666' }));
      const own = await app.station.handle('sup', 'rules.publish', { rules: [defaultRuleSet.rules.at(-1)] });
      expect(own.ok ? null : own.error.messageKey).toBe('error.siteRules.atHub');
    }
    const atHub = await hub.pool.query<{ station_id: string; v: number; rule: string }>(
      "SELECT station_id, (payload->>'ruleSetVersion')::int AS v, payload->>'ruleId' AS rule FROM events WHERE type = 'item.graded' AND payload->>'itemId' = ANY($1) ORDER BY station_id",
      [itemIds],
    );
    expect(atHub.rows).toEqual([
      { station_id: 'BENCH-R1', v: published.version, rule: 'site-grade-a-outlet' },
      { station_id: 'BENCH-R2', v: published.version, rule: 'site-grade-a-outlet' },
    ]);
  });

  it('refuses a malformed rule set from the hub, says so, and keeps routing by its version', async () => {
    // A damaged row at the hub: the bench must not route by it.
    await hub.pool.query("UPDATE site_rule_sets SET body = jsonb_set(body, '{rules}', '[]'::jsonb) WHERE version = $1", [published.version]);
    const app = benches[0]!;
    await app.station.syncNow();
    const got = await ok<RulesGet>(app.station.handle('staff', 'rules.get', {}));
    expect(got).toMatchObject({ source: 'site', current: { version: published.version }, site: { errorKey: 'error.siteRules.refused' } });
    expect((await gradeA(app, 'staff')).routing).toMatchObject({ ruleId: 'site-grade-a-outlet', ruleSetVersion: published.version });
    // The bench told the hub, once: the site's audit names it (the other bench, pulling on its own timer, may have too).
    const audit = await hub.pool.query<{ actor: string; entity: string }>("SELECT actor, entity FROM site_audit WHERE action = 'rules.refusedByBench' AND actor = 'BENCH-R1'");
    expect(audit.rows).toEqual([{ actor: 'BENCH-R1', entity: `rule_set:${published.version}` }]);
  });

  it('a bench that loses the hub keeps the site’s version and says it could not reach the hub', async () => {
    await hub.close();
    hubOpen = false;
    const app = benches[1]!;
    await app.station.syncNow();
    const got = await ok<RulesGet>(app.station.handle('staff', 'rules.get', {}));
    expect(got).toMatchObject({ source: 'site', current: { version: published.version }, site: { errorKey: 'error.siteRules.unreachable' } });
    expect((await gradeA(app, 'staff')).routing).toMatchObject({ ruleId: 'site-grade-a-outlet', ruleSetVersion: published.version });
  });
});
