// Snapshot bootstrap: a fresh bench database loads the hub's NDJSON snapshot of the site's reference copy
// through core/sync/snapshot.ts, sets its cursors from the snapshot's trailer, and its ordinary cursor pull
// (core/sync/pull.ts, through the hub) then fetches only what changed since. A bench station started behind
// the hub with no reference data does this by itself before its first pull.
import { existsSync, readFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApp } from '../../app/demo.js';
import { pullReferenceData } from '../../core/sync/pull.js';
import { createSnapshotSource, loadSnapshot } from '../../core/sync/snapshot.js';
import { createWmsClient, WmsError } from '../../core/sync/wmsClient.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { getLocalRma } from '../../db/repositories/referenceData.js';
import { getCursor } from '../../db/repositories/syncCursors.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { referenceSnapshot } from '../../hub/reference.js';
import { startHub, type Hub } from '../../hub/server.js';
import { makeProducts, makeRmas } from './sync-helpers.js';

const RMAS = 3000;
let dir: string;
let wms: DemoWms;
let hub: Hub;
let bench: BenchCredential;
let db: Db;

async function postJson(url: string, token: string | null, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-snapshot-'));
  chmodSync(dir, 0o755);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-snapshot', seed: { products: makeProducts(50), rmas: makeRmas(RMAS) } });
  hub = await startHub({ siteId: 'SITE-S', dataDir: join(dir, 'hub'), wms: { url: wms.url, token: wms.token, timeoutMs: 5000 }, reference: { intervalMs: 3_600_000 }, log: () => undefined });
  await hub.reference.pullNow();
  const { code } = (await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-NEW' })) as { code: string };
  bench = (await postJson(hub.url + HUB_PATHS.enrol, null, { code })) as BenchCredential;
  db = openDatabase(join(dir, 'bench.sqlite'));
}, 120_000);

afterAll(async () => {
  db?.close();
  await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('snapshot bootstrap from the site hub', () => {
  it('is refused without a bench credential, and for an unknown resource', async () => {
    expect((await fetch(hub.url + HUB_PATHS.snapshot.replace(':resource', 'rmas'))).status).toBe(401);
    expect((await fetch(hub.url + HUB_PATHS.snapshot.replace(':resource', 'parcels'), { headers: { authorization: `Bearer ${bench.token}` } })).status).toBe(400);
  });

  it('loads the whole site copy into a fresh bench, which then pulls only the delta by cursor', async () => {
    // The stream itself (the prepared file, tried first otherwise, has its own tests: hub-snapshot-file.test.ts).
    const loaded = await loadSnapshot(db, createSnapshotSource({ baseUrl: hub.url, token: bench.token }), { file: false });
    expect(loaded).toMatchObject({ products: 50, rmas: RMAS, via: 'stream' });
    console.log(`snapshot bootstrap: ${RMAS} RMAs loaded into a fresh bench in ${loaded?.ms ?? NaN} ms`);
    expect(getLocalRma(db, 'RMA-000000')?.rmaNumber).toBe('RMA-000000');
    expect(getCursor(db, 'rmas')).toEqual({ updatedSince: '2025-01-01T00:00:00.000Z', afterId: `RMA-${String(RMAS - 1).padStart(6, '0')}` });

    // The WMS changes one RMA and adds two; the hub pulls them into the site copy.
    const [changed] = makeRmas(1, '2025-02-01T00:00:00.000Z');
    wms.upsertRma({ ...changed!, customerName: 'changed after the snapshot' });
    for (const r of makeRmas(RMAS + 2, '2025-02-02T00:00:00.000Z').slice(RMAS)) wms.upsertRma(r);
    await hub.reference.pullNow();

    // The bench's ordinary pull, through the hub, from the cursors the snapshot left.
    const client = createWmsClient({ baseUrl: hub.url, token: bench.token, timeoutMs: 5000 });
    const report = await pullReferenceData(db, client);
    expect(report).toMatchObject({ products: 0, rmas: 3 });
    expect(getLocalRma(db, 'RMA-000000')?.customerName).toBe('changed after the snapshot');
    expect(getLocalRma(db, `RMA-${String(RMAS + 1).padStart(6, '0')}`)).toBeDefined();
    expect((db.prepare('SELECT count(*) AS n FROM rmas').get() as { n: number }).n).toBe(RMAS + 2);
  }, 60_000);

  it('streams the site copy in cursor order across many reads of its cursor, ending with the trailer', async () => {
    const lines: string[] = [];
    for await (const piece of referenceSnapshot(hub.pool, 'SITE-S', 'rmas', 700)) lines.push(...piece.split('\n').filter(Boolean));
    const trailer = JSON.parse(lines.pop()!) as { end: boolean; rows: number; cursor: { afterId: string } };
    const rows = lines.map((l) => JSON.parse(l) as { rmaNumber: string; updatedAt: string });
    expect(trailer).toMatchObject({ end: true, rows: rows.length });
    expect(rows.length).toBeGreaterThanOrEqual(RMAS);
    expect(new Set(rows.map((r) => r.rmaNumber)).size).toBe(rows.length);
    const keys = rows.map((r) => `${r.updatedAt} ${r.rmaNumber}`);
    expect(keys).toEqual([...keys].sort());
    expect(trailer.cursor.afterId).toBe(rows.at(-1)!.rmaNumber);
  });

  it('refuses a wrong credential as an auth failure, and a WMS without snapshots is no snapshot', async () => {
    const refused = await loadSnapshot(db, createSnapshotSource({ baseUrl: hub.url, token: 'not-a-bench-credential-at-all' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WmsError);
    expect((refused as WmsError).kind).toBe('auth');
    expect(await loadSnapshot(db, createSnapshotSource({ baseUrl: wms.url, token: wms.token }))).toBeNull();
  });

  it('is loaded by a new bench station behind the hub before its first pull, and not again once it has cursors', async () => {
    const { code } = (await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-BOOT' })) as { code: string };
    const cred = (await postJson(hub.url + HUB_PATHS.enrol, null, { code })) as BenchCredential;
    const dataDir = join(dir, 'bench-boot');
    const env = { RS_HUB_URL: hub.url, RS_HUB_TOKEN: cred.token, RS_STATION_ID: 'BENCH-BOOT' };
    const snapshotLines = (): number => {
      const file = join(dataDir, 'logs', 'station.log');
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.includes("loaded from the hub's snapshot")).length : 0;
    };
    let app = await startDemoApp({ dataDir, env, log: () => undefined });
    await app.close();
    expect(snapshotLines()).toBe(1);
    const station = openDatabase(join(dataDir, 'station.sqlite'));
    try {
      expect((station.prepare('SELECT count(*) AS n FROM rmas').get() as { n: number }).n).toBe(RMAS + 2);
      expect(getCursor(station, 'rmas')?.afterId).toBe(`RMA-${String(RMAS + 1).padStart(6, '0')}`);
    } finally {
      station.close();
    }
    // A bench that has its reference data follows by cursor: no second snapshot.
    app = await startDemoApp({ dataDir, env, log: () => undefined });
    await app.close();
    expect(snapshotLines()).toBe(1);
  }, 60_000);
});
