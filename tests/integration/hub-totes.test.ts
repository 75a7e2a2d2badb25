// Issue 17 through the site hub, three tiers for real: a bench station (launcher, SQLite, its own sync engine) set to
// deliver through the hub (embedded PostgreSQL), which pulls inbound manifests from the demo WMS and relays to it.
// Before the hub served manifests, it answered 404, which the bench reads as "none": no tote could be worked there.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToteBagScan, ToteView } from '../../contract/index.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { demoTotes } from '../../fixtures/demo-data/manifests.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';
import { startDemoApp, type RunningDemoApp } from '../../app/demo.js';

const data = generateDemoData({ seed: 42, rmas: 200, now: '2026-11-01T00:00:00.000Z' });
const totes = demoTotes(data);
const staff = data.operators.find((o) => o.role === 'staff')!;
let dir: string;
let wms: DemoWms;
let hub: Hub;
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
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-totes-'));
  // As root the embedded PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(dir, 0o755);
  wms = await startDemoWms({
    dbFile: join(dir, 'wms.sqlite'),
    token: 'wms-token-hub-totes',
    seed: { products: data.products, rmas: data.rmas, manifests: totes.map((t) => t.manifest) },
  });
  hub = await startHub({
    siteId: 'SITE-TOTES',
    dataDir: join(dir, 'hub'),
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    log: () => undefined,
  });
  await hub.reference.pullNow();
  const { code } = (await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-H1' })) as { code: string };
  const cred = (await postJson(hub.url + HUB_PATHS.enrol, null, { code })) as BenchCredential;
  printer = await startTcpPrinterSim({ mode: 'zpl' });
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

describe('a tote at a bench behind the site hub', () => {
  it('pulls the manifest through the hub, receives and reconciles the tote, and its events reach the WMS once', async () => {
    expect(app.demoWms).toBeNull();
    // The first tote is short one bag and holds a stray from another tote.
    const tote = totes[0]!;
    expect(tote.short).toHaveLength(1);
    expect(tote.strays).toHaveLength(1);
    const { toteId } = tote.manifest;
    await app.station.syncNow();

    const opened = await ok<ToteView>(app.station.handle('op', 'tote.open', { code: toteId }));
    expect(opened).toMatchObject({ toteId, status: 'open', expectedCount: tote.manifest.bags.length, originName: tote.manifest.originName });
    for (const bag of tote.arrives) {
      const scan = await ok<ToteBagScan>(app.station.handle('op', 'tote.scanBag', { toteId, code: bag }));
      expect(scan.parcel).not.toBeNull();
      expect(scan.bag.state).toBe(tote.strays.includes(bag) ? 'stray' : 'received');
    }
    const closed = await ok<ToteView>(app.station.handle('op', 'tote.close', { toteId, confirmMissing: true }));
    expect(closed).toMatchObject({ status: 'closed', receivedCount: tote.manifest.bags.length - 1, missingCount: 1, strayCount: 1, unmanifestedCount: 0 });

    await app.station.syncNow();
    await hub.relay.drain();
    // A second round finds nothing more to send.
    await app.station.syncNow();
    await hub.relay.drain();
    expect(await ok<{ pending: number; deadLetters: number }>(app.station.handle('op', 'sync.status', {}))).toMatchObject({ pending: 0, deadLetters: 0 });

    const toteEvents = wms.db.prepare("SELECT aggregate_id AS a, sequence, type, station_id AS s, payload FROM events WHERE aggregate_type = 'tote' ORDER BY seq").all() as {
      a: string;
      sequence: number;
      type: string;
      s: string;
      payload: string;
    }[];
    expect(toteEvents.map((e) => [e.a, e.sequence, e.type, e.s])).toEqual([
      [`${toteId}@BENCH-H1`, 1, 'tote.opened', 'BENCH-H1'],
      [`${toteId}@BENCH-H1`, 2, 'tote.closed', 'BENCH-H1'],
    ]);
    const reconciled = JSON.parse(toteEvents[1]!.payload) as { missing: { bagCode: string }[]; strays: { bagCode: string }[]; received: { bagCode: string }[] };
    expect(reconciled.missing.map((b) => b.bagCode)).toEqual(tote.short);
    expect(reconciled.strays.map((b) => b.bagCode)).toEqual(tote.strays);
    expect(reconciled.received.map((b) => b.bagCode).sort()).toEqual(tote.arrives.filter((b) => !tote.strays.includes(b)).sort());
    // Every event the bench made (the bags' returns too) was applied once, none refused.
    const accepted = await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(wms.stats()).toMatchObject({ applied: accepted.rows[0]!.n, distinctKeys: accepted.rows[0]!.n, duplicated: 0, outOfOrder: 0 });
    expect(wms.stats().receipts.rejected ?? 0).toBe(0);
  });
});
