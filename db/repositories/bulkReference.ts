import { rmaRow, SNAPSHOT_FILE_COLUMNS, type PullCursor, type Rma } from '../../contract/index.js';
import { closeSync, fdatasyncSync, fstatSync, openSync, rmSync } from 'node:fs';
import type { Db } from '../connection.js';
import { sortInSmallRuns } from '../tuning.js';
import { deferRmaIndexes, restoreDeferredIndexes } from './deferredIndexes.js';
import { getSetting, setSetting } from './settings.js';
import { prepared } from './statements.js';
import { getCursor, setCursor } from './syncCursors.js';

/**
 * Set when a bulk load of an empty station starts and cleared with the RMA cursor when it ends: found at the
 * next start (a crash, a killed worker, a malformed row), it says the RMAs in the tables are a load's
 * unfinished part and may be dropped and loaded again.
 */
const LOADING = 'bulk.loading';

/**
 * The bulk load writes a station's first reference data: no RMA cursor yet, and either no RMA at all or only
 * what an unfinished bulk load left. Nothing the operator did may point at those RMAs (a parcel, a received
 * line, a sync conflict), since an unfinished load's RMAs are dropped before it starts again.
 */
export function bulkLoadEligible(db: Db): boolean {
  if (getCursor(db, 'rmas') !== null) return false;
  if (db.prepare('SELECT 1 FROM rmas LIMIT 1').get() === undefined) return true;
  if (getSetting(db, LOADING) === undefined) return false;
  return (
    db.prepare('SELECT 1 FROM parcels WHERE rma_number IS NOT NULL LIMIT 1').get() === undefined &&
    db.prepare('SELECT 1 FROM items WHERE rma_line_id IS NOT NULL LIMIT 1').get() === undefined &&
    db.prepare('SELECT 1 FROM rma_sync_conflicts LIMIT 1').get() === undefined
  );
}

/**
 * Starts a bulk load: drops what an unfinished one left, marks the load as under way and defers the RMA
 * indexes (built once in finishBulkLoad). Returns false, changing nothing, when the station is not eligible.
 */
export function beginBulkLoad(db: Db): boolean {
  const started = db.transaction(() => {
    if (!bulkLoadEligible(db)) return false;
    if (getSetting(db, LOADING) !== undefined) {
      // Children first: their foreign keys point at rmas.
      db.exec("DELETE FROM customer_photos WHERE status = 'pending'; DELETE FROM rma_lines; DELETE FROM rmas;");
    }
    setSetting(db, LOADING, new Date().toISOString());
    return true;
  })();
  // A crash between the two leaves the marker with the indexes in place: the next begin defers them then.
  if (started) deferRmaIndexes(db);
  return started;
}

// The same columns, in the same order, as the hub's prepared file and the contract's rmaRow().
const RMA_COLUMNS = SNAPSHOT_FILE_COLUMNS.rmas.join(', ');
const LINE_COLUMNS = SNAPSHOT_FILE_COLUMNS.rma_lines.join(', ');

/**
 * The load's rows wait in staging tables of the loading connection (plain heaps, no key): appending to them
 * writes each page once and takes no lock on the station's database. The RMAs arrive in cursor order, which
 * is random by RMA number, and inserting them so into `rmas` and `rma_lines` rewrote a random page of each
 * primary-key index per row, in every transaction's WAL (a 100k first pull: 7 of its 11 CPU seconds).
 * copyStagedRmas sorts them by key once and appends them in that order. A line points at its RMA's staged
 * row (`rma_row`): an RMA staged twice keeps only its last version's lines. The staging tables live in the
 * schema `staging`: a file of the loader's own (attachStagingFile), or else a private temporary database.
 */
function ensureStaging(db: Db): void {
  if (!prepared(db, "SELECT 1 FROM pragma_database_list WHERE name = 'staging'").get()) db.exec("ATTACH '' AS staging");
  db.exec(`CREATE TABLE IF NOT EXISTS staging.bulk_rmas (${RMA_COLUMNS});
    CREATE TABLE IF NOT EXISTS staging.bulk_lines (rma_row INTEGER NOT NULL, ${LINE_COLUMNS});
    CREATE TABLE IF NOT EXISTS staging.bulk_photos (rma_number TEXT NOT NULL, sha256 TEXT NOT NULL, updated_at TEXT NOT NULL);`);
}

