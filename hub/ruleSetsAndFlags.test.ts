// Issue 15 (wt-15s) at the hub: one rule set for the site (published in the hub UI, dry-run against the site's
// graded items, served to benches, used by the hub's overrides) and the flags only a site can raise. One embedded
// PostgreSQL for the file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_PATHS, type ApiResponse, type DryRunResult, type ReviewDetail, type RoutingRuleInput, type RuleSet, type WmsEvent } from '../contract/index.js';
import { GRADING_PROFILES } from '../domain/grading/profiles/index.js';
import { defaultRuleSet } from '../domain/rules/defaultRuleSet.js';
import type { DemoWms } from '../fixtures/demo-wms/server.js';
import { makeRmas } from '../tests/integration/sync-helpers.js';
import { HUB_PATHS, type BenchCredential } from './protocol.js';
import type { Hub } from './server.js';
import { setSerialReturnerPolicy } from './siteFlags.js';
import { startTestSite, type TestSite } from './testSite.test-helper.js';

let site: TestSite;
let wms: DemoWms;
let hub: Hub;
let b1: BenchCredential;
let b2: BenchCredential;

async function http(method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
  const res = await fetch(hub.url + path, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json };
}
const admin = (method: string, path: string, body?: unknown) => http(method, path, { token: hub.adminToken, ...(body !== undefined ? { body } : {}) });

async function enrolBench(stationId: string): Promise<BenchCredential> {
  const code = await admin('POST', HUB_PATHS.adminCodes, { stationId });
  return (await http('POST', HUB_PATHS.enrol, { body: { code: (code.json as { code: string }).code } })).json as BenchCredential;
}

