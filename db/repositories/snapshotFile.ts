// The prepared reference file of a site hub (contract/snapshotFile.ts), attached to the loading connection
// and copied into the station's tables with INSERT … SELECT, and read row by row by the check that runs beside
// the copy (core/sync/snapshotFileWorker.ts). The statements' column lists are the contract's
// (SNAPSHOT_FILE_COLUMNS; snapshotFile.test.ts keeps them equal), written out here so each statement is constant text.
import Database from 'better-sqlite3';
import { SNAPSHOT_FILE_COLUMNS, SnapshotFileMeta, type SnapshotFileTable } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { bulkLoadEligible, bulkLoadUnfinished } from './bulkReference.js';
import { restoreDeferredIndexes } from './deferredIndexes.js';

export const PRODUCT_COLUMNS = 'sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at';
export const RMA_COLUMNS = `rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at, delivered_at, customer_id, customer_return_rate, shop_return_policy_days, return_channel, declared_condition, declared_complete, declared_text, declared_photos_json`;
export const LINE_COLUMNS = 'id, rma_number, line_no, sku, qty, reason, reason_text, resolution, serial_number, lot';
export const PHOTO_COLUMNS = 'rma_number, sha256, updated_at';

/** Why a file is refused before anything is copied. */
export type SnapshotFileProblem = { problem: 'notSqlite' | 'shape'; message: string };

const sqliteCode = (err: unknown): string | undefined => (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined);

/** Attaches the downloaded file as `snap`, for the copy (read only by this code; nothing writes to it). */
function attachSnapshotFile(db: Db, file: string): void {
  db.prepare('ATTACH DATABASE ? AS snap').run(file);
}

export function detachSnapshotFile(db: Db): void {
  if (db.prepare("SELECT 1 FROM pragma_database_list WHERE name = 'snap'").get()) db.exec('DETACH DATABASE snap');
}

/**
 * Checks the attached file is the contract's: a SQLite file, exactly the contract's tables and columns in order,
 * a meta row of this format, and as many rows per table as the meta says. Nothing is copied before this passes.
 */
