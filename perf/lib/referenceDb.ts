// The bench's big databases, built once with the seeded demo-data generator and cached under
// perf/cache/ (gitignored), keyed by the generator's source and the size, so a second run skips it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Product, Rma } from '../../contract/index.js';
import { openDatabase } from '../../db/connection.js';
import { queuedForSearchCount } from '../../db/repositories/rmaSearch.js';
import { indexQueuedRmas } from '../../core/workflow/searchIndex.js';
import { generateProducts, iterateRmas } from '../../fixtures/demo-data/generate.js';
import { openWmsDatabase, seedReferenceData } from '../../fixtures/demo-wms/store.js';

export const BENCH_SEED = 42;
/** Fixed, so the cached data does not depend on the day it was built. */
export const BENCH_NOW = '2026-11-01T00:00:00.000Z';
/** Bump when the way the bench lays out its data changes. */
const BUILDER_VERSION = 1;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = join(root, 'perf', 'cache');

export interface ReferenceSize {
  rmas: number;
  products: number;
}

/** What decides the generated rows: the generator's sources (and the identifier formats it uses). */
function generatorVersion(): string {
  const h = createHash('sha256');
  h.update(`builder:${BUILDER_VERSION};seed:${BENCH_SEED};now:${BENCH_NOW}`);
  for (const f of [
    'fixtures/demo-data/generate.ts',
    'fixtures/demo-data/catalogue.ts',
    'fixtures/demo-data/prng.ts',
    'domain/identifiers/rma.ts',
    'domain/identifiers/tracking.ts',
    'domain/identifiers/gtin.ts',
  ]) {
    h.update(readFileSync(join(root, f)));
  }
  return h.digest('hex').slice(0, 12);
}

export function benchProducts(size: ReferenceSize): Product[] {
  return generateProducts({ seed: BENCH_SEED, products: size.products, now: BENCH_NOW });
}

function cachePath(kind: 'station' | 'wms', size: ReferenceSize, dir: string): string {
  return join(dir, `${kind}-${size.rmas}r-${size.products}p-${generatorVersion()}.sqlite`);
}

export interface BuiltDb {
  file: string;
  /** False when the file came from the cache. */
  built: boolean;
  seconds: number;
}

function clearTmp(tmp: string): void {
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
}

export interface ReferenceDbs {
  station: BuiltDb;
  wms: BuiltDb;
}

/**
 * The station database with `size.rmas` RMAs and their lines (migrated by the station's own code) and
 * the demo WMS's database with the same products and RMAs (as the WMS stores them: JSON bodies).
 * Whatever is missing from the cache is built in one pass of the generator. Bulk load: one transaction
 * per file, prepared statements, synchronous=OFF while building (a crash just rebuilds), a temp name
 * renamed at the end so an interrupted build never leaves a half cache entry, and a checkpoint so the
 * cached file stands alone.
 */
export function referenceDbs(size: ReferenceSize, log: (m: string) => void = () => {}, cacheDir: string = CACHE_DIR): ReferenceDbs {
  const stationFile = cachePath('station', size, cacheDir);
  const wmsFile = cachePath('wms', size, cacheDir);
  const needStation = !existsSync(stationFile);
  const needWms = !existsSync(wmsFile);
  if (!needStation && !needWms) {
    indexForSearch(stationFile, log);
    return { station: { file: stationFile, built: false, seconds: 0 }, wms: { file: wmsFile, built: false, seconds: 0 } };
  }
  mkdirSync(cacheDir, { recursive: true });
  log(`building ${[needStation ? 'station' : '', needWms ? 'demo WMS' : ''].filter(Boolean).join(' + ')} DB: ${size.rmas.toLocaleString('en')} RMAs, ${size.products.toLocaleString('en')} products (cached under perf/cache/ afterwards)`);
  const t0 = performance.now();
  const stationTmp = `${stationFile}.building`;
  const wmsTmp = `${wmsFile}.building`;
  const products = benchProducts(size);

  const station = needStation ? (clearTmp(stationTmp), openDatabase(stationTmp)) : null;
  const wms = needWms ? (clearTmp(wmsTmp), openWmsDatabase(wmsTmp)) : null;
  for (const db of [station, wms]) {
    db?.pragma('synchronous = OFF');
    db?.pragma('cache_size = -262144');
  }
  const p = station?.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const r = station?.prepare(
    `INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at,
                       delivered_at, customer_id, customer_return_rate, shop_return_policy_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const l = station?.prepare(
    'INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text, resolution, serial_number, lot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const rmaStream = iterateRmas({ seed: BENCH_SEED, rmas: size.rmas, productList: products, now: BENCH_NOW });

  const load = (): void => {
    if (p) for (const x of products) p.run(x.sku, x.gtin, x.name, x.nameJa, x.category, x.priceJpy, x.weightGrams, x.updatedAt);
    let n = 0;
    // Each RMA goes to the station as it is generated; the WMS seeding consumes the same stream.
    function* tee(): Generator<Rma> {
      for (const x of rmaStream) {
        if (r && l) {
          r.run(
            x.rmaNumber, x.orderNumber, x.customerName, x.customerKana, x.customerPhone, x.carrier, x.trackingNumber, x.status, x.createdAt, x.updatedAt,
            x.deliveredAt ?? null, x.customerId ?? null, x.customerReturnRate ?? null, x.shopReturnPolicyDays ?? null,
          );
          x.lines.forEach((line, i) =>
            l.run(line.id, x.rmaNumber, i + 1, line.sku, line.qty, line.reason, line.reasonText, line.resolution ?? null, line.serialNumber ?? null, line.lot ?? null),
          );
        }
        if (++n % 200_000 === 0) log(`  ${n.toLocaleString('en')} RMAs`);
        yield x;
      }
    }
    if (wms) seedReferenceData(wms, products, tee());
    else for (const _ of tee()) void _;
  };
  if (station) station.transaction(load)();
  else load();

  for (const [db, tmp, file] of [
    [station, stationTmp, stationFile],
    [wms, wmsTmp, wmsFile],
  ] as const) {
    if (!db) continue;
    db.pragma('wal_checkpoint(TRUNCATE)');
    if (db === station) db.exec('ANALYZE');
    db.close();
    renameSync(tmp, file);
  }
  if (existsSync(stationFile)) indexForSearch(stationFile, log);
  const seconds = (performance.now() - t0) / 1000;
  return { station: { file: stationFile, built: needStation, seconds }, wms: { file: wmsFile, built: needWms, seconds } };
}

/**
 * The cached station brought to the current schema and its blind-search index written (migration 015 queues every
 * RMA), once: a bench station on a copy would otherwise index a million RMAs in the background of every figure.
 */
function indexForSearch(file: string, log: (m: string) => void): void {
  const db = openDatabase(file);
  try {
    if (queuedForSearchCount(db) === 0) return;
    log(`indexing the cached station's RMAs for the blind search (once): ${queuedForSearchCount(db).toLocaleString('en')} RMAs`);
    db.pragma('synchronous = OFF');
    indexQueuedRmas(db, Number.MAX_SAFE_INTEGER);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

export function lineCount(file: string): { rmas: number; lines: number } {
  const db = openDatabase(file, { readonly: true });
  try {
    const rmas = (db.prepare('SELECT COUNT(*) AS n FROM rmas').get() as { n: number }).n;
    const lines = (db.prepare('SELECT COUNT(*) AS n FROM rma_lines').get() as { n: number }).n;
    return { rmas, lines };
  } finally {
    db.close();
  }
}