/** A hub UI tab: the cookie the hub sets and the renderer's header. */
class Tab {
  cookie = '';
  readonly session = randomUUID();
  async call<T = unknown>(name: string, input: unknown = {}): Promise<{ body: ApiResponse; value: T }> {
    const res = await fetch(`${hub.url}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-station-session': this.session, ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify(input),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    const body = (await res.json()) as ApiResponse;
    return { body, value: (body.ok ? body.value : undefined) as T };
  }
}
const errorOf = (r: { body: ApiResponse }) => (r.body.ok ? null : r.body.error);

async function signedIn(badge: string, pin: string): Promise<Tab> {
  const tab = new Tab();
  expect((await tab.call('session.signIn', { badge, pin })).body.ok).toBe(true);
  return tab;
}

const day = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const NOW = '2026-11-20T09:00:00.000Z';

/** Products and RMAs of the site's reference data, written as the hub's WMS pull writes them. */
async function reference(resource: 'products' | 'rmas', id: string, body: Record<string, unknown>): Promise<void> {
  await hub.pool.query(
    `INSERT INTO reference_rows (site_id, resource, id, updated_at, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (site_id, resource, id) DO UPDATE SET body = excluded.body`,
    [hub.siteId, resource, id, '2026-01-01T00:00:00.000Z', JSON.stringify(body)],
  );
}
const product = (sku: string, category: string, priceJpy: number) =>
  reference('products', sku, { sku, gtin: '04900000000000', name: sku, nameJa: sku, category, priceJpy, weightGrams: 100, updatedAt: '2026-01-01T00:00:00.000Z' });
const rma = (rmaNumber: string, createdAt: string, customerId?: string) =>
  reference('rmas', rmaNumber, {
    ...makeRmas(1)[0],
    rmaNumber,
    createdAt,
    lines: [{ id: `${rmaNumber}-L1`, sku: 'SKU-AP', qty: 1, reason: 'size', reasonText: 'size' }],
    ...(customerId ? { customerId } : {}),
  });

interface Graded {
  sku: string;
  grade: string;
  disposition?: string;
  destination?: string;
  rmaNumber?: string | null;
  parcelId?: string;
  serial?: string;
  epc?: string;
  held?: boolean;
  gradedAt?: string;
}
function graded(stationId: string, g: Graded): WmsEvent {
  const itemId = randomUUID();
  const rmaNumber = g.rmaNumber === undefined ? null : g.rmaNumber;
  return {
    idempotencyKey: randomUUID(),
    aggregateType: 'item',
    aggregateId: itemId,
    sequence: 1,
    occurredAt: g.gradedAt ?? NOW,
    type: 'item.graded',
    payload: {
      itemId,
      lpn: `LPN-${itemId.slice(0, 8)}`,
      parcelId: g.parcelId ?? `P-${itemId.slice(0, 6)}`,
      rmaNumber,
      lineId: rmaNumber ? `${rmaNumber}-L1` : null,
      sku: g.sku,
      grade: g.grade,
      disposition: g.disposition ?? 'restock',
      destination: g.destination ?? 'RESTOCK',
      ruleId: 'like-new-restock',
      ruleSetVersion: defaultRuleSet.version,
      operatorId: 'op-1',
      stationId,
      gradedAt: g.gradedAt ?? NOW,
      ...(g.serial ? { serial: g.serial } : {}),
      ...(g.epc ? { epc: g.epc } : {}),
      ...(g.held ? { heldForReview: true, flags: ['high_value'] } : {}),
    },
  } as WmsEvent;
}
function received(stationId: string, parcelId: string, rmaNumber: string, receivedAt = NOW): WmsEvent {
  return {
    idempotencyKey: randomUUID(),
    aggregateType: 'parcel',
    aggregateId: parcelId,
    sequence: 1,
    occurredAt: receivedAt,
    type: 'parcel.received',
    payload: { parcelId, rmaNumber, scannedCode: '100000000000', operatorId: 'op-1', stationId, receivedAt },
  } as WmsEvent;
}
const itemIdOf = (e: WmsEvent): string => (e.payload as { itemId: string }).itemId;

async function deliver(cred: BenchCredential, events: WmsEvent[]): Promise<string[]> {
  const r = await http('POST', '/api/v1/events', { token: cred.token, body: { stationId: cred.stationId, events } });
  expect(r.status).toBe(200);
  return (r.json as { results: { status: string }[] }).results.map((a) => a.status);
}

beforeAll(async () => {
  site = await startTestSite({ siteId: 'SITE-RS', wmsToken: 'wms-token-rules', products: 2, rmas: 2, site: { lockAfterFailures: 5, lockMinutes: 5, idleMs: 600_000 } });
  ({ hub, wms } = site);
  await admin('POST', '/admin/v1/operators', { badge: 'SUP-1', name: 'Sato', role: 'supervisor', pin: '1111' });
  await admin('POST', '/admin/v1/operators', { badge: 'L-1', name: 'Lead One', role: 'lead', pin: '4321' });
  b1 = await enrolBench('BENCH-1');
  b2 = await enrolBench('BENCH-2');
  await product('SKU-AP', 'apparel', 3000);
  await product('SKU-SH', 'shoes', 8000);
  await product('SKU-EL', 'electronics', 20000);
});
afterAll(async () => {
  await site?.close();
});

/** The shipped rules with apparel in grade A sent to the outlet instead of restocked. */
const apparelAToOutlet: RoutingRuleInput[] = [
  {
    id: 'apparel-a-outlet',
    when: { categories: ['apparel'], grades: ['A'] },
    then: { disposition: 'resale', destination: 'OUTLET' },
    explain: { en: 'Apparel in grade A goes to the outlet.', ja: 'A判定の衣料はアウトレットへ回します。' },
  },
  ...defaultRuleSet.rules,
];

describe('one rule set for the site', () => {
  const items: Record<string, WmsEvent> = {};
  beforeAll(async () => {
    items.ap1 = graded('BENCH-1', { sku: 'SKU-AP', grade: 'A', rmaNumber: 'RMA-R1' });
    items.sh = graded('BENCH-1', { sku: 'SKU-SH', grade: 'A' });
    items.el = graded('BENCH-2', { sku: 'SKU-EL', grade: 'B', disposition: 'resale', destination: 'OUTLET' });
    items.ap2 = graded('BENCH-2', { sku: 'SKU-AP', grade: 'A' });
    items.apC = graded('BENCH-2', { sku: 'SKU-AP', grade: 'C', disposition: 'resale', destination: 'SECONDARY' });
    items.held = graded('BENCH-1', { sku: 'SKU-AP', grade: 'B', disposition: 'quarantine', destination: 'REVIEW', held: true });
    items.held2 = graded('BENCH-2', { sku: 'SKU-AP', grade: 'B', disposition: 'quarantine', destination: 'REVIEW', held: true });
    await rma('RMA-R1', '2026-11-01T00:00:00.000Z');
    expect(await deliver(b1, [items.ap1!, items.sh!, items.held!])).toEqual(['applied', 'applied', 'applied']);
    expect(await deliver(b2, [items.el!, items.ap2!, items.apC!, items.held2!])).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  it('before anything is published the hub shows the shipped rules, says benches use their own, and serves no rule set', async () => {
    const sup = await signedIn('SUP-1', '1111');
    const got = await sup.call<{ current: RuleSet; source: string; history: { status: string }[] }>('rules.get');
    expect(got.value).toMatchObject({ current: { version: defaultRuleSet.version }, source: 'bench', history: [{ status: 'shipped' }] });
    expect((await http('GET', SITE_PATHS.ruleSet, { token: b1.token })).json).toEqual({ ruleSet: null, siteId: hub.siteId });
  });

  it('dry-runs a change against the items the site’s benches graded and lists the ones that would route differently', async () => {
    const lead = await signedIn('L-1', '4321');
    const d = (await lead.call<DryRunResult>('rules.dryRun', { rules: apparelAToOutlet, limit: 5000 })).value;
    expect(d.total).toBe(7);
    // ap1 and ap2 were restocked; under the proposal they go to the outlet. Every other item routes as before.
    expect(d.changed).toBe(2);
    expect(d.byTransition).toEqual([{ from: { disposition: 'restock', destination: 'RESTOCK' }, to: { disposition: 'resale', destination: 'OUTLET' }, count: 2 }]);
    expect(d.examples.map((x) => x.item?.itemId).sort()).toEqual([itemIdOf(items.ap1!), itemIdOf(items.ap2!)].sort());
    expect(d.examples.map((x) => x.item?.stationId).sort()).toEqual(['BENCH-1', 'BENCH-2']);
    expect(d.examples[0]).toMatchObject({ facts: { category: 'apparel', grade: 'A', priceJpy: 3000 }, after: { ruleId: 'apparel-a-outlet' } });
    // The RMA line's reason reaches the rules as the bench's would.
    expect(d.examples.find((x) => x.item?.itemId === itemIdOf(items.ap1!))?.facts.reason).toBe('size');
    // Only the newest `limit` items: the last delivered four came from BENCH-2, one of them apparel A.
    const few = (await lead.call<DryRunResult>('rules.dryRun', { rules: apparelAToOutlet, limit: 4 })).value;
    expect([few.total, few.changed]).toEqual([4, 1]);
  });

  it('refuses rules that do not parse with a clear error and changes nothing; only a supervisor publishes', async () => {
    const sup = await signedIn('SUP-1', '1111');
    const noCatchAll = apparelAToOutlet.slice(0, -1);
    expect(errorOf(await sup.call('rules.publish', { rules: noCatchAll }))).toMatchObject({ code: 'INVALID_INPUT', messageKey: 'error.ruleSetInvalid' });
    expect(errorOf(await sup.call('rules.dryRun', { rules: noCatchAll }))?.messageKey).toBe('error.ruleSetInvalid');
    expect(errorOf(await sup.call('rules.publish', { rules: noCatchAll }))?.params).toMatchObject({ reason: 'catchAllLast', problem: 'catchAllLast' });
    // A rule that does not parse: the rule, its field and the problem, for the hub UI to say in the supervisor's language.
    const misspelt = [{ ...apparelAToOutlet[0], then: { disposition: 'outlet', destination: 'OUTLET' } }, ...apparelAToOutlet.slice(1)];
    expect(errorOf(await sup.call('rules.dryRun', { rules: misspelt }))).toMatchObject({
      code: 'INVALID_INPUT',
      messageKey: 'error.ruleSetInvalid',
      params: { reason: 'rule', rule: 1, place: 'then.disposition', problem: 'oneOf', given: 'outlet' },
    });
    const lead = await signedIn('L-1', '4321');
    expect(errorOf(await lead.call('rules.publish', { rules: apparelAToOutlet }))?.code).toBe('FORBIDDEN');
    expect((await hub.pool.query('SELECT count(*)::int AS n FROM site_rule_sets')).rows[0]).toEqual({ n: 0 });
    expect((await http('GET', SITE_PATHS.ruleSet, { token: b1.token })).json).toEqual({ ruleSet: null, siteId: hub.siteId });
  });

  it('publishes a new version once for the site: benches are served it, the site audit records it', async () => {
    const sup = await signedIn('SUP-1', '1111');
    const rs = (await sup.call<RuleSet>('rules.publish', { rules: apparelAToOutlet, note: 'apparel A to outlet' })).value;
    expect(rs).toMatchObject({ version: defaultRuleSet.version + 1, note: 'apparel A to outlet' });
    const got = (await sup.call<{ current: RuleSet; source: string; history: { version: number; status: string; publishedBy: string | null }[] }>('rules.get')).value;
    // The publisher by name and badge, not the hub's generated operator id.
    expect(got).toMatchObject({ current: { version: rs.version }, source: 'site', history: [{ version: rs.version, status: 'published', publishedBy: 'Sato (SUP-1)' }] });
    for (const bench of [b1, b2]) expect((await http('GET', SITE_PATHS.ruleSet, { token: bench.token })).json).toEqual({ ruleSet: rs, siteId: hub.siteId });
    expect((await http('GET', SITE_PATHS.ruleSet)).status).toBe(401);
    const audit = await hub.pool.query<{ action: string }>("SELECT action FROM site_audit WHERE site_id = $1 AND entity = $2", [hub.siteId, `rule_set:${rs.version}`]);
    expect(audit.rows.map((a) => a.action)).toEqual(['rules.published']);
    // The next version follows it; what was dry-run against it is now the current side.
    const again = (await sup.call<DryRunResult>('rules.dryRun', { rules: apparelAToOutlet })).value;
    expect([again.currentVersion, again.proposedVersion, again.changed]).toEqual([rs.version, rs.version + 1, 0]);
  });

  it('routes a lead’s override at the hub by the site’s rule set', async () => {
    const lead = await signedIn('L-1', '4321');
    // A new grade: re-routed as if the review cleared the flags, by the published rule apparel-a-outlet.
    const regraded = await lead.call<ReviewDetail>('review.override', { itemId: itemIdOf(items.held!), grade: 'A', reason: 'tags were on after all' });
    expect(regraded.value).toMatchObject({ reviewStatus: 'overridden', grade: 'A', disposition: 'resale', destination: 'OUTLET' });
    // A disposition alone: the destination the site's rules use for it.
    const repaired = await lead.call<ReviewDetail>('review.override', { itemId: itemIdOf(items.held2!), disposition: 'repair', reason: 'zip can be fixed' });
    expect(repaired.value).toMatchObject({ disposition: 'repair', destination: 'REPAIR', grade: 'B' });
    const decisions = await hub.pool.query<{ after: { destination: string } }>('SELECT after FROM site_review_decisions WHERE site_id = $1 AND item_id = $2', [
      hub.siteId,
      itemIdOf(items.held!),
    ]);
    expect(decisions.rows[0]?.after).toMatchObject({ grade: 'A', disposition: 'resale', destination: 'OUTLET' });
    const audit = await hub.pool.query<{ details_json: string }>('SELECT details_json FROM site_audit WHERE site_id = $1 AND entity = $2', [hub.siteId, itemIdOf(items.held!)]);
    expect(JSON.parse(audit.rows[0]!.details_json)).toMatchObject({ ruleId: 'apparel-a-outlet', ruleSetVersion: defaultRuleSet.version + 1 });
  });
});

describe('flags only a site can raise', () => {
  const flagsOf = async (itemId: string) =>
    (await hub.pool.query<{ code: string }>('SELECT code FROM site_flags WHERE site_id = $1 AND item_id = $2 ORDER BY code', [hub.siteId, itemId])).rows.map((r) => r.code);
  const flagCount = async () => (await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM site_flags WHERE site_id = $1', [hub.siteId])).rows[0]?.n;

  it('the same serial number returned twice, at two benches: the second is flagged with both sightings, into the site queue', async () => {
    const first = graded('BENCH-1', { sku: 'SKU-EL', grade: 'A', serial: 'SN-777', gradedAt: day(NOW, -10) });
    const second = graded('BENCH-2', { sku: 'SKU-EL', grade: 'A', serial: 'SN-777' });
    const otherProduct = graded('BENCH-2', { sku: 'SKU-SH', grade: 'A', serial: 'SN-777' });
    await deliver(b1, [first]);
    expect(await flagsOf(itemIdOf(first))).toEqual([]);
    await deliver(b2, [second, otherProduct]);
    expect(await flagsOf(itemIdOf(second))).toEqual(['site_serial_twice']);
    // A serial is only unique within its product.
    expect(await flagsOf(itemIdOf(otherProduct))).toEqual([]);

    const lead = await signedIn('L-1', '4321');
    const queue = (await lead.call<{ items: { itemId: string; flags: string[]; stationId: string }[] }>('review.list', { flag: 'site_serial_twice' })).value.items;
    expect(queue).toEqual([expect.objectContaining({ itemId: itemIdOf(second), stationId: 'BENCH-2', flags: ['site_serial_twice'] })]);
    const detail = (await lead.call<ReviewDetail>('review.get', { itemId: itemIdOf(second) })).value;
    expect(detail.siteFlags).toEqual([
      expect.objectContaining({
        code: 'site_serial_twice',
        subject: 'SN-777',
        count: 2,
        occurrences: [
          expect.objectContaining({ source: 'bench', stationId: 'BENCH-1', itemId: itemIdOf(first) }),
          expect.objectContaining({ source: 'bench', stationId: 'BENCH-2', itemId: itemIdOf(second) }),
        ],
      }),
    ]);

    // A replayed batch is acknowledged as duplicate and raises nothing new.
    const before = await flagCount();
    expect(await deliver(b2, [second, otherProduct])).toEqual(['duplicate', 'duplicate']);
    expect(await flagCount()).toBe(before);
  });

  it('a bench that was offline delivers an earlier-graded item later: that one is flagged, as the second to arrive', async () => {
    const online = graded('BENCH-2', { sku: 'SKU-EL', grade: 'A', serial: 'SN-LATE' });
    const offline = graded('BENCH-1', { sku: 'SKU-EL', grade: 'B', serial: 'SN-LATE', gradedAt: day(NOW, -1) });
    await deliver(b2, [online]);
    await deliver(b1, [offline]);
    expect(await flagsOf(itemIdOf(online))).toEqual([]);
    expect(await flagsOf(itemIdOf(offline))).toEqual(['site_serial_twice']);
  });

  it('the same EPC returned twice, even at one bench', async () => {
    const epc = '3034257BF7194E4000001A85';
    const first = graded('BENCH-1', { sku: 'SKU-AP', grade: 'A', epc, gradedAt: day(NOW, -3) });
    const second = graded('BENCH-1', { sku: 'SKU-AP', grade: 'B', epc, held: true });
    await deliver(b1, [first, second]);
    expect(await flagsOf(itemIdOf(first))).toEqual([]);
    expect(await flagsOf(itemIdOf(second))).toEqual(['site_epc_twice']);
    // The bench held it already: the site flag joins the bench's flags on the same queue row.
    const lead = await signedIn('L-1', '4321');
    const detail = (await lead.call<ReviewDetail>('review.get', { itemId: itemIdOf(second) })).value;
    expect(detail.flags).toEqual(['high_value', 'site_epc_twice']);
    expect(detail.siteFlags?.[0]).toMatchObject({ code: 'site_epc_twice', subject: epc, count: 2 });
  });

  it('the same RMA received as two parcels at two benches: items of the second receipt are flagged with both receipts', async () => {
    await rma('RMA-TWICE', '2026-11-10T00:00:00.000Z');
    const atB1 = graded('BENCH-1', { sku: 'SKU-AP', grade: 'A', rmaNumber: 'RMA-TWICE', parcelId: 'P-T1' });
    await deliver(b1, [received('BENCH-1', 'P-T1', 'RMA-TWICE', day(NOW, -1)), atB1]);
    expect(await flagsOf(itemIdOf(atB1))).toEqual([]);
    const atB2 = graded('BENCH-2', { sku: 'SKU-AP', grade: 'A', rmaNumber: 'RMA-TWICE', parcelId: 'P-T2' });
    await deliver(b2, [received('BENCH-2', 'P-T2', 'RMA-TWICE'), atB2]);
    expect(await flagsOf(itemIdOf(atB2))).toEqual(['site_rma_twice']);
    const lead = await signedIn('L-1', '4321');
    const detail = (await lead.call<ReviewDetail>('review.get', { itemId: itemIdOf(atB2) })).value;
    expect(detail.siteFlags?.[0]).toMatchObject({
      code: 'site_rma_twice',
      subject: 'RMA-TWICE',
      count: 2,
      occurrences: [
        { source: 'bench', stationId: 'BENCH-1', parcelId: 'P-T1', rmaNumber: 'RMA-TWICE' },
        { source: 'bench', stationId: 'BENCH-2', parcelId: 'P-T2', rmaNumber: 'RMA-TWICE' },
      ],
    });
  });

  it('a serial returner: the customer’s returns at the site’s benches and in the WMS’s history within the window, at the threshold', async () => {
    // Customer C-9: two earlier RMAs in the window (one received at a bench, one only known to the WMS), one long ago.
    await rma('RMA-C9-OLD', day(NOW, -400), 'C-9');
    await rma('RMA-C9-1', day(NOW, -60), 'C-9');
    await rma('RMA-C9-2', day(NOW, -20), 'C-9');
    await rma('RMA-C9-3', day(NOW, -2), 'C-9');
    // Customer C-5: two returns only.
    await rma('RMA-C5-1', day(NOW, -30), 'C-5');
    await rma('RMA-C5-2', day(NOW, -2), 'C-5');
    await deliver(b2, [received('BENCH-2', 'P-C9-1', 'RMA-C9-1', day(NOW, -55))]);
    const c9 = graded('BENCH-1', { sku: 'SKU-AP', grade: 'A', rmaNumber: 'RMA-C9-3', parcelId: 'P-C9-3' });
    const c5 = graded('BENCH-1', { sku: 'SKU-AP', grade: 'A', rmaNumber: 'RMA-C5-2', parcelId: 'P-C5-2' });
    await deliver(b1, [received('BENCH-1', 'P-C9-3', 'RMA-C9-3'), c9, received('BENCH-1', 'P-C5-2', 'RMA-C5-2'), c5]);
    expect(await flagsOf(itemIdOf(c9))).toEqual(['site_serial_returner']);
    expect(await flagsOf(itemIdOf(c5))).toEqual([]);
    const lead = await signedIn('L-1', '4321');
    const ev = (await lead.call<ReviewDetail>('review.get', { itemId: itemIdOf(c9) })).value.siteFlags?.[0];
    expect(ev).toMatchObject({ code: 'site_serial_returner', subject: 'C-9', count: 3, windowDays: 90, threshold: 3 });
    expect(ev?.occurrences.map((o) => [o.rmaNumber, o.source, o.stationId])).toEqual([
      ['RMA-C9-1', 'bench', 'BENCH-2'],
      ['RMA-C9-2', 'wms', null],
      ['RMA-C9-3', 'bench', 'BENCH-1'],
    ]);

    // The site tunes the rule: two returns in 45 days now make a serial returner of C-5, from the next batch on.
    await setSerialReturnerPolicy(hub.pool, hub.siteId, { windowDays: 45, threshold: 2 });
    const c5again = graded('BENCH-2', { sku: 'SKU-SH', grade: 'A', rmaNumber: 'RMA-C5-2', parcelId: 'P-C5-2b' });
    await deliver(b2, [c5again]);
    expect(await flagsOf(itemIdOf(c5again))).toEqual(['site_serial_returner']);
  });

  it('a site flag reaches the site report and export as the queue has it: the flag filter finds the item, which waits for review', async () => {
    const epc = '3034257BF7194E4000009999';
    const first = graded('BENCH-1', { sku: 'SKU-SH', grade: 'A', epc, gradedAt: day(NOW, -2) });
    // Not held at the bench: only the site's flag puts it in the queue.
    const second = graded('BENCH-2', { sku: 'SKU-SH', grade: 'A', epc });
    await deliver(b1, [first]);
    await deliver(b2, [second]);
    expect(await flagsOf(itemIdOf(second))).toEqual(['site_epc_twice']);
    const row = await hub.pool.query<{ flags: string[]; review_status: string }>('SELECT flags, review_status FROM site_items WHERE site_id = $1 AND item_id = $2', [
      hub.siteId,
      itemIdOf(second),
    ]);
    expect(row.rows[0]).toEqual({ flags: ['site_epc_twice'], review_status: 'pending' });
    const sup = await signedIn('SUP-1', '1111');
    const report = (await sup.call<{ totals: { items: number }; flags: { flag: string; items: number; outcomes: { outcome: string; items: number }[] }[] }>('reports.summary', { flag: 'site_epc_twice' }))
      .value;
    expect(report.totals.items).toBe(2);
    expect(report.flags.find((f) => f.flag === 'site_epc_twice')).toMatchObject({ outcomes: expect.arrayContaining([{ outcome: 'pending', items: 2 }]) });
  });

  it('a bench timestamp that is not a date does not stop the batch', async () => {
    await rma('RMA-BAD', day(NOW, -1), 'C-BAD');
    const odd = graded('BENCH-1', { sku: 'SKU-AP', grade: 'A', rmaNumber: 'RMA-BAD', gradedAt: 'yesterday-ish' });
    expect(await deliver(b1, [odd])).toEqual(['applied']);
  });

  it('publishes grading profiles with a version; a later change of rules keeps them, and two for one category are refused', async () => {
    const sup = await signedIn('SUP-1', '1111');
    const { current } = (await sup.call<{ current: RuleSet }>('rules.get')).value;
    const siteApparel = { ...GRADING_PROFILES.apparel, version: GRADING_PROFILES.apparel.version + 1 };
    const twice = await sup.call('rules.publish', { rules: current.rules, gradingProfiles: [siteApparel, siteApparel] });
    expect(twice.body).toMatchObject({ ok: false, error: { messageKey: 'error.ruleSetInvalid' } });
    expect((await sup.call<{ current: RuleSet }>('rules.get')).value.current.version).toBe(current.version);

    const withProfile = (await sup.call<RuleSet>('rules.publish', { rules: current.rules, gradingProfiles: [siteApparel] })).value;
    const rulesOnly = (await sup.call<RuleSet>('rules.publish', { rules: current.rules, note: 'rules only' })).value;
    expect(rulesOnly.version).toBe(withProfile.version + 1);
    expect(rulesOnly.gradingProfiles).toEqual([siteApparel]);
    expect((await http('GET', SITE_PATHS.ruleSet, { token: b1.token })).json).toEqual({ ruleSet: rulesOnly, siteId: hub.siteId });
  });
});
