// Snapshot bootstrap: a fresh bench database loads the hub's NDJSON snapshot of the site's reference
// copy (with the bench's own repositories), sets its cursors from the snapshot's trailer, and its
// ordinary cursor pull (core/sync/pull.ts, through the hub) then fetches only what changed since.
// The bench's sync engine does not call this loader yet: here a test stands in for that wiring.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Product, Rma } from '../../contract/index.js';
import { pullReferenceData } from '../../core/sync/pull.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { getLocalRma, upsertProducts, upsertRmas } from '../../db/repositories/referenceData.js';
import { getCursor, setCursor } from '../../db/repositories/syncCursors.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { HUB_PATHS, SnapshotTrailer, type BenchCredential } from '../../hub/protocol.js';
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

/** Streams one resource's snapshot into the bench database; refuses a stream without its trailer. */
async function loadSnapshot(resource: 'products' | 'rmas'): Promise<{ rows: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(hub.url + HUB_PATHS.snapshot.replace(':resource', resource), { headers: { authorization: `Bearer ${bench.token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
  const lines = createInterface({ input: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), crlfDelay: Infinity });
  let batch: unknown[] = [];
  let trailer: SnapshotTrailer | null = null;
  const flush = (): void => {
    const rows = batch;
    batch = [];
    if (resource === 'products') upsertProducts(db, rows.map((r) => Product.parse(r)));
    else upsertRmas(db, rows.map((r) => Rma.parse(r)));
  };
  db.exec('BEGIN');
  try {
    for await (const line of lines) {
      if (!line) continue;
      const value: unknown = JSON.parse(line);
      const end = SnapshotTrailer.safeParse(value);
      if (end.success) {
        trailer = end.data;
        break;
      }
      batch.push(value);
      if (batch.length >= 5000) flush();
    }
    if (!trailer) throw new Error('the snapshot ended without its trailer');
    flush();
    // The cursor commits with the rows: the next pull continues exactly after the snapshot.
    if (trailer.cursor) setCursor(db, resource, trailer.cursor);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return { rows: trailer.rows, ms: Date.now() - started };
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
    const products = await loadSnapshot('products');
    const rmas = await loadSnapshot('rmas');
    expect(products.rows).toBe(50);
    expect(rmas.rows).toBe(RMAS);
    console.log(`snapshot bootstrap: ${RMAS} RMAs loaded into a fresh bench in ${rmas.ms} ms`);
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
});
