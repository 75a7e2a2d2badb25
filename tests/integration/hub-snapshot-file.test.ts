// Bootstrap from the hub's prepared reference file (hub/snapshotFile*.ts → core/sync/snapshotFile*.ts): the hub
// builds a SQLite file of the site's copy in the bench's layout and serves it; a new bench downloads it, checks
// it and copies it, then follows by cursor. A file that fails any check is refused with nothing kept, and the
// NDJSON stream is loaded instead. The hub builds the file again after its reference pull brought new rows.
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HUB_SNAPSHOT_FILE_PATH,
  lineRows,
  photoRows,
  Product,
  productRow,
  Rma,
  rmaRow,
  SNAPSHOT_FILE_ERRORS,
  SNAPSHOT_FILE_HEADERS,
  type SnapshotFileMeta,
} from '../../contract/index.js';
import { pullReferenceData } from '../../core/sync/pull.js';
import { createSnapshotSource, loadSnapshot, type SnapshotSource } from '../../core/sync/snapshot.js';
import { defaultCheckers } from '../../core/sync/snapshotFile.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { bulkLoadUnfinished } from '../../db/repositories/bulkReference.js';
import { getLocalRma } from '../../db/repositories/referenceData.js';
import { LINE_COLUMNS, PHOTO_COLUMNS, PRODUCT_COLUMNS, RMA_COLUMNS } from '../../db/repositories/snapshotFile.js';
import { getCursor } from '../../db/repositories/syncCursors.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';
import { SNAPSHOT_FILE_COLUMNS } from '../../contract/snapshotFile.js';
import { makeProducts, makeRmas } from './sync-helpers.js';

const RMAS = 3000;
const sha = (n: number): string => n.toString(16).padStart(64, '0');
/** Every third RMA has a customer's declaration with photos (one hash twice), every fifth a line with the optional fields. */
function seedRmas(n: number, updatedAt?: string): Rma[] {
  return makeRmas(n, updatedAt).map((r, i) => ({
    ...r,
    ...(i % 3 === 0 ? { declaration: { condition: 'opened' as const, complete: i % 2 === 0, text: i % 6 === 0 ? '' : '箱なし', photos: [sha(i + 2), sha(i + 1), sha(i + 2)] } } : {}),
    ...(i % 5 === 0 ? { customerReturnRate: 0.25, shopReturnPolicyDays: 30, deliveredAt: '2024-12-22T00:00:00.000Z', customerId: `C-${i}` } : {}),
    lines: r.lines.map((l, k) => (i % 5 === 0 && k === 0 ? { ...l, resolution: 'refund' as const, serialNumber: `SN-${i}`, lot: `LOT-${i}` } : l)),
  }));
}

let dir: string;
let wms: DemoWms;
let hub: Hub;
let bench: BenchCredential;