export function attachAndInspectSnapshotFile(db: Db, file: string): { meta: SnapshotFileMeta } | SnapshotFileProblem {
  let tables: string[];
  try {
    attachSnapshotFile(db, file);
    tables = (db.prepare("SELECT name FROM snap.sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  } catch (err) {
    const code = sqliteCode(err);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return { problem: 'notSqlite', message: `the reference file is not a SQLite database (${code})` };
    throw err;
  }
  const expected = [...Object.keys(SNAPSHOT_FILE_COLUMNS), 'meta'].sort();
  if (tables.join(',') !== expected.join(',')) return { problem: 'shape', message: `the reference file has tables ${tables.join(', ') || '(none)'}, not ${expected.join(', ')}` };
  const columnsOf = db.prepare("SELECT name FROM pragma_table_info(?, 'snap') ORDER BY cid");
  for (const [table, columns] of Object.entries(SNAPSHOT_FILE_COLUMNS)) {
    const found = (columnsOf.all(table) as { name: string }[]).map((c) => c.name);
    if (found.join(',') !== columns.join(',')) return { problem: 'shape', message: `the reference file's ${table} has columns ${found.join(', ')}, not ${columns.join(', ')}` };
  }
  const raw = db.prepare("SELECT value FROM snap.meta WHERE key = 'snapshot'").get() as { value: unknown } | undefined;
  let parsed: ReturnType<typeof SnapshotFileMeta.safeParse>;
  try {
    parsed = SnapshotFileMeta.safeParse(typeof raw?.value === 'string' ? JSON.parse(raw.value) : undefined);
  } catch {
    return { problem: 'shape', message: "the reference file's meta row is not JSON" };
  }
  if (!parsed.success) return { problem: 'shape', message: `the reference file's meta row does not match the contract (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})` };
  const meta = parsed.data;
  const expectedRows: Record<SnapshotFileTable, number> = { products: meta.counts.products, rmas: meta.counts.rmas, rma_lines: meta.counts.rmaLines, customer_photos: meta.counts.customerPhotos };
  // The rows are numbered 1..n in key order (the copy takes them by rowid ranges); the check counts them again.
  const lastRowid: Record<SnapshotFileTable, () => unknown> = {
    products: () => db.prepare('SELECT max(rowid) AS n FROM snap.products').get(),
    rmas: () => db.prepare('SELECT max(rowid) AS n FROM snap.rmas').get(),
    rma_lines: () => db.prepare('SELECT max(rowid) AS n FROM snap.rma_lines').get(),
    customer_photos: () => db.prepare('SELECT max(rowid) AS n FROM snap.customer_photos').get(),
  };
  for (const table of Object.keys(expectedRows) as SnapshotFileTable[]) {
    const n = ((lastRowid[table]() as { n: number | null }).n ?? 0) as number;
    if (n !== expectedRows[table]) return { problem: 'shape', message: `the reference file's ${table} ends at row ${n}; its meta says ${expectedRows[table]} rows` };
  }
  return { meta };
}

/** The RMAs, their lines and photo hashes (in that order) as the copy takes them: rows `from`..`to` of one table per call. */
export function copySnapshotRows(db: Db, table: 'rmas' | 'rma_lines' | 'customer_photos', from: number, to: number): number {
  const copy = (): Database.Statement => {
    switch (table) {
      case 'rmas':
        return db.prepare(`INSERT INTO main.rmas (${RMA_COLUMNS}) SELECT ${RMA_COLUMNS} FROM snap.rmas WHERE rowid BETWEEN ? AND ?`);
      case 'rma_lines':
        return db.prepare(`INSERT INTO main.rma_lines (${LINE_COLUMNS}) SELECT ${LINE_COLUMNS} FROM snap.rma_lines WHERE rowid BETWEEN ? AND ?`);
      case 'customer_photos':
        return db.prepare(`INSERT OR IGNORE INTO main.customer_photos (${PHOTO_COLUMNS}, status) SELECT ${PHOTO_COLUMNS}, 'pending' FROM snap.customer_photos WHERE rowid BETWEEN ? AND ?`);
    }
  };
  const statement = copy();
  return db.transaction(() => statement.run(from, to).changes)();
}

/** The products, once the check passed (upserted: a station may have some from an earlier pull). */
export function copySnapshotProducts(db: Db): number {
  return db
    .prepare(
      `INSERT INTO main.products (${PRODUCT_COLUMNS}) SELECT ${PRODUCT_COLUMNS} FROM snap.products WHERE true
       ON CONFLICT (sku) DO UPDATE SET gtin = excluded.gtin, name = excluded.name, name_ja = excluded.name_ja, category = excluded.category,
         price_jpy = excluded.price_jpy, weight_grams = excluded.weight_grams, updated_at = excluded.updated_at`,
    )
    .run().changes;
}

/**
 * After a refused file: the RMAs it brought are dropped again (as the next bulk load's begin would), unless an
 * operator has meanwhile started work on one; the load stays marked unfinished, without a cursor, either way.
 */
export function dropUnfinishedRmas(db: Db): boolean {
  const dropped = db.transaction(() => {
    if (!bulkLoadUnfinished(db) || !bulkLoadEligible(db)) return false;
    db.exec("DELETE FROM customer_photos WHERE status = 'pending'; DELETE FROM rma_lines; DELETE FROM rmas;");
    return true;
  })();
  restoreDeferredIndexes(db);
  return dropped;
}

/** The file's rows for the check, each table in its own order, as arrays in the contract's column order. */
export interface SnapshotFileReader {
  products(): IterableIterator<unknown[]>;
  rmas(): IterableIterator<unknown[]>;
  lines(): IterableIterator<unknown[]>;
  photos(): IterableIterator<unknown[]>;
  close(): void;
}

/** Rows `from`..`to` (by rowid), taken a page at a time with all(): no statement stays open between pages. */
function* pagedRows(db: Database.Database, sql: string, from: number, to: number): Generator<unknown[], void, undefined> {
  const page = db.prepare(sql).raw();
  for (let after = from - 1; after < to; ) {
    const rows = page.all(after, to, PAGE_ROWS) as unknown[][];
    for (const r of rows) {
      // The rowid comes last, for the next page's start; the row is the contract's columns.
      after = r.pop() as number;
      yield r;
    }
    if (rows.length < PAGE_ROWS) return;
  }
}

const PAGE_ROWS = 4096;

/** One part of `parts` of the file for one checker: a run of RMAs, with the lines and photo hashes that follow them. */
export interface SnapshotFileSlice {
  part: number;
  parts: number;
}

/**
 * The first row of `table` (sorted by RMA number) whose RMA number is `key` or later, by binary search over its
 * rowids (1..last: the copy's shape check found them so). In a file not sorted so, the slices only come out
 * uneven; each checker still refuses any line out of order.
 */
function firstRowOf(db: Database.Database, table: 'rma_lines' | 'customer_photos', key: string, last: number): number {
  const at = table === 'rma_lines' ? db.prepare('SELECT rma_number FROM rma_lines WHERE rowid = ?').pluck() : db.prepare('SELECT rma_number FROM customer_photos WHERE rowid = ?').pluck();
  let lo = 1;
  let hi = last + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (String(at.get(mid)) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function openSnapshotFileReader(file: string, nativeBinding?: string, slice: SnapshotFileSlice = { part: 0, parts: 1 }): SnapshotFileReader {
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  // Reads its part of the file once, in order: a large cache would only hold pages never read again.
  db.pragma('cache_size = -8192');
  const lastOf = {
    products: (db.prepare('SELECT max(rowid) FROM products').pluck().get() as number | null) ?? 0,
    rmas: (db.prepare('SELECT max(rowid) FROM rmas').pluck().get() as number | null) ?? 0,
    rma_lines: (db.prepare('SELECT max(rowid) FROM rma_lines').pluck().get() as number | null) ?? 0,
    customer_photos: (db.prepare('SELECT max(rowid) FROM customer_photos').pluck().get() as number | null) ?? 0,
  };
  const rmaNumberAt = db.prepare('SELECT rma_number FROM rmas WHERE rowid = ?').pluck();
  const per = Math.ceil(lastOf.rmas / slice.parts);
  /** Where part `p` starts in `table`: its first RMA's first row (every row, for the first part; none left, past the last RMA). */
  const start = (table: 'rmas' | 'rma_lines' | 'customer_photos', p: number): number => {
    if (p <= 0) return 1;
    const firstRma = p * per + 1;
    if (table === 'rmas') return Math.min(firstRma, lastOf.rmas + 1);
    if (firstRma > lastOf.rmas) return lastOf[table] + 1;
    return Math.max(firstRowOf(db, table, String(rmaNumberAt.get(firstRma)), lastOf[table]), start(table, p - 1));
  };
  const range = (table: 'rmas' | 'rma_lines' | 'customer_photos'): [number, number] => [
    start(table, slice.part),
    slice.part === slice.parts - 1 ? lastOf[table] : start(table, slice.part + 1) - 1,
  ];
  const rmas = range('rmas');
  const lines = range('rma_lines');
  const photos = range('customer_photos');
  const open: IterableIterator<unknown[]>[] = [];
  const track = (it: IterableIterator<unknown[]>): IterableIterator<unknown[]> => {
    open.push(it);
    return it;
  };
  return {
    // The products go with the first part.
    products: () => track(pagedRows(db, `SELECT ${PRODUCT_COLUMNS}, rowid FROM products WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`, 1, slice.part === 0 ? lastOf.products : 0)),
    rmas: () => track(pagedRows(db, `SELECT ${RMA_COLUMNS}, rowid FROM rmas WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`, ...rmas)),
    lines: () => track(pagedRows(db, `SELECT ${LINE_COLUMNS}, rowid FROM rma_lines WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`, ...lines)),
    photos: () => track(pagedRows(db, `SELECT ${PHOTO_COLUMNS}, rowid FROM customer_photos WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`, ...photos)),
    close: () => {
      for (const it of open) it.return?.();
      db.close();
    },
  };
}
