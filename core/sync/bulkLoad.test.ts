import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Product, PullCursor, Rma, SnapshotTrailer } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { bulkLoadUnfinished, stagingFileOf } from '../../db/repositories/bulkReference.js';
import { getCursor } from '../../db/repositories/syncCursors.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { bulkLoadWorkerEntry, bulkValidateWorkerEntry } from './bulkLoad.js';
import { pullReferenceData } from './pull.js';
import { loadSnapshot, type SnapshotSource } from './snapshot.js';
import { WmsError, type WmsClient } from './wmsClient.js';

const data = generateDemoData({ seed: 11, rmas: 150 });
const key = (x: { updatedAt: string; sku?: string; rmaNumber?: string }): string => `${x.updatedAt}\u0000${x.sku ?? x.rmaNumber}`;
const byCursor = <T extends { updatedAt: string }>(rows: T[]): T[] => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
const products = byCursor(data.products);
const rmas = byCursor(data.rmas);

/** A WMS serving raw pages by cursor; `rows` replaces the RMAs served (a malformed one). */
function wms(options: { rmaRows?: unknown[]; onRmaPage?: (n: number) => void } = {}): WmsClient {
  const served = options.rmaRows ?? rmas;
  let rmaPages = 0;
  const page = (rows: unknown[], cursor: PullCursor | null, limit: number) => {
    const from = cursor ? rows.findIndex((x) => key(x as Rma) > `${cursor.updatedSince}\u0000${cursor.afterId}`) : 0;
    const items = from < 0 ? [] : rows.slice(from, from + limit);
    const last = items.at(-1) as Rma | Product | undefined;
    return { items, next: last && items.length === limit ? { updatedSince: last.updatedAt, afterId: 'sku' in last ? last.sku : last.rmaNumber } : null };
  };
  const refuse = async (): Promise<never> => {
    throw new Error('the pull must use its raw pages');
  };
  return {
    baseUrl: 'http://fake',
    health: async () => ({ status: 'ok' as const, demo: true, version: 'fake' }),
    products: refuse,
    rmas: refuse,
    lookupRmas: async () => ({ items: [] }),
    postEvents: async () => ({ results: [] }),
    async pageJson(resource, cursor, limit) {
      return page(resource === 'rmas' ? served : products, cursor, limit);
    },
    async pageBytes(resource, cursor, limit) {
      if (resource === 'rmas') options.onRmaPage?.(++rmaPages);
      return new TextEncoder().encode(JSON.stringify(page(resource === 'rmas' ? served : products, cursor, limit)));
    },
  };
}

/** The hub's snapshot stream as lines. */
function snapshot(): SnapshotSource {
  return {
    async open(resource) {
      const rows: (Product | Rma)[] = resource === 'products' ? products : rmas;
      const last = rows.at(-1)!;
      const trailer: SnapshotTrailer = { end: true, rows: rows.length, cursor: { updatedSince: last.updatedAt, afterId: 'sku' in last ? last.sku : last.rmaNumber } };
      return [...rows.map((r) => JSON.stringify(r)), JSON.stringify(trailer)];
    },
  };
}