async function postJson(url: string, token: string | null, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

/** The file as the hub serves it, saved under `name`. */
async function downloadTo(name: string): Promise<{ file: string; sha256: string; size: number }> {
  const res = await fetch(hub.url + HUB_SNAPSHOT_FILE_PATH, { headers: { authorization: `Bearer ${bench.token}` } });
  expect(res.status).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return { file, sha256: res.headers.get(SNAPSHOT_FILE_HEADERS.sha256)!, size: Number(res.headers.get(SNAPSHOT_FILE_HEADERS.size)) };
}

async function untilFile(test: (meta: SnapshotFileMeta) => boolean): Promise<void> {
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    const f = hub.snapshotFiles.current();
    if (f && test(f.meta)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the hub built no such file');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-snapshot-file-'));
  chmodSync(dir, 0o755);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-snapshot-file', seed: { products: makeProducts(50), rmas: seedRmas(RMAS) } });
  hub = await startHub({ siteId: 'SITE-F', dataDir: join(dir, 'hub'), wms: { url: wms.url, token: wms.token, timeoutMs: 5000 }, reference: { intervalMs: 3_600_000 }, log: () => undefined });
  await hub.reference.pullNow();
  await untilFile((m) => m.counts.rmas === RMAS);
  const { code } = (await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-FILE' })) as { code: string };
  bench = (await postJson(hub.url + HUB_PATHS.enrol, null, { code })) as BenchCredential;
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

let db: Db;
let n = 0;
beforeEach(() => {
  db = openDatabase(join(dir, `bench-${++n}`, 'station.sqlite'));
});
afterEach(() => db.close());

const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("the hub's prepared reference file", () => {
  it('is served to enrolled benches only, with its sha256 and size', async () => {
    expect((await fetch(hub.url + HUB_SNAPSHOT_FILE_PATH)).status).toBe(401);
    const got = await downloadTo('served.sqlite');
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(got.file);
    expect(got.size).toBe(bytes.length);
    expect(got.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it("holds the site's copy: every row in the bench's layout, in key order, with the meta's counts and cursors", async () => {
    const { file } = await downloadTo('rows.sqlite');
    const snap = new Database(file, { readonly: true });
    try {
      const bodies = async (resource: string): Promise<unknown[]> =>
        (await hub.pool.query<{ body: unknown }>('SELECT body FROM reference_rows WHERE site_id = $1 AND resource = $2 ORDER BY id', ['SITE-F', resource])).rows.map((r) => r.body);
      const rmas = (await bodies('rmas')).map((b) => Rma.parse(b));
      const products = (await bodies('products')).map((b) => Product.parse(b));
      const rows = (sql: string): unknown[][] => snap.prepare(sql).raw().all() as unknown[][];
      expect(rows(`SELECT ${PRODUCT_COLUMNS} FROM products ORDER BY rowid`)).toEqual(products.map(productRow));
      expect(rows(`SELECT ${RMA_COLUMNS} FROM rmas ORDER BY rowid`)).toEqual(rmas.map(rmaRow));
      expect(rows(`SELECT ${LINE_COLUMNS} FROM rma_lines ORDER BY rowid`)).toEqual(rmas.flatMap(lineRows));
      expect(rows(`SELECT ${PHOTO_COLUMNS} FROM customer_photos ORDER BY rowid`)).toEqual(rmas.flatMap(photoRows));
      expect(rmas.filter((r) => r.declaration).length).toBeGreaterThan(0);
      const meta = JSON.parse((snap.prepare("SELECT value FROM meta WHERE key = 'snapshot'").get() as { value: string }).value) as SnapshotFileMeta;
      expect(meta.counts).toEqual({ products: 50, rmas: RMAS, rmaLines: 2 * RMAS, customerPhotos: rmas.reduce((s, r) => s + photoRows(r).length, 0) });
      expect(meta.cursors.rmas).toEqual({ updatedSince: '2025-01-01T00:00:00.000Z', afterId: `RMA-${String(RMAS - 1).padStart(6, '0')}` });
    } finally {
      snap.close();
    }
  });

  it("keeps the repository's column lists equal to the contract's", () => {
    expect(PRODUCT_COLUMNS.split(', ')).toEqual(SNAPSHOT_FILE_COLUMNS.products);
    expect(RMA_COLUMNS.split(', ')).toEqual(SNAPSHOT_FILE_COLUMNS.rmas);
    expect(LINE_COLUMNS.split(', ')).toEqual(SNAPSHOT_FILE_COLUMNS.rma_lines);
    expect(PHOTO_COLUMNS.split(', ')).toEqual(SNAPSHOT_FILE_COLUMNS.customer_photos);
  });
});

describe('a new bench bootstrapping from the file', () => {
  it('loads it, then follows by cursor; the hub builds the file again after its pull brought new rows', async () => {
    const report = await loadSnapshot(db, createSnapshotSource({ baseUrl: hub.url, token: bench.token }));
    expect(report).toMatchObject({ via: 'file', products: 50, rmas: RMAS });
    expect(report?.fileRefused).toBeUndefined();
    expect(count('rmas')).toBe(RMAS);
    expect(count('rma_lines')).toBe(2 * RMAS);
    expect(count("customer_photos WHERE status = 'pending'")).toBe(hub.snapshotFiles.current()!.meta.counts.customerPhotos);
    const seeded = seedRmas(RMAS);
    expect(getLocalRma(db, 'RMA-000015')).toEqual(Rma.parse(seeded[15]));
    expect(getLocalRma(db, 'RMA-000010')).toEqual(Rma.parse(seeded[10]));
    expect(getCursor(db, 'rmas')).toEqual({ updatedSince: '2025-01-01T00:00:00.000Z', afterId: `RMA-${String(RMAS - 1).padStart(6, '0')}` });
    expect(getCursor(db, 'products')).not.toBeNull();
    expect(bulkLoadUnfinished(db)).toBe(false);
    // The deferred indexes are back: as many as a new station has.
    const indexes = (d: Db): unknown => d.prepare("SELECT group_concat(name) AS names FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('rmas', 'rma_lines') ORDER BY name)").get();
    const fresh = openDatabase(join(dir, 'fresh', 'station.sqlite'));
    expect(indexes(db)).toEqual(indexes(fresh));
    fresh.close();
    // The download is gone.
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, `bench-${n}`, 'reference-snapshot.download'))).toBe(false);

    const before = hub.snapshotFiles.current()!;
    const [changed] = seedRmas(1, '2025-02-01T00:00:00.000Z');
    wms.upsertRma({ ...changed!, customerName: 'changed after the file' });
    for (const r of seedRmas(RMAS + 2, '2025-02-02T00:00:00.000Z').slice(RMAS)) wms.upsertRma(r);
    await hub.reference.pullNow();

    const pulled = await pullReferenceData(db, createWmsClient({ baseUrl: hub.url, token: bench.token, timeoutMs: 5000 }));
    expect(pulled).toMatchObject({ products: 0, rmas: 3 });
    expect(getLocalRma(db, 'RMA-000000')?.customerName).toBe('changed after the file');
    expect(count('rmas')).toBe(RMAS + 2);

    // The pull round that brought rows set off a new build; the old file is served until it is ready.
    await untilFile((m) => m.counts.rmas === RMAS + 2);
    const after = hub.snapshotFiles.current()!;
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.meta.cursors.rmas).toEqual({ updatedSince: '2025-02-02T00:00:00.000Z', afterId: `RMA-${String(RMAS + 1).padStart(6, '0')}` });
  }, 120_000);
});

describe('a file that fails a check', () => {
  /** The hub's NDJSON stream with a file of the test's making in place of the hub's. */
  const withFile = (make: (target: string) => void): SnapshotSource => {
    const real = createSnapshotSource({ baseUrl: hub.url, token: bench.token });
    return {
      ...real,
      downloadFile: async (target) => {
        make(target);
        return { sha256: sha(0), size: 1 };
      },
    };
  };
  /** A copy of the hub's current file, changed by `alter` (SQL on the copy). */
  const altered = (alter: string) => async (): Promise<string> => {
    const { file } = await downloadTo(`altered-${++n}.sqlite`);
    const x = new Database(file);
    x.exec(alter);
    x.close();
    return file;
  };
  /** The hub's own downloader, its answer changed on the way. */
  const tampered = (change: (res: Response) => Promise<Response>): SnapshotSource =>
    createSnapshotSource({
      baseUrl: hub.url,
      token: bench.token,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        return String(url).endsWith(HUB_SNAPSHOT_FILE_PATH) ? change(res) : res;
      },
    });

  const expectStreamInstead = async (source: SnapshotSource, key: string): Promise<void> => {
    const report = await loadSnapshot(db, source);
    expect(report).toMatchObject({ via: 'stream', rmas: expect.any(Number) });
    expect(report?.fileRefused?.key, report?.fileRefused?.message).toBe(key);
    expect(count('rmas')).toBe(report!.rmas);
    expect(getCursor(db, 'rmas')).not.toBeNull();
    expect(bulkLoadUnfinished(db)).toBe(false);
  };

  it('with another sha256 than announced is refused and the stream is loaded instead', async () => {
    const source = tampered(async (res) => {
      const headers = new Headers(res.headers);
      headers.set(SNAPSHOT_FILE_HEADERS.sha256, sha(1));
      return new Response(res.body, { status: res.status, headers });
    });
    await expectStreamInstead(source, SNAPSHOT_FILE_ERRORS.checksum);
  }, 60_000);

  it('cut short is refused', async () => {
    const source = tampered(async (res) => {
      const bytes = new Uint8Array(await res.arrayBuffer());
      return new Response(bytes.slice(0, bytes.length - 4096), { status: res.status, headers: res.headers });
    });
    await expectStreamInstead(source, SNAPSHOT_FILE_ERRORS.checksum);
  }, 60_000);

  it('that is not SQLite is refused', async () => {
    await expectStreamInstead(withFile((t) => writeFileSync(t, 'not a database at all\n'.repeat(500))), SNAPSHOT_FILE_ERRORS.notSqlite);
  }, 60_000);

  it('with a column renamed, or a meta of another format, is refused before anything is copied', async () => {
    const renamed = await altered('ALTER TABLE rmas RENAME COLUMN carrier TO carrier_name')();
    await expectStreamInstead(withFile((t) => copyFileSync(renamed, t)), SNAPSHOT_FILE_ERRORS.shape);
    const otherFormat = await altered("UPDATE meta SET value = json_set(value, '$.format', 2)")();
    db.close();
    db = openDatabase(join(dir, `bench-${++n}`, 'station.sqlite'));
    await expectStreamInstead(withFile((t) => copyFileSync(otherFormat, t)), SNAPSHOT_FILE_ERRORS.shape);
  }, 60_000);

  it('with a row that breaks the contract keeps nothing and leaves no cursor; the stream then loads', async () => {
    // A carrier the contract does not know, near the end: the copy has gone past it when the check refuses.
    const bad = await altered("UPDATE rmas SET carrier = 'pigeon' WHERE rowid = 2900")();
    const noStream: SnapshotSource = { open: async () => null, downloadFile: async (t) => (copyFileSync(bad, t), { sha256: sha(0), size: 1 }) };
    const report = await loadSnapshot(db, noStream);
    expect(report).toBeNull();
    expect(count('rmas')).toBe(0);
    expect(count('rma_lines')).toBe(0);
    expect(count('products')).toBe(0);
    expect(getCursor(db, 'rmas')).toBeNull();
    expect(getCursor(db, 'products')).toBeNull();

    await expectStreamInstead(withFile((t) => copyFileSync(bad, t)), SNAPSHOT_FILE_ERRORS.row);
    expect(count("rmas WHERE carrier = 'pigeon'")).toBe(0);
  }, 60_000);

  it('checked in two parts, as on a bench of more cores, is refused for a bad row in either part and loads when good', async () => {
    expect(defaultCheckers(2)).toBe(1);
    expect(defaultCheckers(8)).toBe(2);
    const { meta } = hub.snapshotFiles.current()!;
    const fileSource = (file: string, sum = { sha256: sha(0), size: 1 }): SnapshotSource => ({ open: async () => null, downloadFile: async (t) => (copyFileSync(file, t), sum) });
    for (const rowid of [2, meta.counts.rmas - 1]) {
      const bad = await altered(`UPDATE rmas SET carrier = 'pigeon' WHERE rowid = ${rowid}`)();
      expect(await loadSnapshot(db, fileSource(bad), { file: { checkers: 2 } }), `bad row ${rowid}`).toBeNull();
      expect(count('rmas')).toBe(0);
      expect(getCursor(db, 'rmas')).toBeNull();
    }
    const good = await downloadTo(`two-parts-${++n}.sqlite`);
    const report = await loadSnapshot(db, fileSource(good.file, { sha256: good.sha256, size: good.size }), { file: { checkers: 2 } });
    expect(report).toMatchObject({ via: 'file', rmas: meta.counts.rmas });
    expect(count('rmas')).toBe(meta.counts.rmas);
  }, 60_000);

  it('with a line of no RMA, or a count the meta does not promise, is refused', async () => {
    const orphan = await altered("INSERT INTO rma_lines VALUES ('ZZZ-1', 'ZZZ', 1, 'SKU-00001', 1, 'size', '', NULL, NULL, NULL)")();
    // The meta's count would differ first; make it agree so the check has to find the orphan itself.
    const x = new Database(orphan);
    x.exec("UPDATE meta SET value = json_set(value, '$.counts.rmaLines', json_extract(value, '$.counts.rmaLines') + 1)");
    x.close();
    await expectStreamInstead(withFile((t) => copyFileSync(orphan, t)), SNAPSHOT_FILE_ERRORS.row);
    const dropped = await altered('DELETE FROM customer_photos WHERE rowid = (SELECT max(rowid) FROM customer_photos)')();
    db.close();
    db = openDatabase(join(dir, `bench-${++n}`, 'station.sqlite'));
    await expectStreamInstead(withFile((t) => copyFileSync(dropped, t)), SNAPSHOT_FILE_ERRORS.shape);
  }, 60_000);

  it('whose check worker dies leaves no cursor, and the next load takes it all again', async () => {
    const rmas = hub.snapshotFiles.current()!.meta.counts.rmas;
    const file = await downloadTo(`whole-${++n}.sqlite`);
    const downloadFile = async (t: string) => (copyFileSync(file.file, t), { sha256: file.sha256, size: file.size });
    const killCheck = { onWorker: (w: { terminate(): Promise<number> }, role: 'copy' | 'check') => void (role === 'check' && w.terminate()) };
    const noStream: SnapshotSource = { open: async () => null, downloadFile };
    const report = await loadSnapshot(db, noStream, { file: killCheck });
    expect(report).toBeNull();
    expect(getCursor(db, 'rmas')).toBeNull();
    expect(count('rmas')).toBe(0);

    const again = await loadSnapshot(db, { open: async () => null, downloadFile });
    expect(again).toMatchObject({ via: 'file', rmas });
    expect(count('rmas')).toBe(rmas);
    expect(getCursor(db, 'rmas')).not.toBeNull();
  }, 60_000);
});