/** The staging file of a loading worker of `part` (one per worker, beside the station's database). */
export const stagingFileOf = (dbFile: string, part: StagedPart): string => `${dbFile}-staging-${part}`;

/** Bytes the staging file grows by between two syncs (StagingFile.pace). */
export const STAGING_SYNC_BYTES = 4 * 1024 * 1024;

export interface StagingFile {
  /** Syncs the file when it grew by STAGING_SYNC_BYTES since the last sync (call after each staged batch). */
  pace(): void;
  /** Detaches the file and deletes it. */
  close(): void;
}

/**
 * Stages a load in `file`, a database of the loader's own beside the station's, instead of a temporary one. A
 * temporary file cannot be synced by anyone: a 1M-RMA load left hundreds of megabytes of its dirty pages for
 * the kernel to write out in bursts, and each burst held up the operators' commits (synchronous=FULL) by
 * 100–260 ms. This one is synced every few megabytes as it grows (pace). Nothing in it must survive a crash:
 * no sync on commit, the rollback journal in memory, and a file left by a killed load is replaced.
 */
export function attachStagingFile(db: Db, file: string, syncEveryBytes: number = STAGING_SYNC_BYTES): StagingFile {
  rmSync(file, { force: true });
  db.prepare("ATTACH ? AS staging").run(file);
  db.pragma('staging.journal_mode = MEMORY');
  db.pragma('staging.synchronous = OFF');
  const fd = openSync(file, 'r+');
  let syncedAt = 0;
  return {
    pace() {
      const size = fstatSync(fd).size;
      if (size - syncedAt < syncEveryBytes) return;
      fdatasyncSync(fd);
      syncedAt = size;
    },
    close() {
      closeSync(fd);
      if (db.open) db.exec('DETACH staging');
      rmSync(file, { force: true });
    },
  };
}

