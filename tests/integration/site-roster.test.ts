// Issue 15, bench side, three tiers for real: a bench (demo app, SQLite) delivering through the site hub
// (embedded PostgreSQL) to the demo WMS. The site's roster reaches the bench by pull, PINs are checked
// against the site-wide lock-out, a disable signs the operator out at the bench within 10 s, a decision
// taken at the hub reaches the bench that holds the item, and a bench without its hub keeps the last roster.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorSummary } from '../../contract/index.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';
import { startDemoApp, type RunningDemoApp } from '../../app/demo.js';

const data = generateDemoData({ seed: 7, rmas: 60 });
const demoStaff = data.operators.find((o) => o.role === 'staff')!;
const demoLead = data.operators.find((o) => o.role === 'lead')!;
let dir: string;
let wms: DemoWms;
let hub: Hub;
let app: RunningDemoApp;
let cred: BenchCredential;
const site: Record<'staff' | 'lead' | 'sup', OperatorSummary> = {} as never;
/** The label of an item graded at the site's second bench (set by the lead screens' test). */
let otherBenchLpn = '';

type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; messageKey: string; message: string } };
async function ok<T>(p: Promise<Answer>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.messageKey}: ${r.error.message}`);
  return r.value as T;
}
const keyOf = async (p: Promise<Answer>): Promise<string | null> => {
  const r = await p;
  return r.ok ? null : r.error.messageKey;
};

async function postJson(path: string, token: string | null, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
const admin = (path: string, body: unknown) => postJson(path, hub.adminToken, body);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-site-roster-'));
  chmodSync(dir, 0o755);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-site-roster', seed: { products: data.products, rmas: data.rmas } });
  hub = await startHub({
    siteId: 'SITE-B',
    dataDir: join(dir, 'hub'),
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    site: { lockAfterFailures: 3, lockMinutes: 5 },
    log: () => undefined,
  });
  await hub.reference.pullNow();
  // The site enrols the bench's demo badges itself, with its own PINs: the hub's rows take the badges over.
  site.staff = (await admin('/admin/v1/operators', { badge: demoStaff.badge, name: 'Site Staff', role: 'staff', pin: '8888' })).json as OperatorSummary;
  site.lead = (await admin('/admin/v1/operators', { badge: demoLead.badge, name: 'Site Lead', role: 'lead', pin: '7777' })).json as OperatorSummary;
  site.sup = (await admin('/admin/v1/operators', { badge: 'SITE-SUP', name: 'Site Supervisor', role: 'supervisor', pin: '6666' })).json as OperatorSummary;
  const { code } = (await admin(HUB_PATHS.adminCodes, { stationId: 'BENCH-S1' })).json as { code: string };
  cred = (await postJson(HUB_PATHS.enrol, null, { code })).json as BenchCredential;
  app = await startDemoApp({
    dataDir: join(dir, 'bench'),
    env: { RS_HUB_URL: hub.url, RS_HUB_TOKEN: cred.token, RS_STATION_ID: 'BENCH-S1' },
    printer: { transport: 'none' },
    log: () => undefined,
  });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one roster for the site, at a bench', () => {
  it('signs a site badge in at the bench with the site PIN; the bench’s own PIN for that badge no longer works', async () => {
    const me = await ok<{ id: string; name: string }>(app.station.handle('a', 'session.signIn', { badge: demoStaff.badge, pin: '8888' }));
    expect(me).toMatchObject({ id: site.staff.id, name: 'Site Staff' });
    expect(await keyOf(app.station.handle('b', 'session.signIn', { badge: demoStaff.badge, pin: demoStaff.pin }))).toBe('error.signInFailed');
    // A supervisor enrolled only at the hub works at this bench too, and the bench refuses roster changes of its own.
    await ok(app.station.handle('s', 'session.signIn', { badge: 'SITE-SUP', pin: '6666' }));
    expect(await keyOf(app.station.handle('s', 'operators.enrol', { badge: 'NEW-1', name: 'New', role: 'staff', pin: '1234', pinRepeat: '1234' }))).toBe('error.site.rosterAtHub');
    // The list says the roster is the hub's, and leaves out the bench's own operators whose badges the site took.
    const listed = await ok<{ operators: OperatorSummary[]; managedAtHub?: boolean }>(app.station.handle('s', 'operators.list', {}));
    expect(listed.managedAtHub).toBe(true);
    expect(listed.operators.filter((o) => o.badge === demoStaff.badge).map((o) => o.id)).toEqual([site.staff.id]);
    expect(listed.operators.some((o) => o.badge.includes('~'))).toBe(false);
    expect(listed.operators.map((o) => o.badge)).toContain('SITE-SUP');
  });

  it('counts wrong PINs at the bench toward the site-wide lock-out', async () => {
    const guesses = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => keyOf(app.station.handle(`g${i}`, 'session.signIn', { badge: demoLead.badge, pin: `100${i}` }))));
    expect(guesses.filter((k) => k === 'error.signInFailed')).toHaveLength(3);
    expect(guesses.filter((k) => k === 'error.locked')).toHaveLength(3);
    // Locked for the site: the right PIN is refused at the bench, and at the hub for another bench.
    expect(await keyOf(app.station.handle('g', 'session.signIn', { badge: demoLead.badge, pin: '7777' }))).toBe('error.locked');
    await admin(`/admin/v1/operators/${site.lead.id}/pin`, { pin: '7770' });
    await ok(app.station.handle('g', 'session.signIn', { badge: demoLead.badge, pin: '7770' }));
  });

  it('disabling an operator at the hub signs them out at the bench within 10 s', async () => {
    const changed: number[] = [];
    const off = app.station.subscribe((event) => {
      if (event === 'session.changed') changed.push(Date.now());
    });
    await ok(app.station.handle('victim', 'session.signIn', { badge: demoStaff.badge, pin: '8888' }));
    const start = Date.now();
    expect((await admin(`/admin/v1/operators/${site.staff.id}/disable`, { disabled: true })).status).toBe(200);
    let current: unknown = 'signed in';
    while (current !== null && Date.now() - start < 12_000) {
      await new Promise((r) => setTimeout(r, 200));
      // A background call, as the renderer's session check is.
      current = await ok(app.station.handle('victim', 'session.current', {}));
    }
    off();
    expect(current).toBeNull();
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(changed.length).toBeGreaterThan(0);
    expect(await keyOf(app.station.handle('victim', 'session.signIn', { badge: demoStaff.badge, pin: '8888' }))).toBe('error.signInFailed');
    await admin(`/admin/v1/operators/${site.staff.id}/disable`, { disabled: false });
    await app.station.syncNow();
  });
});

describe('a decision taken at the hub reaches the bench that holds the item', () => {
  it('an override at the hub is pulled by the bench, which lists the item for relabelling', async () => {
    // Returned as damaged but graded N: flagged, so held for a lead's review.
    const rma = data.rmas.find((r) => r.lines[0]!.reason === 'damaged' && r.status === 'open')!;
    const product = data.products.find((p) => p.sku === rma.lines[0]!.sku)!;
    const op = 'grader';
    await ok(app.station.handle(op, 'session.signIn', { badge: demoStaff.badge, pin: '8888' }));
    const parcel = await ok<{ parcelId: string }>(app.station.handle(op, 'parcel.open', { code: rma.trackingNumber }));
    const match = await ok<{ line: { lineId: string } }>(app.station.handle(op, 'parcel.matchItem', { parcelId: parcel.parcelId, code: product.gtin.slice(1) }));
    const graded = await ok<{ itemId: string; flags: string[]; disposition: string }>(app.station.handle(op, 'item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'N' }));
    expect(graded.flags).toContain('reason_condition_mismatch');
    await app.station.syncNow();

    // A lead at the hub UI overrides it.
    const cookieJar = { cookie: '' };
    const call = async (name: string, input: unknown) => {
      const res = await fetch(`${hub.url}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-station-session': randomUUID(), cookie: cookieJar.cookie }, body: JSON.stringify(input) });
      const set = res.headers.get('set-cookie');
      if (set) cookieJar.cookie = set.split(';')[0]!;
      return (await res.json()) as Answer;
    };
    await ok(call('session.signIn', { badge: demoLead.badge, pin: '7770' }));
    const queue = await ok<{ items: { itemId: string; stationId: string }[] }>(call('review.list', {}));
    expect(queue.items).toContainEqual(expect.objectContaining({ itemId: graded.itemId, stationId: 'BENCH-S1' }));
    const newDisposition = graded.disposition === 'repair' ? 'resale' : 'repair';
    await ok(call('review.override', { itemId: graded.itemId, disposition: newDisposition, reason: 'screen scratched' }));

    await app.station.syncNow();
    await ok(app.station.handle('lead', 'session.signIn', { badge: demoLead.badge, pin: '7770' }));
    const atBench = await ok<{ reviewStatus: string; disposition: string; reviewReason: string }>(app.station.handle('lead', 'review.get', { itemId: graded.itemId }));
    expect(atBench).toMatchObject({ reviewStatus: 'overridden', disposition: newDisposition, reviewReason: 'screen scratched' });
    const relabel = await ok<{ items: { itemId: string; disposition: string }[] }>(app.station.handle(op, 'review.relabelList', {}));
    expect(relabel.items).toEqual([expect.objectContaining({ itemId: graded.itemId, disposition: newDisposition })]);
    await ok(app.station.handle(op, 'review.relabelDone', { itemId: graded.itemId }));
    expect((await ok<{ items: unknown[] }>(app.station.handle(op, 'review.relabelList', {}))).items).toEqual([]);
    // A second decision, asked at the bench, is the hub's to refuse: the site has decided it.
    expect(await keyOf(app.station.handle('lead', 'review.approve', { itemId: graded.itemId }))).toBe('error.site.alreadyDecided');
    // The bench decided nothing itself: its outbox has no decision of its own to send.
    const benchDb = new Database(join(dir, 'bench', 'station.sqlite'), { readonly: true });
    try {
      expect(benchDb.prepare("SELECT count(*) AS n FROM outbox WHERE type IN ('item.approved', 'item.overridden')").get()).toEqual({ n: 0 });
    } finally {
      benchDb.close();
    }
  });
});

