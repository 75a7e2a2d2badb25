// Issue 15 (wt-15r) at the hub: the site_items projection (migration 0007), site reports and the shift
// dashboard over PostgreSQL, the streamed CSV / XLSX export, the live dashboard push (LISTEN/NOTIFY → the hub
// UI's WebSocket) and "benches at a glance". One embedded PostgreSQL for the file.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parse } from 'csv-parse/sync';
import {
  RuleSet,
  SITE_REPORT_PATHS,
  type ApiResponse,
  type BenchesGlance,
  type DashboardShift,
  type ReportSummary,
  type ReviewDetailResult,
  type RoutingRuleInput,
  type RuleSetOrigin,
  type WmsEvent,
} from '../contract/index.js';
import { defaultRuleSet } from '../domain/rules/defaultRuleSet.js';
import { ruleSetSha256 } from '../shared-node/ruleSetHash.js';
import type { DemoWms } from '../fixtures/demo-wms/server.js';
import { makeRmas } from '../tests/integration/sync-helpers.js';
import { HUB_PATHS, type BenchCredential } from './protocol.js';
import type { Hub } from './server.js';
import { startTestSite, type TestSite } from './testSite.test-helper.js';

let site: TestSite;
let wms: DemoWms;
let hub: Hub;

beforeAll(async () => {
  site = await startTestSite({ siteId: 'SITE-REP', wmsToken: 'wms-token-rep', products: 10, rmas: 5, relayIntervalMs: 600_000 });
  ({ hub, wms } = site);
  await hub.reference.pullNow();
  for (const op of [
    { badge: 'SUP-1', name: 'Sato', role: 'supervisor', pin: '1111' },
    { badge: 'L-1', name: 'Lead One', role: 'lead', pin: '4321' },
  ]) {
    const r = await fetch(`${hub.url}/admin/v1/operators`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(op),
    });
    expect(r.status).toBe(200);
  }
}, 120_000);
afterAll(async () => {
  await site?.close();
});

async function post(path: string, token: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(hub.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

async function enrolBench(stationId: string): Promise<BenchCredential> {
  const code = (await post(HUB_PATHS.adminCodes, hub.adminToken, { stationId })).json as { code: string };
  const res = await fetch(hub.url + HUB_PATHS.enrol, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.code }) });
  return (await res.json()) as BenchCredential;
}

class Tab {
  cookie = '';
  readonly session = randomUUID();
  async call<T>(name: string, input: unknown = {}): Promise<{ body: ApiResponse; value: T }> {
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
  static async signedIn(badge: string, pin: string): Promise<Tab> {
    const tab = new Tab();
    expect((await tab.call('session.signIn', { badge, pin })).body.ok).toBe(true);
    return tab;
  }
  download(query: Record<string, string>): Promise<Response> {
    return fetch(`${hub.url}${SITE_REPORT_PATHS.export}?${new URLSearchParams(query).toString()}`, { headers: this.cookie ? { cookie: this.cookie } : {} });
  }
}

interface ItemSpec {
  stationId: string;
  operatorId: string;
  gradedAt: string;
  rma?: number;
  disposition?: string;
  grade?: string;
  held?: boolean;
  flags?: string[];
}

/** A parcel received and its item graded, as a bench sends them (parcel aggregate first). */
function parcelWithItem(s: ItemSpec): { itemId: string; events: WmsEvent[] } {
  const parcelId = randomUUID();
  const itemId = randomUUID();
  const rmaNumber = s.rma === undefined ? null : `RMA-${String(s.rma).padStart(6, '0')}`;
  const receivedAt = new Date(Date.parse(s.gradedAt) - 90_000).toISOString();
  return {
    itemId,
    events: [
      {
        idempotencyKey: randomUUID(),
        aggregateType: 'parcel',
        aggregateId: parcelId,
        sequence: 1,
        occurredAt: receivedAt,
        type: 'parcel.received',
        payload: { parcelId, rmaNumber, scannedCode: '1234', operatorId: s.operatorId, stationId: s.stationId, receivedAt, ...(rmaNumber ? {} : { blindReturn: true }) },
      },
      {
        idempotencyKey: randomUUID(),
        aggregateType: 'item',
        aggregateId: itemId,
        sequence: 1,
        occurredAt: s.gradedAt,
        type: 'item.graded',
        payload: {
          itemId,
          lpn: `LPN-${itemId.slice(0, 8)}`,
          parcelId,
          rmaNumber,
          lineId: rmaNumber ? `${rmaNumber}-L1` : null,
          // makeRmas: line L1 of RMA i is SKU i+1 (price 1000 + i + 1).
          sku: `SKU-${String(((s.rma ?? 0) + 1) % 10).padStart(5, '0')}`,
          grade: (s.grade ?? 'A') as 'A',
          disposition: (s.disposition ?? 'restock') as 'restock',
          destination: 'A-01',
          ruleId: 'R1',
          ruleSetVersion: 3,
          operatorId: s.operatorId,
          stationId: s.stationId,
          gradedAt: s.gradedAt,
          serial: 'SN-1',
          ...(s.flags ? { flags: s.flags } : {}),
          ...(s.held ? { heldForReview: true } : {}),
        },
      },
    ] as WmsEvent[],
  };
}

async function deliver(bench: BenchCredential, events: WmsEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const r = await post('/api/v1/events', bench.token, { stationId: bench.stationId, events: events.slice(i, i + 1000) });
    expect(r.status).toBe(200);
    expect((r.json as { results: { status: string }[] }).results.every((a) => a.status === 'applied' || a.status === 'duplicate')).toBe(true);
  }
}