/** Stages RMAs, their lines and their customers' photo hashes, inside the caller's transaction (plain INSERTs). */
export function insertRmasBulk(db: Db, rmas: readonly Rma[]): void {
  ensureStaging(db);
  const rma = prepared(db, `INSERT INTO staging.bulk_rmas (${RMA_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const line = prepared(db, `INSERT INTO staging.bulk_lines (rma_row, ${LINE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const photo = prepared(db, 'INSERT INTO staging.bulk_photos (rma_number, sha256, updated_at) VALUES (?, ?, ?)');
  for (const r of rmas) {
    const row = rma.run(...rmaRow(r)).lastInsertRowid;
    for (let i = 0; i < r.lines.length; i++) {
      const l = r.lines[i]!;
      line.run(row, l.id, r.rmaNumber, i + 1, l.sku, l.qty, l.reason, l.reasonText, l.resolution ?? null, l.serialNumber ?? null, l.lot ?? null);
    }
    for (const sha of r.declaration?.photos ?? []) photo.run(r.rmaNumber, sha, r.updatedAt);
  }
}

/**
 * A pull page's body (`{ items, next }` as UTF-8 bytes) in SQLite's binary JSON, read once here and navigated
 * without parsing by the statements below. Throws (SQLite's "malformed JSON") when the body is not JSON.
 */
export function pageJsonb(db: Db, body: Uint8Array): Buffer {
  // CAST … AS TEXT takes the bytes as UTF-8 as they are: no string is built on the JS side.
  return (prepared(db, 'SELECT jsonb(CAST(? AS TEXT)) AS j').get(body) as { j: Buffer }).j;
}

/** What the pull needs of a page to ask for the next one: its size, its last row's cursor fields, whether more follow. */
export function pageHead(db: Db, page: Buffer, idField: 'rmaNumber' | 'sku'): { rows: number; lastUpdatedAt: unknown; lastId: unknown; more: boolean } {
  const row = prepared(
    db,
    `SELECT json_array_length(@page, '$.items') AS n, @page ->> '$.items[#-1].updatedAt' AS at, @page ->> '$.items[#-1].${idField}' AS id,
       coalesce(json_type(@page, '$.next'), 'null') <> 'null' AS more`,
  ).get({ page }) as { n: number | null; at: unknown; id: unknown; more: number };
  return { rows: row.n ?? 0, lastUpdatedAt: row.at, lastId: row.id, more: row.more === 1 };
}

/**
 * Stages a page's RMAs straight from its binary JSON, inside the caller's transaction: SQLite reads the fields
 * (in C), so no row becomes a JS object here. The rows are NOT checked: the caller has every page checked against
 * the contract elsewhere (core/sync/bulkValidateWorker.ts) and lets copyStagedRmas run only once all passed.
 * Writes what insertRmasBulk writes for the same rows (the contract's defaults included). A first pull splits a
 * page between two loading connections, so each sorts and copies its share at the finish on a core of its own:
 * `rmas` stages the RMAs; `lines` their lines and photo hashes, with only the RMA numbers in bulk_rmas (to tell
 * which version of an RMA staged twice came last).
 */
export type StagedPart = 'rmas' | 'lines';

export function stageRmaPage(db: Db, page: Buffer, part: StagedPart): void {
  ensureStaging(db);
  // Staged rows are numbered on: each line carries its RMA's row number, as insertRmasBulk's do.
  const base = (prepared(db, 'SELECT coalesce(max(rowid), 0) AS n FROM staging.bulk_rmas').get() as { n: number }).n;
  const items = "jsonb_each(@page, '$.items')";
  if (part === 'lines') {
    prepared(db, `INSERT INTO staging.bulk_rmas (rowid, rma_number) SELECT @base + key + 1, value ->> 'rmaNumber' FROM ${items}`).run({ base, page });
    prepared(
      db,
      `INSERT INTO staging.bulk_lines (rma_row, ${LINE_COLUMNS})
       SELECT @base + r.key + 1, l.value ->> 'id', r.value ->> 'rmaNumber', l.key + 1, l.value ->> 'sku', l.value ->> 'qty', l.value ->> 'reason',
         l.value ->> 'reasonText', l.value ->> 'resolution', l.value ->> 'serialNumber', l.value ->> 'lot'
       FROM ${items} AS r, jsonb_each(r.value, '$.lines') AS l`,
    ).run({ base, page });
    prepared(
      db,
      `INSERT INTO staging.bulk_photos (rma_number, sha256, updated_at)
       SELECT r.value ->> 'rmaNumber', p.value, r.value ->> 'updatedAt' FROM ${items} AS r, jsonb_each(r.value, '$.declaration.photos') AS p`,
    ).run({ page });
    return;
  }
  prepared(
    db,
    `INSERT INTO staging.bulk_rmas (rowid, ${RMA_COLUMNS})
     SELECT @base + r.key + 1, v ->> 'rmaNumber', v ->> 'orderNumber', v ->> 'customerName', v ->> 'customerKana', v ->> 'customerPhone', v ->> 'carrier',
       v ->> 'trackingNumber', v ->> 'status', v ->> 'createdAt', v ->> 'updatedAt', v ->> 'deliveredAt', v ->> 'customerId', v ->> 'customerReturnRate',
       v ->> 'shopReturnPolicyDays', coalesce(v ->> 'returnChannel', 'home_pickup'), v ->> '$.declaration.condition', v ->> '$.declaration.complete',
       CASE WHEN v -> 'declaration' IS NOT NULL THEN coalesce(v ->> '$.declaration.text', '') END,
       CASE WHEN v -> 'declaration' IS NOT NULL THEN coalesce(json(v -> '$.declaration.photos'), '[]') END
     FROM (SELECT key, value AS v FROM ${items}) AS r`,
  ).run({ base, page });
}

/**
 * Moves the staged RMAs into the station's tables: each table's rows are sorted by its key once (into another
 * staging table, read and written in order), then appended `chunkRows` at a time, one transaction each (each holds
 * the write lock only briefly), awaiting `between` after each. An RMA staged twice is taken as it came last,
 * with that version's lines, as the upserts would leave it; its photo hashes are those of every version, the
 * first one's date kept.
 */
export async function copyStagedRmas(
  db: Db,
  chunkRows: number,
  between: () => Promise<void> = async () => undefined,
  /** false: bulk_rmas holds only RMA numbers (a `lines` stager): they choose the lines kept and are not copied. */
  copyRmas = true,
): Promise<number> {
  ensureStaging(db);
  const kept = sortInSmallRuns(db, () => {
    // One sort does both: grouped by RMA number, each group keeps its last staged row (SQLite takes a bare
    // column's value from the row where max() found its maximum).
    db.exec(`DROP TABLE IF EXISTS staging.sorted_rmas; DROP TABLE IF EXISTS staging.sorted_lines; DROP TABLE IF EXISTS staging.sorted_photos;
      CREATE TABLE staging.sorted_rmas AS SELECT max(rowid) AS staged_row, ${RMA_COLUMNS} FROM staging.bulk_rmas GROUP BY rma_number ORDER BY rma_number;`);
    const staged = (db.prepare('SELECT count(*) AS n FROM staging.bulk_rmas').get() as { n: number }).n;
    const kept = (db.prepare('SELECT count(*) AS n FROM staging.sorted_rmas').get() as { n: number }).n;
    // Lines of superseded versions are left out; with none (the usual load) the filter is skipped.
    if (staged === kept) db.exec(`CREATE TABLE staging.sorted_lines AS SELECT ${LINE_COLUMNS} FROM staging.bulk_lines ORDER BY id`);
    else db.exec(`CREATE TABLE staging.sorted_lines AS SELECT ${LINE_COLUMNS} FROM staging.bulk_lines WHERE rma_row IN (SELECT staged_row FROM staging.sorted_rmas) ORDER BY id`);
    db.exec(`DROP TABLE staging.bulk_rmas;
      DROP TABLE staging.bulk_lines;
      CREATE TABLE staging.sorted_photos AS SELECT rma_number, sha256, min(updated_at) AS updated_at FROM staging.bulk_photos GROUP BY rma_number, sha256 ORDER BY rma_number, sha256;
      DROP TABLE staging.bulk_photos;`);
    return kept;
  });
  if (!copyRmas) db.exec('DELETE FROM staging.sorted_rmas');
  const copies: [string, string][] = [
    ['sorted_rmas', `INSERT INTO main.rmas (${RMA_COLUMNS}) SELECT ${RMA_COLUMNS} FROM staging.sorted_rmas WHERE rowid BETWEEN ? AND ?`],
    ['sorted_lines', `INSERT INTO main.rma_lines (${LINE_COLUMNS}) SELECT ${LINE_COLUMNS} FROM staging.sorted_lines WHERE rowid BETWEEN ? AND ?`],
    [
      'sorted_photos',
      "INSERT OR IGNORE INTO main.customer_photos (rma_number, sha256, status, updated_at) SELECT rma_number, sha256, 'pending', updated_at FROM staging.sorted_photos WHERE rowid BETWEEN ? AND ?",
    ],
  ];
  for (const [table, sql] of copies) {
    const rows = (db.prepare(`SELECT count(*) AS n FROM staging.${table}`).get() as { n: number }).n;
    const copy = db.prepare(sql);
    for (let from = 1; from <= rows; from += chunkRows) {
      db.transaction(() => copy.run(from, from + chunkRows - 1))();
      await between();
    }
    db.exec(`DROP TABLE staging.${table}`);
  }
  return kept;
}

/**
 * Ends a bulk load once copyStagedRmas has run: builds the deferred indexes, then sets the RMA cursor and
 * clears the marker in one transaction, so the cursor never exists without the whole load and its indexes.
 */
export function finishBulkLoad(db: Db, rmaCursor: PullCursor | null): void {
  restoreDeferredIndexes(db);
  db.transaction(() => {
    if (rmaCursor && getCursor(db, 'rmas') === null) setCursor(db, 'rmas', rmaCursor);
    db.prepare('DELETE FROM settings WHERE key = ?').run(LOADING);
  })();
}

/** Whether a bulk load was started and has not finished (for tests and the start-up log). */
export function bulkLoadUnfinished(db: Db): boolean {
  return getSetting(db, LOADING) !== undefined;
}
