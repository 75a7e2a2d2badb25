// Issue 17, a tote worked across two benches of one site: two real stations (launcher, SQLite, their own sync
// engines) behind one embedded hub. Each bench reconciles the tote against what the whole site had received
// when it closed: the hub answers from the benches' delivered tote.closed events.
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
const benches: { app: RunningDemoApp; printer: TcpPrinterSim }[] = [];

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

async function startBench(stationId: string, hubUrl: string): Promise<RunningDemoApp> {
  const { code } = (await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId })) as { code: string };
  const cred = (await postJson(hub.url + HUB_PATHS.enrol, null, { code })) as BenchCredential;
  const printer = await startTcpPrinterSim({ mode: 'zpl' });
  const app = await startDemoApp({
    dataDir: join(dir, stationId),
    env: { RS_HUB_URL: hubUrl, RS_HUB_TOKEN: cred.token, RS_STATION_ID: stationId },
    printer: { transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zpl', timeoutMs: 2000 },
    log: () => undefined,
  });
  benches.push({ app, printer });
  await ok(app.station.handle('op', 'session.signIn', { badge: staff.badge, pin: staff.pin }));
  await app.station.syncNow();
  return app;
}

async function receive(app: RunningDemoApp, toteId: string, bags: readonly string[]): Promise<void> {
  await ok<ToteView>(app.station.handle('op', 'tote.open', { code: toteId }));
  for (const bag of bags) {
    const scan = await ok<ToteBagScan>(app.station.handle('op', 'tote.scanBag', { toteId, code: bag }));
    expect(scan.bag.state).toBe('received');
  }
}

const missingFlags = (tote: ToteView): string[] =>
  tote.flags
    .filter((f) => f.code === 'tote_bag_missing')
    .map((f) => f.bagCode)
    .sort();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-totes-site-'));
  // As root the embedded PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(dir, 0o755);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-hub-totes-site', seed: { products: data.products, rmas: data.rmas, manifests: totes.map((t) => t.manifest) } });
  hub = await startHub({
    siteId: 'SITE-TOTES-2',
    dataDir: join(dir, 'hub'),
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    log: () => undefined,
  });
  await hub.reference.pullNow();
}, 180_000);

afterAll(async () => {
  for (const b of benches) {
    await b.app.close();
    await b.printer.close();
  }
  await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a tote worked at two benches of one site', () => {
  it('the second bench to close flags none of the bags the first received; the first flags what neither had when it closed', async () => {
    const a = await startBench('BENCH-A', hub.url);
    const b = await startBench('BENCH-B', hub.url);
    const { toteId, bags: manifestBags } = totes[0]!.manifest;
    const bags = manifestBags.map((x) => x.bagCode);
    expect(bags).toHaveLength(5);
    const atA = bags.slice(0, 3);
    const atB = bags.slice(3);

    await receive(a, toteId, atA);
    await receive(b, toteId, atB);
    // A closes first: B has not closed, so the hub knows nothing of B's bags and A flags them.
    const closedA = await ok<ToteView>(a.station.handle('op', 'tote.close', { toteId, confirmMissing: true }));
    expect(closedA).toMatchObject({ status: 'closed', siteCheck: 'site', receivedCount: 3, missingCount: 2 });
    expect(missingFlags(closedA)).toEqual([...atB].sort());
    await a.station.syncNow();

    const closedB = await ok<ToteView>(b.station.handle('op', 'tote.close', { toteId, confirmMissing: true }));
    expect(closedB).toMatchObject({ status: 'closed', siteCheck: 'site', receivedCount: 5, missingCount: 0 });
    expect(closedB.flags).toEqual([]);
    expect(missingFlags(closedB)).toEqual([]);
    expect(closedB.bags.filter((x) => x.receivedAtStation === 'BENCH-A').map((x) => x.bagCode).sort()).toEqual([...atA].sort());
    expect(closedB.bags.filter((x) => atB.includes(x.bagCode)).every((x) => x.receivedAtStation === null && x.state === 'received')).toBe(true);

    // B's tote.closed tells the WMS which bags were received at A, and lists only its own as received.
    await b.station.syncNow();
    await hub.relay.drain();
    const closedEvents = wms.db.prepare("SELECT station_id AS s, payload FROM events WHERE type = 'tote.closed' ORDER BY seq").all() as { s: string; payload: string }[];
    const ofB = closedEvents.find((e) => e.s === 'BENCH-B');
    const payload = JSON.parse(ofB!.payload) as { received: { bagCode: string }[]; missing: unknown[]; receivedElsewhere: { bagCode: string; stationId: string }[] };
    expect(payload.missing).toEqual([]);
    expect(payload.received.map((x) => x.bagCode).sort()).toEqual([...atB].sort());
    expect(payload.receivedElsewhere.map((x) => x.bagCode).sort()).toEqual([...atA].sort());
  });

});