let b1: BenchCredential;
let b2: BenchCredential;
const held: string[] = [];

describe('site_items projection (migration 0007)', () => {
  beforeAll(async () => {
    b1 = await enrolBench('BENCH-A');
    b2 = await enrolBench('BENCH-B');
  });

  it('projects each graded item with its bench, reference data and cycle time; a replayed batch adds nothing', async () => {
    // 2026-03-02 10:00 JST (early shift) and 23:00 JST (night shift, same operational day).
    const a = parcelWithItem({ stationId: 'BENCH-A', operatorId: 'op-a', gradedAt: '2026-03-02T01:00:00.000Z', rma: 1, flags: ['high_value'], held: true });
    const b = parcelWithItem({ stationId: 'BENCH-B', operatorId: 'op-b', gradedAt: '2026-03-02T14:00:00.000Z', rma: 2, disposition: 'resale', grade: 'B' });
    const blind = parcelWithItem({ stationId: 'BENCH-B', operatorId: 'op-b', gradedAt: '2026-03-02T14:30:00.000Z', disposition: 'disposal', grade: 'D' });
    held.push(a.itemId);
    await deliver(b1, a.events);
    await deliver(b2, [...b.events, ...blind.events]);
    await deliver(b1, a.events);
    const rows = (
      await hub.pool.query<{ item_id: string; station_id: string; price_jpy: string; reason: string | null; channel: string | null; category: string; review_status: string; received_at: Date; blind_return: boolean; rule_set_version: number; serial: string }>(
        'SELECT * FROM site_items WHERE site_id = $1 ORDER BY graded_at',
        [hub.siteId],
      )
    ).rows;
    expect(rows.map((r) => r.station_id)).toEqual(['BENCH-A', 'BENCH-B', 'BENCH-B']);
    expect(rows[0]).toMatchObject({ item_id: a.itemId, price_jpy: '1002', reason: 'size', channel: 'home_pickup', review_status: 'pending', blind_return: false, rule_set_version: 3, serial: 'SN-1' });
    expect(rows[0]?.received_at.toISOString()).toBe('2026-03-02T00:58:30.000Z');
    expect(rows[2]).toMatchObject({ blind_return: true, reason: null, channel: null, review_status: 'none' });
  });

  it('reflects a lead overriding at the hub and a lead approving at a bench', async () => {
    const lead = await Tab.signedIn('L-1', '4321');
    const r = await lead.call('review.override', { itemId: held[0], disposition: 'repair', reason: 'screen cracked' });
    expect(r.body.ok).toBe(true);
    const row = (await hub.pool.query('SELECT disposition, graded_disposition, review_status, review_reason FROM site_items WHERE item_id = $1', [held[0]])).rows[0];
    expect(row).toEqual({ disposition: 'repair', graded_disposition: 'restock', review_status: 'overridden', review_reason: 'screen cracked' });

    const c = parcelWithItem({ stationId: 'BENCH-A', operatorId: 'op-a', gradedAt: '2026-03-03T01:00:00.000Z', rma: 3, held: true });
    const approve: WmsEvent = {
      idempotencyKey: randomUUID(),
      aggregateType: 'item',
      aggregateId: c.itemId,
      sequence: 2,
      occurredAt: '2026-03-03T01:05:00.000Z',
      type: 'item.approved',
      payload: { itemId: c.itemId, lpn: 'x', operatorId: 'lead-a', stationId: 'BENCH-A', reviewedAt: '2026-03-03T01:05:00.000Z' },
    } as WmsEvent;
    // In one batch with its item: the trigger applies the item first.
    await deliver(b1, [...c.events, approve]);
    expect((await hub.pool.query('SELECT review_status, reviewed_by FROM site_items WHERE item_id = $1', [c.itemId])).rows[0]).toEqual({ review_status: 'approved', reviewed_by: 'lead-a' });
  });
  it('backfills the items the benches delivered before the migration, with decisions already taken', async () => {
    const migration = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'migrations', '0007_site_items.sql'), 'utf8');
    const start = migration.indexOf('-- What the benches delivered before this migration');
    const backfill = migration.slice(start, migration.indexOf('ON CONFLICT DO NOTHING;', start) + 'ON CONFLICT DO NOTHING;'.length);
    const old = parcelWithItem({ stationId: 'BENCH-A', operatorId: 'op-old', gradedAt: '2026-02-01T01:00:00.000Z', rma: 4 });
    // As if delivered before 0007: the projection's trigger is off while these arrive.
    await hub.pool.query('ALTER TABLE events DISABLE TRIGGER site_items_from_events');
    try {
      await deliver(b1, old.events);
    } finally {
      await hub.pool.query('ALTER TABLE events ENABLE TRIGGER site_items_from_events');
    }
    expect((await hub.pool.query('SELECT 1 FROM site_items WHERE item_id = $1', [old.itemId])).rowCount).toBe(0);
    await hub.pool.query(backfill);
    expect((await hub.pool.query('SELECT station_id, operator_id, price_jpy, reason, received_at IS NOT NULL AS received FROM site_items WHERE item_id = $1', [old.itemId])).rows).toEqual([
      { station_id: 'BENCH-A', operator_id: 'op-old', price_jpy: '1005', reason: 'size', received: true },
    ]);
    // Twice is harmless.
    await hub.pool.query(backfill);
  });
});

