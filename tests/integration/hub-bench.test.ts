// Three tiers for real: a bench station (launcher, SQLite, its own sync engine and WMS client) set to
// deliver through the site hub (embedded PostgreSQL), which relays to the demo WMS. The hub is stopped
// and started again in the middle, with events in its outbox and more waiting at the bench.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { startHub, type Hub, type HubOptions } from '../../hub/server.js';
import { readLaunchEnv } from '../../app/env.js';
import { startDemoApp, type RunningDemoApp } from '../../app/demo.js';

const data = generateDemoData({ seed: 42, rmas: 40 });
const staff = data.operators.find((o) => o.role === 'staff')!;
let dir: string;
let wms: DemoWms;
let hub: Hub;
let hubOptions: HubOptions;
let app: RunningDemoApp;
let printer: TcpPrinterSim;

async function ok<T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

async function postJson(url: string, token: string | null, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-bench-'));
  // As root the embedded PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(dir, 0o755);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-three-tiers', seed: { products: data.products, rmas: data.rmas } });
  hubOptions = {
    siteId: 'SITE-IT',
    dataDir: join(dir, 'hub'),
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    log: () => undefined,
  };
  hub = await startHub(hubOptions);
  hubOptions = { ...hubOptions, port: hub.port, adminToken: hub.adminToken };
  await hub.reference.pullNow();
  const { code } = (await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-H1' })) as { code: string };
  const cred = (await postJson(hub.url + HUB_PATHS.enrol, null, { code })) as BenchCredential;
  printer = await startTcpPrinterSim({ mode: 'zpl' });
  // Demo mode only for its operators: the hub settings win over the demo WMS, and the printer is given.
  app = await startDemoApp({
    dataDir: join(dir, 'bench'),
    env: { RS_HUB_URL: hub.url, RS_HUB_TOKEN: cred.token, RS_STATION_ID: 'BENCH-H1' },
    printer: { transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zpl', timeoutMs: 2000 },
    log: () => undefined,
  });
  await ok(app.station.handle('op', 'session.signIn', { badge: staff.badge, pin: staff.pin }));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await printer?.close();
  await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One return as an operator does it: scan the parcel, scan the item, grade it. */
async function gradeReturn(i: number): Promise<string> {
  const rma = data.rmas[i]!;
  const line = rma.lines[0]!;
  const product = data.products.find((p) => p.sku === line.sku)!;
  const parcel = await ok<{ parcelId: string }>(app.station.handle('op', 'parcel.open', { code: rma.trackingNumber }));
  const match = await ok<{ line: { lineId: string } }>(app.station.handle('op', 'parcel.matchItem', { parcelId: parcel.parcelId, code: product.gtin.slice(1) }));
  await ok(app.station.handle('op', 'item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'A' }));
  return parcel.parcelId;
}

describe('bench settings for a site hub', () => {
  it('needs the bench credential with RS_HUB_URL, and refuses a hub and a WMS at once', () => {
    expect(() => readLaunchEnv({ RS_HUB_URL: 'http://127.0.0.1:8090' })).toThrow(/RS_HUB_TOKEN is not/);
    expect(() => readLaunchEnv({ RS_HUB_URL: 'http://127.0.0.1:8090', RS_HUB_TOKEN: 'rsb_0123456789abcdef', RS_WMS_URL: 'http://127.0.0.1:8088', RS_WMS_TOKEN: 'wms-token-1' })).toThrow(/not both/);
    expect(readLaunchEnv({ RS_HUB_URL: 'http://127.0.0.1:8090', RS_HUB_TOKEN: 'rsb_0123456789abcdef' })).toMatchObject({ RS_HUB_URL: 'http://127.0.0.1:8090' });
  });
});

describe('bench → site hub → WMS', () => {
  it('pulls reference data through the hub and says it is not the demo WMS', async () => {
    expect(app.demoWms).toBeNull();
    const status = await ok<{ online: boolean; wmsUrl: string; viaHub: boolean }>(app.station.handle('op', 'sync.status', {}));
    expect(status).toMatchObject({ online: true, wmsUrl: hub.url, viaHub: true });
  });

  it('delivers every event exactly once and in order, across a hub restart and a WMS outage', async () => {
    const parcels: string[] = [];
    for (let i = 0; i < 3; i++) parcels.push(await gradeReturn(i));
    await app.station.syncNow();
    await hub.relay.drain();
    expect(wms.stats().applied).toBe(6);

    // The WMS goes away: the hub takes the bench's events and keeps them in its outbox.
    wms.setFaults({ down: true });
    for (let i = 3; i < 5; i++) parcels.push(await gradeReturn(i));
    await app.station.syncNow();
    await hub.relay.drain();
    const held = await hub.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM relay_outbox WHERE state = 'pending'");
    expect(held.rows[0]!.n).toBe(4);

    // The hub stops with those events in its outbox; the bench keeps grading and keeps its own.
    await hub.close();
    for (let i = 5; i < 7; i++) parcels.push(await gradeReturn(i));
    await app.station.syncNow();
    const waiting = await ok<{ pending: number; online: boolean }>(app.station.handle('op', 'sync.status', {}));
    expect(waiting).toMatchObject({ online: false, pending: 4 });

    // Same port, same data directory: the hub comes back, then the WMS.
    hub = await startHub(hubOptions);
    await app.station.syncNow();
    // The bench is online again although the WMS is not: the hub takes its events and serves its pulls.
    expect(await ok<{ pending: number; online: boolean }>(app.station.handle('op', 'sync.status', {}))).toMatchObject({ pending: 0, online: true });
    wms.setFaults({ down: false });
    await hub.relay.drain();
    await app.station.syncNow();

    const after = await ok<{ pending: number; deadLetters: number; online: boolean }>(app.station.handle('op', 'sync.status', {}));
    expect(after).toMatchObject({ pending: 0, deadLetters: 0, online: true });
    const accepted = await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(accepted.rows[0]!.n).toBe(14);
    expect(wms.stats()).toMatchObject({ applied: 14, distinctKeys: 14, duplicated: 0, outOfOrder: 0 });
    for (const parcelId of parcels) {
      const rows = wms.db.prepare("SELECT type, station_id AS station FROM events WHERE json_extract(payload, '$.parcelId') = ? ORDER BY seq").all(parcelId) as { type: string; station: string }[];
      expect(rows.map((r) => r.type).sort()).toEqual(['item.graded', 'parcel.received']);
      expect(rows.every((r) => r.station === 'BENCH-H1')).toBe(true);
    }
    // Every aggregate's events arrived as 1, 2, 3… with nothing skipped or repeated.
    const seqs = wms.db.prepare('SELECT aggregate_type || aggregate_id AS agg, sequence FROM events ORDER BY seq').all() as { agg: string; sequence: number }[];
    const lastOf = new Map<string, number>();
    for (const r of seqs) {
      expect(r.sequence).toBe((lastOf.get(r.agg) ?? 0) + 1);
      lastOf.set(r.agg, r.sequence);
    }
  });
});