describe('a bench’s lead screens show the whole site while its hub answers', () => {
  it('lists, and decides, an item graded at another bench; with the hub away it says the list is this bench’s own', async () => {
    const { code } = (await admin(HUB_PATHS.adminCodes, { stationId: 'BENCH-S2' })).json as { code: string };
    const cred2 = (await postJson(HUB_PATHS.enrol, null, { code })).json as BenchCredential;
    const other = await startDemoApp({
      dataDir: join(dir, 'bench2'),
      env: { RS_HUB_URL: hub.url, RS_HUB_TOKEN: cred2.token, RS_STATION_ID: 'BENCH-S2' },
      printer: { transport: 'none' },
      log: () => undefined,
    });
    try {
      await other.station.syncNow();
      const rma = data.rmas.filter((r) => r.lines[0]!.reason === 'damaged' && r.status === 'open')[1]!;
      const product = data.products.find((p) => p.sku === rma.lines[0]!.sku)!;
      await ok(other.station.handle('g2', 'session.signIn', { badge: demoStaff.badge, pin: '8888' }));
      const parcel = await ok<{ parcelId: string }>(other.station.handle('g2', 'parcel.open', { code: rma.trackingNumber }));
      const match = await ok<{ line: { lineId: string } }>(other.station.handle('g2', 'parcel.matchItem', { parcelId: parcel.parcelId, code: product.gtin.slice(1) }));
      const graded = await ok<{ itemId: string; lpn: string }>(other.station.handle('g2', 'item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'N' }));
      otherBenchLpn = graded.lpn;
      await other.station.syncNow();

      // At bench 1, the lead's queue is the site's: bench 2's item, with its bench.
      await ok(app.station.handle('l1', 'session.signIn', { badge: demoLead.badge, pin: '7770' }));
      const queue = await ok<{ items: { itemId: string; stationId?: string }[]; scope?: string }>(app.station.handle('l1', 'review.list', {}));
      expect(queue.scope).toBe('site');
      expect(queue.items).toContainEqual(expect.objectContaining({ itemId: graded.itemId, stationId: 'BENCH-S2' }));
      // Its label scanned on bench 1's Review screen finds it at the hub (bench 1 has no such item), with its bench.
      expect(await ok(app.station.handle('l1', 'item.lookup', { lpn: graded.lpn.toLowerCase() }))).toMatchObject({ itemId: graded.itemId, stationId: 'BENCH-S2', reviewStatus: 'pending', labelPrinted: false });
      // Approved from bench 1: the hub decides, and bench 2, which holds the item, pulls the decision.
      await ok(app.station.handle('l1', 'review.approve', { itemId: graded.itemId }));
      expect(await ok(app.station.handle('l1', 'item.lookup', { lpn: graded.lpn }))).toMatchObject({ itemId: graded.itemId, reviewStatus: 'approved' });
      // An LPN no bench of the site graded: the hub says so for the whole site.
      expect(await keyOf(app.station.handle('l1', 'item.lookup', { lpn: 'LPN-BENCHS2-9999999' }))).toBe('error.site.noItemForLpn');
      await other.station.syncNow();
      const otherDb = new Database(join(dir, 'bench2', 'station.sqlite'), { readonly: true });
      try {
        expect(otherDb.prepare('SELECT review_status AS status FROM items WHERE id = ?').get(graded.itemId)).toEqual({ status: 'approved' });
      } finally {
        otherDb.close();
      }
      // Staff may not see the queue, at the hub's word as at the bench's.
      await ok(app.station.handle('s1', 'session.signIn', { badge: demoStaff.badge, pin: '8888' }));
      expect(await keyOf(app.station.handle('s1', 'review.list', {}))).toBe('error.forbidden');
      // The supervisor's dashboard and the report summary come from the hub too, or the bench says they are its own.
      await ok(app.station.handle('sup', 'session.signIn', { badge: 'SITE-SUP', pin: '6666' }));
      const shift = await ok<{ scope?: string }>(app.station.handle('sup', 'dashboard.shift', {}));
      expect(['site', 'bench']).toContain(shift.scope);
      const summary = await ok<{ scope?: string }>(app.station.handle('sup', 'reports.summary', {}));
      expect(['site', 'bench']).toContain(summary.scope);
    } finally {
      await other.close();
    }
  });
});

describe('benches at a glance (issue 15, wt-15r)', () => {
  it('the bench tells the hub who is signed in, its outbox and its rule-set version on its site sync', async () => {
    await ok(app.station.handle('glance', 'session.signIn', { badge: 'SITE-SUP', pin: '6666' }));
    await app.station.syncNow();
    const row = (await hub.pool.query('SELECT * FROM bench_status WHERE site_id = $1 AND station_id = $2', [hub.siteId, 'BENCH-S1'])).rows[0] as Record<string, unknown> | undefined;
    expect(row).toMatchObject({ operator_id: site.sup.id, operator_name: 'Site Supervisor', app_version: expect.any(String) });
    expect(typeof row?.rule_set_version).toBe('number');
    expect(typeof row?.outbox_pending).toBe('number');
    // At the bench, the site's benches are a hub screen.
    expect(await keyOf(app.station.handle('glance', 'benches.list', {}))).toBe('error.site.onlyAtHub');
  });
});

describe('a bench without its hub', () => {
  it('keeps the last roster: site PINs still work, a disabled badge stays disabled', async () => {
    await admin(`/admin/v1/operators/${site.sup.id}/disable`, { disabled: true });
    await app.station.syncNow();
    await hub.close();
    await ok(app.station.handle('off', 'session.signIn', { badge: demoStaff.badge, pin: '8888' }));
    // The lead's queue is this bench's own copy now, and says so.
    await ok(app.station.handle('offLead', 'session.signIn', { badge: demoLead.badge, pin: '7770' }));
    const queue = await ok<{ scope?: string; items: { stationId?: string }[] }>(app.station.handle('offLead', 'review.list', { status: 'all' }));
    expect(queue.scope).toBe('bench');
    // Every row names this bench, so the screen keeps its bench column while the hub is away; the bench filter is
    // answered as the hub answers it: this bench (any case) is every item here, another bench is none.
    expect(queue.items.length).toBeGreaterThan(0);
    expect(queue.items.every((i) => i.stationId === 'BENCH-S1')).toBe(true);
    const benchFilter = async (stationId: string) => ok<{ scope?: string; total: number }>(app.station.handle('offLead', 'review.list', { status: 'all', stationId }));
    expect(await benchFilter('bench-s1')).toMatchObject({ scope: 'bench', total: queue.items.length });
    expect(await benchFilter('BENCH-S2')).toMatchObject({ scope: 'bench', total: 0 });
    // Another bench's label: without the hub this bench knows only its own items, and says so in its own words.
    expect(otherBenchLpn).toMatch(/^LPN-BENCHS2-/);
    expect(await keyOf(app.station.handle('offLead', 'item.lookup', { lpn: otherBenchLpn }))).toBe('error.noItemForLpn');
    expect(await keyOf(app.station.handle('off2', 'session.signIn', { badge: 'SITE-SUP', pin: '6666' }))).toBe('error.signInFailed');
  });
});