describe('site report (reports.summary at the hub)', () => {
  it('sums every bench, with bench and shift breakdowns and the bench / operator filters', async () => {
    const lead = await Tab.signedIn('L-1', '4321');
    const all = await lead.call<ReportSummary>('reports.summary', { from: '2026-03-02', to: '2026-03-03' });
    expect(all.body.ok).toBe(true);
    const s = all.value;
    expect(s.totals.items).toBe(4);
    expect(s.benches).toEqual([
      { stationId: 'BENCH-A', items: 2, recoveryJpy: expect.any(Number) },
      { stationId: 'BENCH-B', items: 2, recoveryJpy: expect.any(Number) },
    ]);
    expect(Object.fromEntries((s.shifts ?? []).map((x) => [x.shift, x.items]))).toEqual({ early: 2, night: 2 });
    // The overridden item counts as repair (factor 0.4 of 1002), the resale B at 0.5 of 1003.
    expect(s.dispositions.find((d) => d.disposition === 'repair')).toMatchObject({ items: 1, recoveryJpy: 401 });
    expect(s.dispositions.find((d) => d.disposition === 'resale')).toMatchObject({ items: 1, recoveryJpy: 502 });
    expect(s.blindReturns).toEqual({ parcels: 1, items: 1 });
    expect(s.cycleTime).toEqual({ items: 4, medianSec: 90, p90Sec: 90 });
    expect(s.flags).toEqual([{ flag: 'high_value', items: 1, outcomes: [{ outcome: 'overridden', items: 1 }] }]);

    const benchB = await lead.call<ReportSummary>('reports.summary', { from: '2026-03-02', to: '2026-03-03', stationId: 'BENCH-B' });
    expect(benchB.value.totals.items).toBe(2);
    const opA = await lead.call<ReportSummary>('reports.summary', { from: '2026-03-02', to: '2026-03-03', operatorId: 'op-a', shift: 'early' });
    expect(opA.value.totals.items).toBe(2);
    expect(opA.value.throughput.operators.map((o) => o.operatorId)).toEqual(['op-a']);
  });

  it('refuses a ten-year range with its own message key and runs nothing', async () => {
    const lead = await Tab.signedIn('L-1', '4321');
    const r = await lead.call('reports.summary', { from: '2016-03-01', to: '2026-03-01' });
    expect(r.body.ok).toBe(false);
    if (!r.body.ok) expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', messageKey: 'error.site.reportRangeTooLong', params: { maxDays: 366 } });
    const sup = await Tab.signedIn('SUP-1', '1111');
    const d = await sup.download({ format: 'csv', filters: JSON.stringify({ from: '2016-03-01', to: '2026-03-01' }) });
    expect(d.status).toBe(400);
    expect(((await d.json()) as { error: { messageKey: string } }).error.messageKey).toBe('error.site.reportRangeTooLong');
  });

  it('a start after the end is refused with its own message key (as at a bench), for the report and the export', async () => {
    const lead = await Tab.signedIn('L-1', '4321');
    const r = await lead.call('reports.summary', { from: '2026-03-10', to: '2026-03-01' });
    expect(r.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.dateRange' } });
    const sup = await Tab.signedIn('SUP-1', '1111');
    const d = await sup.download({ format: 'csv', filters: JSON.stringify({ from: '2026-03-10', to: '2026-03-01' }) });
    expect(d.status).toBe(400);
    expect(((await d.json()) as { error: { messageKey: string } }).error.messageKey).toBe('error.dateRange');
    // Other refusals still name the field.
    expect((await lead.call('reports.summary', { from: '2026-02-30' })).body).toMatchObject({ ok: false, error: { messageKey: 'error.invalidInput', params: { field: 'from' } } });
  });
});

describe('site export (streamed from a cursor)', () => {
  const N = 2500;
  beforeAll(async () => {
    const events: WmsEvent[] = [];
    for (let i = 0; i < N; i++) {
      const at = new Date(Date.parse('2026-04-01T00:00:00.000Z') + i * 1000).toISOString();
      events.push(...parcelWithItem({ stationId: i % 2 ? 'BENCH-A' : 'BENCH-B', operatorId: i % 3 ? 'op-a' : 'op-b', gradedAt: at, rma: i % 5, flags: i === 7 ? ['=cmd'] : [] }).events);
    }
    await deliver(b1, events.filter((e) => (e.payload as { stationId: string }).stationId === 'BENCH-A'));
    await deliver(b2, events.filter((e) => (e.payload as { stationId: string }).stationId === 'BENCH-B'));
  }, 120_000);

  it('CSV: UTF-8 with BOM, a header and every item of the range, formula-looking text defused; supervisors only', async () => {
    const sup = await Tab.signedIn('SUP-1', '1111');
    const res = await sup.download({ format: 'csv', filters: JSON.stringify({ from: '2026-04-01', to: '2026-04-01' }), language: 'en' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="site-SITE-REP-\d{8}-\d{4}\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^LPN,Graded at \(Asia\/Tokyo\),Received at \(Asia\/Tokyo\),.*,Bench,Shift,Operator ID,Operator,/);
    expect(lines).toHaveLength(N + 1);
    // 2026-04-01T00:00:00Z is 09:00 JST (early shift); bench B's first item.
    expect(lines[1]).toMatch(/^LPN-[0-9a-f]{8},2026-04-01 09:00:00,2026-04-01 08:58:30,90,BENCH-B,Early,op-b,,RMA-000000,0,/);
    // Item 7's flags (with the site's own flags on it: its serial and RMA come back in this data) start with the guarded text.
    expect(lines.some((l) => /,"?'=cmd[, ]/.test(l))).toBe(true);
    expect(lines.some((l) => /,"?=cmd/.test(l))).toBe(false);

    const ja = await sup.download({ format: 'csv', filters: JSON.stringify({ from: '2026-04-01', to: '2026-04-01', stationId: 'BENCH-A' }) });
    const jaLines = (await ja.text()).split('\r\n').filter(Boolean);
    expect(jaLines[0]).toMatch(/^LPN,判定日時/);
    expect(jaLines).toHaveLength(N / 2 + 1);

    const lead = await Tab.signedIn('L-1', '4321');
    expect((await lead.download({ format: 'csv' })).status).toBe(403);
    expect((await new Tab().download({ format: 'csv' })).status).toBe(401);
    expect((await sup.download({ format: 'pdf' })).status).toBe(400);
  });

  it('XLSX: a streamed workbook with every item', async () => {
    const sup = await Tab.signedIn('SUP-1', '1111');
    const res = await sup.download({ format: 'xlsx', filters: JSON.stringify({ from: '2026-04-01', to: '2026-04-01' }), language: 'ja' });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.getWorksheet('明細');
    expect(sheet?.rowCount).toBe(N + 1);
    expect(sheet?.getRow(1).getCell(5).value).toBe('ステーション');
    expect(sheet?.getRow(2).getCell(5).value).toBe('BENCH-B');
    // Date-times are date cells in site time (as the bench's XLSX writes them), figures numbers.
    const graded = sheet?.getRow(2).getCell(2);
    expect(graded?.value).toEqual(new Date('2026-04-01T09:00:00.000Z'));
    expect(graded?.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet?.getRow(2).getCell(3).value).toEqual(new Date('2026-04-01T08:58:30.000Z'));
    expect(typeof sheet?.getRow(2).getCell(4).value).toBe('number');
  });
});

describe('live site dashboard', () => {
  it('pushes dashboard.changed over the hub UI socket when a bench grades, and the figures move', async () => {
    const lead = await Tab.signedIn('L-1', '4321');
    const before = await lead.call<DashboardShift>('dashboard.shift');
    expect(before.body.ok).toBe(true);
    expect(before.value.site).toMatchObject({ benchesTotal: 2 });

    const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/api/events?session=${lead.session}`);
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    // The first push after connecting may be the feed's own start-up refresh; wait for quiet, then grade.
    await new Promise((r) => setTimeout(r, 700));
    const pushed = new Promise<{ event: string; payload: { at: string } }>((res) => ws.on('message', (data) => res(JSON.parse(String(data)))));
    await deliver(b1, parcelWithItem({ stationId: 'BENCH-A', operatorId: 'op-a', gradedAt: new Date().toISOString(), rma: 1, grade: 'C', disposition: 'resale', held: true }).events);
    const msg = await pushed;
    // Speed is the benchmarks' business (no timed unit tests): here, that the push comes at all.
    expect(msg.event).toBe('dashboard.changed');
    ws.close();

    const after = await lead.call<DashboardShift>('dashboard.shift');
    expect(after.value.totals.items).toBe(before.value.totals.items + 1);
    expect(after.value.site?.grades.find((g) => g.grade === 'C')?.items).toBe((before.value.site?.grades.find((g) => g.grade === 'C')?.items ?? 0) + 1);
    expect(after.value.site?.benchHours.some((h) => h.stationId === 'BENCH-A' && h.items >= 1)).toBe(true);
    expect(after.value.queues.reviewPending).toBe(before.value.queues.reviewPending + 1);
    expect(after.value.site?.reviewOldestMinutes).not.toBeNull();
    expect(after.value.site?.benchesOnline).toBe(2);
  });
});

describe('benches at a glance', () => {
  it('keeps what each bench reports of itself; a bench reports only as itself', async () => {
    const report = {
      stationId: 'BENCH-A',
      outboxPending: 7,
      oldestPendingAt: '2026-03-02T01:00:00.000Z',
      deadLetters: 1,
      deviceFaults: [{ kind: 'printer', label: 'ZD421', state: 'error' }],
      operator: { id: 'op-a', name: 'Aoki' },
      ruleSetVersion: 3,
      appVersion: '0.1.0',
    };
    expect((await post(SITE_REPORT_PATHS.benchStatus, b1.token, report)).status).toBe(200);
    expect((await post(SITE_REPORT_PATHS.benchStatus, b2.token, report)).status).toBe(403);
    expect((await post(SITE_REPORT_PATHS.benchStatus, b1.token, { ...report, outboxPending: -1 })).status).toBe(400);

    const lead = await Tab.signedIn('L-1', '4321');
    const list = await lead.call<BenchesGlance>('benches.list');
    expect(list.body.ok).toBe(true);
    expect(list.value.benches).toEqual([
      expect.objectContaining({ stationId: 'BENCH-A', online: true, outboxPending: 7, deadLetters: 1, operatorName: 'Aoki', ruleSetVersion: 3, deviceFaults: report.deviceFaults }),
      expect.objectContaining({ stationId: 'BENCH-B', online: true, outboxPending: null, reportedAt: null, operatorName: null }),
    ]);
  });
});

describe("a bench's own v3 and the site's v3 at the hub (migration 0014)", () => {
  const apparelA = (destination: string, en: string): RoutingRuleInput => ({
    id: 'apparel-a',
    when: { categories: ['apparel'], grades: ['A'] },
    then: { disposition: 'resale', destination },
    explain: { en, ja: en },
  });
  const benchV3 = RuleSet.parse({ version: 3, rules: [apparelA('OUTLET', 'Bench rule: to the outlet.'), ...defaultRuleSet.rules] });
  const siteRules = [apparelA('SECONDARY', 'Site rule: to the secondary market.'), ...defaultRuleSet.rules];

  /** A held item of rule apparel-a v3 as a bench sends it, with the origin it says (none: an older bench). */
  function gradedBy(bench: string, origin: RuleSetOrigin | undefined, minute: number): { itemId: string; events: WmsEvent[] } {
    const p = parcelWithItem({ stationId: bench, operatorId: 'op-a', gradedAt: `2026-05-01T00:0${minute}:00.000Z`, rma: 2, held: true });
    const graded = p.events[1]!.payload as Record<string, unknown>;
    graded.ruleId = 'apparel-a';
    graded.ruleSetVersion = 3;
    if (origin) graded.ruleSetOrigin = origin;
    return p;
  }

  it('review detail explains each by its own rules and the export says whose; an older bench’s item keeps its version alone', async () => {
    const sup = await Tab.signedIn('SUP-1', '1111');
    const published = await sup.call<RuleSet>('rules.publish', { rules: siteRules, note: 'site v3' });
    expect(published.value.version).toBe(3);
    const siteSha = ruleSetSha256(published.value);
    expect(siteSha).not.toBe(ruleSetSha256(benchV3));

    const byBench = gradedBy('BENCH-A', { source: 'bench', sourceId: 'BENCH-A', sha256: ruleSetSha256(benchV3) }, 1);
    // A bench that pulled the site's rules from a hub that did not name its site: the hub's own site.
    const bySite = gradedBy('BENCH-B', { source: 'site', sha256: siteSha }, 2);
    const older = gradedBy('BENCH-A', undefined, 3);
    await deliver(b1, [...byBench.events, ...older.events]);
    await deliver(b2, bySite.events);

    const lead = await Tab.signedIn('L-1', '4321');
    const detail = async (itemId: string) => (await lead.call<ReviewDetailResult>('review.get', { itemId })).value;
    const bench = await detail(byBench.itemId);
    expect(bench).toMatchObject({ ruleId: 'apparel-a', ruleSetVersion: 3, ruleSetOrigin: { source: 'bench', sourceId: 'BENCH-A' } });
    // The hub does not hold bench A's own v3: it names no rule rather than the site's apparel-a.
    expect(bench.rule).toBeUndefined();
    const site = await detail(bySite.itemId);
    expect(site).toMatchObject({ ruleId: 'apparel-a', ruleSetVersion: 3, ruleSetOrigin: { source: 'site', sourceId: 'SITE-REP', sha256: siteSha } });
    expect(site.rule?.explain.en).toBe('Site rule: to the secondary market.');
    const old = await detail(older.itemId);
    expect(old.ruleSetOrigin).toBeUndefined();
    expect(old.rule?.explain.en).toBe('Site rule: to the secondary market.');

    const csv = async (language: string) =>
      parse(await (await sup.download({ format: 'csv', filters: JSON.stringify({ from: '2026-05-01', to: '2026-05-01' }), language })).text(), {
        bom: true,
        columns: true,
      }) as Record<string, string>[];
    const en = await csv('en');
    expect(en.map((r) => [r['Bench'], r['Rule set'], r['Rule set version'], r['Rule set source code'], r['Rule set bench or site ID'], r['Rule set SHA-256']])).toEqual([
      ['BENCH-A', 'bench BENCH-A v3', '3', 'bench', 'BENCH-A', ruleSetSha256(benchV3)],
      ['BENCH-B', 'site v3', '3', 'site', 'SITE-REP', siteSha],
      ['BENCH-A', 'v3', '3', '', '', ''],
    ]);
    expect((await csv('ja')).map((r) => r['ルールセット'])).toEqual(['作業台 BENCH-A v3', 'サイト v3', 'v3']);
    const rows = await hub.pool.query<{ rule_set_source: string | null; rule_set_source_id: string | null }>(
      'SELECT rule_set_source, rule_set_source_id FROM site_items WHERE site_id = $1 AND item_id = ANY($2) ORDER BY graded_at',
      [hub.siteId, [byBench.itemId, bySite.itemId, older.itemId]],
    );
    expect(rows.rows).toEqual([
      { rule_set_source: 'bench', rule_set_source_id: 'BENCH-A' },
      { rule_set_source: 'site', rule_set_source_id: 'SITE-REP' },
      { rule_set_source: null, rule_set_source_id: null },
    ]);
  });
});