let dir: string;
const opened: Db[] = [];
const station = (name: string): Db => {
  const db = openDatabase(join(dir, `${name}.sqlite`), { walAutoCheckpoint: false });
  opened.push(db);
  return db;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-bulk-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `db` holds what a row-by-row pull of the same WMS writes into a fresh station. */
async function expectSameAsRowByRow(db: Db): Promise<void> {
  const fresh = station('fresh');
  await pullReferenceData(fresh, wms(), { pageSize: 20, bulk: false });
  expect(contents(db)).toEqual(contents(fresh));
}

/** Everything a pull writes, in a stable order, and the indexes of the RMA tables. */
function contents(db: Db): unknown {
  const all = (sql: string): unknown[] => db.prepare(sql).all();
  return {
    products: all('SELECT * FROM products ORDER BY sku'),
    rmas: all('SELECT * FROM rmas ORDER BY rma_number'),
    lines: all('SELECT * FROM rma_lines ORDER BY id'),
    photos: all('SELECT rma_number, sha256, status, updated_at FROM customer_photos ORDER BY rma_number, sha256'),
    cursors: all('SELECT * FROM sync_cursors ORDER BY resource'),
    indexes: all("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('rmas', 'rma_lines') ORDER BY name"),
    settings: all("SELECT key FROM settings WHERE key LIKE 'pull.%' OR key LIKE 'bulk.%'"),
  };
}

const count = (db: Db, table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('bulk load of an empty station (worker thread)', () => {
  it('finds its worker beside main.cjs in the Electron bundle (scripts/build-electron.mjs builds it there)', () => {
    expect(bulkLoadWorkerEntry('file:///app/dist-electron/main.cjs')).toEqual({ source: '/app/dist-electron/bulkLoadWorker.cjs', eval: false });
    expect(bulkValidateWorkerEntry('file:///app/dist-electron/main.cjs')).toEqual({ source: '/app/dist-electron/bulkValidateWorker.cjs', eval: false });
  });

  it('a first pull writes what the row-by-row pull writes', async () => {
    const bulk = station('bulk');
    const rowwise = station('rowwise');
    const report = await pullReferenceData(bulk, wms(), { pageSize: 20 });
    await pullReferenceData(rowwise, wms(), { pageSize: 20, bulk: false });
    expect(report).toEqual({ products: products.length, rmas: rmas.length, conflicts: [] });
    expect(count(bulk, 'rmas')).toBe(rmas.length);
    expect(contents(bulk)).toEqual(contents(rowwise));
    // The photo hashes of the declarations are queued for fetching, as the row-by-row path does.
    expect(count(bulk, 'customer_photos')).toBeGreaterThan(0);
  });

  it('a snapshot writes what the row-by-row snapshot load writes', async () => {
    const bulk = station('bulk');
    const rowwise = station('rowwise');
    const report = await loadSnapshot(bulk, snapshot(), { commitRows: 40 });
    await loadSnapshot(rowwise, snapshot(), { commitRows: 40, bulk: false });
    expect(report).toMatchObject({ products: products.length, rmas: rmas.length });
    expect(contents(bulk)).toEqual(contents(rowwise));
  });

  it('a snapshot read as bytes (lines and characters split between pieces) writes what the row-by-row load writes', async () => {
    const lines = snapshot();
    const bytes: SnapshotSource = {
      open: lines.open,
      async openBytes(resource) {
        const text = `${[...((await lines.open(resource)) as string[])].join('\n')}\n`;
        const all = new TextEncoder().encode(text);
        // 7-byte pieces: lines and multi-byte characters (the Japanese names) fall across them.
        return (async function* () {
          for (let i = 0; i < all.length; i += 7) yield all.slice(i, i + 7);
        })();
      },
    };
    const bulk = station('bulk');
    const rowwise = station('rowwise');
    const report = await loadSnapshot(bulk, bytes, { bytesPerMessage: 5000 });
    await loadSnapshot(rowwise, lines, { bulk: false });
    expect(report).toMatchObject({ products: products.length, rmas: rmas.length });
    expect(contents(bulk)).toEqual(contents(rowwise));
  });

  it("an RMA that comes twice (changed during the load) is kept as it came last, with that version's lines", async () => {
    const twice = rmas.find((r) => r.lines.length >= 2)!;
    const later = { ...twice, customerName: 'Changed Later', updatedAt: '2099-01-01T00:00:00.000Z', lines: twice.lines.slice(1) };
    const lines = [...rmas, later];
    const source: SnapshotSource = {
      async open(resource) {
        if (resource === 'products') return snapshot().open('products');
        const trailer: SnapshotTrailer = { end: true, rows: lines.length, cursor: { updatedSince: later.updatedAt, afterId: later.rmaNumber } };
        return [...lines.map((r) => JSON.stringify(r)), JSON.stringify(trailer)];
      },
    };
    const bulk = station('bulk');
    const rowwise = station('rowwise');
    await loadSnapshot(bulk, source, { commitRows: 40 });
    await loadSnapshot(rowwise, source, { commitRows: 40, bulk: false });
    expect(bulk.prepare('SELECT customer_name AS n FROM rmas WHERE rma_number = ?').get(twice.rmaNumber)).toEqual({ n: 'Changed Later' });
    expect(count(bulk, 'rmas')).toBe(rmas.length);
    expect(contents(bulk)).toEqual(contents(rowwise));
  });

  it("an RMA that comes twice in a first pull (changed during it) is kept as it came last, with that version's lines and every version's photos", async () => {
    const twice = rmas.find((r) => r.lines.length >= 2 && (r.declaration?.photos.length ?? 0) > 0)!;
    const photo = 'f'.repeat(64);
    const later: Rma = {
      ...twice,
      customerName: 'Changed Later',
      updatedAt: '2099-01-01T00:00:00.000Z',
      lines: twice.lines.slice(1),
      declaration: { ...twice.declaration!, photos: [photo] },
    };
    const served = [...rmas, later];
    const bulk = station('bulk');
    const rowwise = station('rowwise');
    const report = await pullReferenceData(bulk, wms({ rmaRows: served }), { pageSize: 20 });
    await pullReferenceData(rowwise, wms({ rmaRows: served }), { pageSize: 20, bulk: false });
    expect(report.rmas).toBe(served.length);
    expect(bulk.prepare('SELECT customer_name AS n FROM rmas WHERE rma_number = ?').get(twice.rmaNumber)).toEqual({ n: 'Changed Later' });
    expect(bulk.prepare('SELECT id FROM rma_lines WHERE rma_number = ? ORDER BY id').all(twice.rmaNumber)).toEqual(twice.lines.slice(1).map((l) => ({ id: l.id })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(count(bulk, 'rmas')).toBe(rmas.length);
    expect(contents(bulk)).toEqual(contents(rowwise));
  });

  it("a page the validator thread refuses after the bulk-load worker staged it: the load ends with its words, nothing reaches the station's tables, no cursor", async () => {
    const db = station('station');
    // A validator that refuses the third RMA page (rows the bulk-load worker stages without complaint).
    let checked = 0;
    const refusing = {
      eval: true,
      source: `const { parentPort } = require('node:worker_threads'); let n = 0;
        parentPort.on('message', (m) => parentPort.postMessage(++n === 3 ? { id: m.id, ok: false, malformed: true, message: m.where + ': planted refusal' } : { id: m.id, ok: true, rows: 20 }));`,
    };
    const err = await pullReferenceData(db, wms({ onRmaPage: () => checked++ }), { pageSize: 20, bulk: { validators: 1, validatorEntry: refusing } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect((err as WmsError).kind).toBe('malformed');
    expect((err as Error).message).toMatch(/^the WMS's rmas page after .*: planted refusal$/);
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(count(db, 'rmas')).toBe(0);
    expect(count(db, 'rma_lines')).toBe(0);
    expect(getCursor(db, 'rmas')).toBeNull();
    expect(bulkLoadUnfinished(db)).toBe(true);

    await pullReferenceData(db, wms(), { pageSize: 20 });
    await expectSameAsRowByRow(db);
  });

  it('a page whose last RMA has no usable cursor: the worker reads none from it, the pull stops, and the validator refuses the page', async () => {
    const db = station('station');
    const broken = rmas.map((r, i) => (i === 59 ? { ...r, updatedAt: 42 } : r));
    const err = await pullReferenceData(db, wms({ rmaRows: broken }), { pageSize: 20 }).catch((e: unknown) => e);
    expect((err as WmsError).kind).toBe('malformed');
    // The WMS's `next` carries the same broken value; the validator refuses the page on it.
    expect((err as Error).message).toMatch(/^the WMS's rmas page after .* does not match the contract \(next\.updatedSince: /);
    expect(count(db, 'rmas')).toBe(0);
    expect(getCursor(db, 'rmas')).toBeNull();
  });

  it('a validator thread that stops mid-load ends the load: no cursor, and the next pull loads it all', async () => {
    const db = station('station');
    const dying = { eval: true, source: `const { parentPort } = require('node:worker_threads'); let n = 0; parentPort.on('message', (m) => (++n === 2 ? process.exit(3) : parentPort.postMessage({ id: m.id, ok: true, rows: 20 })));` };
    const err = await pullReferenceData(db, wms(), { pageSize: 20, bulk: { validators: 1, validatorEntry: dying } }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('the page validator stopped (exit code 3)');
    expect(count(db, 'rmas')).toBe(0);
    expect(getCursor(db, 'rmas')).toBeNull();
    await pullReferenceData(db, wms(), { pageSize: 20 });
    expect(count(db, 'rmas')).toBe(rmas.length);
  });

  it('a malformed row is an error naming it; nothing of its page is written and no cursor is set; the next pull loads it all', async () => {
    const db = station('station');
    const broken = rmas.map((r, i) => (i === 65 ? { ...r, lines: [{ ...r.lines[0], qty: 'two' }] } : r));
    const err = await pullReferenceData(db, wms({ rmaRows: broken }), { pageSize: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect((err as WmsError).kind).toBe('malformed');
    expect((err as Error).message).toContain(`row 6 (${rmas[65]!.rmaNumber}) does not match the contract (lines.0.qty`);
    // Pages were staged (page 4 too: the validator checks it meanwhile), and nothing reached the station's tables.
    expect(count(db, 'rmas')).toBe(0);
    expect(getCursor(db, 'rmas')).toBeNull();
    expect(bulkLoadUnfinished(db)).toBe(true);

    await pullReferenceData(db, wms(), { pageSize: 20 });
    await expectSameAsRowByRow(db);
  });

  it('a snapshot stream cut before its trailer writes nothing and sets no cursor; the next attempt loads it all', async () => {
    const db = station('station');
    const cut: SnapshotSource = {
      open: async (resource) => (resource === 'products' ? snapshot().open('products') : rmas.slice(0, 90).map((r) => JSON.stringify(r))),
    };
    await expect(loadSnapshot(db, cut, { commitRows: 25 })).rejects.toBeInstanceOf(WmsError);
    expect(count(db, 'rmas')).toBe(0);
    expect(getCursor(db, 'rmas')).toBeNull();
    expect(getCursor(db, 'products')).not.toBeNull();
    await loadSnapshot(db, snapshot(), { commitRows: 25 });
    const rowwise = station('rowwise');
    await loadSnapshot(rowwise, snapshot(), { commitRows: 25, bulk: false });
    expect(contents(db)).toEqual(contents(rowwise));
  });

  it('a malformed snapshot line is an error naming its row; no RMA cursor', async () => {
    const db = station('station');
    const bad: SnapshotSource = {
      open: async (resource) => (resource === 'products' ? snapshot().open('products') : [JSON.stringify(rmas[0]), '{"rmaNumber":"RMA-BROKEN"}']),
    };
    await expect(loadSnapshot(db, bad)).rejects.toThrow(/the rmas snapshot's row 2 \(RMA-BROKEN\) does not match the contract/);
    expect(count(db, 'rmas')).toBe(0);
    expect(getCursor(db, 'rmas')).toBeNull();
  });

  it('a worker killed mid-load leaves no cursor, and the next pull loads everything again', async () => {
    const db = station('station');
    let worker: Worker | undefined;
    const killing = wms({ onRmaPage: (n) => void (n === 4 ? worker?.terminate() : undefined) });
    const err = await pullReferenceData(db, killing, { pageSize: 20, bulk: { onWorker: (w) => (worker = w) } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(getCursor(db, 'rmas')).toBeNull();
    expect(bulkLoadUnfinished(db)).toBe(true);
    // A worker killed while it moved the staged rows over leaves some of them in the station's tables.
    db.prepare(
      `INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at)
       VALUES ('RMA-PARTIAL', 'O', 'n', 'k', 'p', 'yamato', 't', 'issued', 'c', 'u')`,
    ).run();
    db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES ('RMA-PARTIAL-1', 'RMA-PARTIAL', 1, 'S', 1, 'r', 't')").run();

    const report = await pullReferenceData(db, wms(), { pageSize: 20 });
    expect(report.rmas).toBe(rmas.length);
    await expectSameAsRowByRow(db);
  });

  it("leaves the station's event loop free: a setImmediate and a timer queued as a page arrives run before the load ends", async () => {
    const db = station('station');
    const ran: string[] = [];
    const client = wms({
      onRmaPage: (n) => {
        if (n !== 1) return;
        setImmediate(() => ran.push('immediate'));
        setTimeout(() => ran.push('timer'), 0);
      },
    });
    const pulling = pullReferenceData(db, client, { pageSize: 20 }).then(() => ran.push('pulled'));
    await pulling;
    expect(ran.indexOf('immediate')).toBeLessThan(ran.indexOf('pulled'));
    expect(ran.indexOf('timer')).toBeLessThan(ran.indexOf('pulled'));
    expect(ran.indexOf('immediate')).toBeGreaterThanOrEqual(0);
  });

  it("runs its threads below the station's own (Linux: nice 10 per thread), so the event loop gets the CPU first", async () => {
    const nice = (tid: string): number => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const self = readlinkSync('/proc/thread-self').split('/').pop()!;
    // Sampled as each page is fetched: by the last, every thread has started (the pull waits for them to keep up).
    let lowered = 0;
    const client = wms({
      onRmaPage: () => {
        lowered = Math.max(lowered, readdirSync('/proc/self/task').filter((t) => t !== self && nice(t) === 10).length);
      },
    });
    await pullReferenceData(station('station'), client, { pageSize: 20 });
    // The two loading workers and the two validators.
    expect(lowered).toBeGreaterThanOrEqual(4);
    expect(nice(self)).toBe(0);
  });

  it("stages in files of its own beside the station's database (one per loading worker), gone once the load ends", async () => {
    const db = station('station');
    const seen = new Set<string>();
    const client = wms({
      onRmaPage: (n) => {
        if (n > 2) for (const f of readdirSync(dir)) seen.add(f);
      },
    });
    // A file a killed load left is replaced, not appended to.
    writeFileSync(stagingFileOf(db.name, 'rmas'), 'left by a killed load');
    await pullReferenceData(db, client, { pageSize: 20 });
    expect([...seen].filter((f) => f.includes('-staging-')).sort()).toEqual(['station.sqlite-staging-lines', 'station.sqlite-staging-rmas']);
    expect(readdirSync(dir).filter((f) => f.includes('-staging-'))).toEqual([]);
    expect(count(db, 'rmas')).toBe(rmas.length);
  });

  it('a station that has RMAs already is pulled row by row', async () => {
    const db = station('station');
    await pullReferenceData(db, wms(), { pageSize: 50 });
    let pages = 0;
    const again = wms({ onRmaPage: () => pages++ });
    // No bulk: a second pull follows the cursor through the pages it checks itself (pageJson), not the raw ones.
    await pullReferenceData(db, again, { pageSize: 50 });
    expect(pages).toBe(0);
    expect(count(db, 'rmas')).toBe(rmas.length);
  });
});
