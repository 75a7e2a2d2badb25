import { z } from 'zod';
import { Product, PullCursor, Rma } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { withLargePageCache, withoutAutoCheckpoint, withRelaxedSync } from '../../db/tuning.js';
import { upsertProducts, upsertRmaBatch } from '../../db/repositories/referenceData.js';
import { getCursor, setCursor } from '../../db/repositories/syncCursors.js';
import { deferRmaIndexes, restoreDeferredIndexes, restoreDeferredIndexesStepwise } from '../../db/repositories/deferredIndexes.js';
import { WmsError, type WmsClient } from './wmsClient.js';
import { checkpointBetweenSlices, SLICE_MS, yieldToLoop } from './slices.js';
import { bulkLoadEligible } from '../../db/repositories/bulkReference.js';
import { startBulkLoader, type BulkOptions } from './bulkLoad.js';

export interface PullReport {
  products: number;
  rmas: number;
  /** RMA numbers held back because a parcel for them is open (see rma_sync_conflicts). */
  conflicts: string[];
}

const advanced = (before: PullCursor | null, after: PullCursor): boolean =>
  before === null || after.updatedSince > before.updatedSince || (after.updatedSince === before.updatedSince && after.afterId > before.afterId);

export interface PullOptions {
  /** Rows per HTTP page (the contract allows up to 1000). */
  pageSize?: number;
  /**
   * Pages are fetched and checked until about this many rows wait, and only then written: a page that
   * fails its check, or a fetch that fails, leaves nothing of the group behind. The group is written in
   * short transactions (see SLICE_MS), each with the cursor after its last row.
   */
  commitRows?: number;
  /** Longest stretch, in ms, the pull keeps the event loop before it yields (checking rows, writing them). */
  sliceMs?: number;
  /**
   * A first pull into a station with no RMAs goes through the bulk load (bulkLoad.ts: a worker thread,
   * plain INSERTs, the RMA cursor only at the end) when the client hands over raw pages; false: never.
   */
  bulk?: BulkOptions | false;
}

const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_COMMIT_ROWS = 5000;
/** Rows per upsert call within a slice: two set queries per batch instead of two probes per row. */
const BATCH_ROWS = 32;

/** What a page must look like before its rows are checked one by one. */
const PageEnvelope = z.object({ items: z.array(z.unknown()), next: PullCursor.nullable() });

/**
 * Pulls products, then RMAs, page by page from the stored cursors. The next page downloads while the
 * current one is checked and written. No step holds the event loop for more than about `sliceMs`: rows
 * are checked against the contract a slice at a time, and written in short transactions that each carry
 * the cursor after their last row, so a crash resumes exactly where the last one committed.
 */
export async function pullReferenceData(db: Db, client: WmsClient, options: PullOptions | number = {}): Promise<PullReport> {
  const o = typeof options === 'number' ? { pageSize: options } : options;
  if (o.bulk !== false && client.pageBytes && !db.memory && bulkLoadEligible(db)) {
    const report = await pullBulk(db, client, o.pageSize ?? DEFAULT_PAGE_SIZE, o.bulk ?? {});
    if (report) return report;
  }
  // A big pull inserts into indexes keyed at random (tracking number, SKU, customer); with SQLite's
  // 2 MB default page cache each insert re-reads its index page (bench, 1M RMAs into an empty
  // station: 236 -> 188 s CPU with 128 MB). The cache shrinks back once the pull ends.
  return withLargePageCache(db, async () => {
    // A pull that crashed while its indexes were deferred left them out: put them back before anything else.
    restoreDeferredIndexes(db);
    deferRmaIndexes(db);
    // Checkpoints happen between slices (writeInSlices), never inside one of the pull's commits.
    try {
      return await withoutAutoCheckpoint(db, () => pullAll(db, client, o));
    } finally {
      await restoreDeferredIndexesStepwise(db, yieldToLoop);
    }
  });
}

interface Page<T> {
  items: T[];
  next: PullCursor | null;
}

interface ResourcePull<T extends { updatedAt: string }> {
  name: 'products' | 'rmas';
  row: z.ZodType<T, unknown>;
  idOf: (row: T) => string;
  /** Pages already checked by the client (a client without pageJson). */
  validatedPage: (cursor: PullCursor | null, limit: number) => Promise<Page<T>>;
  /** Writes a few rows inside the slice's transaction. */
  write: (rows: T[]) => void;
}

async function pullAll(db: Db, client: WmsClient, o: PullOptions): Promise<PullReport> {
  const settings: Settings = {
    pageSize: o.pageSize ?? DEFAULT_PAGE_SIZE,
    commitRows: Math.max(o.pageSize ?? DEFAULT_PAGE_SIZE, o.commitRows ?? DEFAULT_COMMIT_ROWS),
    sliceMs: o.sliceMs ?? SLICE_MS,
  };
  const report: PullReport = { products: 0, rmas: 0, conflicts: [] };
  const detectedAt = new Date().toISOString();

  report.products = await pullResource(db, client, settings, {
    name: 'products',
    row: Product,
    idOf: (p) => p.sku,
    validatedPage: (c, n) => client.products(c, n),
    write: (rows) => upsertProducts(db, rows),
  });
  report.rmas = await pullResource(db, client, settings, {
    name: 'rmas',
    row: Rma,
    idOf: (r) => r.rmaNumber,
    validatedPage: (c, n) => client.rmas(c, n),
    write: (rows) => {
      report.conflicts.push(...upsertRmaBatch(db, rows, detectedAt).conflicts);
    },
  });
  return report;
}

interface Settings {
  pageSize: number;
  commitRows: number;
  sliceMs: number;
}

/** One page, its shape checked at once and its rows a slice at a time (each row checked once, never re-parsed). */
async function fetchPage<T extends { updatedAt: string }>(
  client: WmsClient,
  r: ResourcePull<T>,
  cursor: PullCursor | null,
  limit: number,
  sliceMs: number,
): Promise<Page<T>> {
  if (!client.pageJson) return r.validatedPage(cursor, limit);
  const raw = await client.pageJson(r.name, cursor, limit);
  const where = `the WMS's ${r.name} page${cursor ? ` after ${cursor.updatedSince} / ${cursor.afterId}` : ''}`;
  const envelope = PageEnvelope.safeParse(raw);
  if (!envelope.success) {
    const first = envelope.error.issues[0];
    throw new WmsError('malformed', `${where} does not match the contract (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown'})`, true);
  }
  const rows = envelope.data.items;
  const items: T[] = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; ) {
    const started = performance.now();
    do {
      const parsed = r.row.safeParse(rows[i]);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const id = idHint(rows[i]);
        throw new WmsError(
          'malformed',
          `${where}: row ${i + 1}${id ? ` (${id})` : ''} does not match the contract (${first ? `${first.path.join('.') || '(row)'}: ${first.message}` : 'unknown'}); nothing of this page was written`,
          true,
        );
      }
      items[i++] = parsed.data;
    } while (i < rows.length && performance.now() - started < sliceMs);
    if (i < rows.length) await yieldToLoop();
  }
  return { items, next: envelope.data.next };
}

/** The row's id for the error message, when it has one that reads like one. */
function idHint(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const o = row as Record<string, unknown>;
  const id = o.rmaNumber ?? o.sku;
  return typeof id === 'string' ? id.slice(0, 40) : undefined;
}

/**
 * One resource by cursor: pages are gathered (and checked) until about `commitRows` rows wait, then
 * written in slices. Returns the rows written.
 */
async function pullResource<T extends { updatedAt: string }>(db: Db, client: WmsClient, s: Settings, r: ResourcePull<T>): Promise<number> {
  let applied = 0;
  let cursor = getCursor(db, r.name);
  // A page downloading while the previous group is written may fail before anyone awaits it: marked as
  // handled here, its error still reaches the pull when it is awaited.
  const prefetch = (from: PullCursor | null): Promise<Page<T>> => {
    const p = fetchPage(client, r, from, s.pageSize, s.sliceMs);
    p.catch(() => undefined);
    return p;
  };
  let pending: Promise<Page<T>> | null = prefetch(cursor);
  for (let done = false; !done; ) {
    const rows: T[] = [];
    let next = cursor;
    while (rows.length < s.commitRows && pending) {
      const page: Page<T> = await pending;
      pending = null;
      const last = page.items.at(-1);
      const after = last ? { updatedSince: last.updatedAt, afterId: r.idOf(last) } : null;
      // A WMS that hands back the same rows again would loop forever.
      if (!after || !advanced(next, after)) {
        done = true;
        break;
      }
      // The next page downloads (and is checked) while this group is written.
      if (page.next !== null) pending = prefetch(after);
      for (const row of page.items) rows.push(row);
      next = after;
      if (page.next === null) done = true;
    }
    if (rows.length === 0 || !next) break;
    await writeInSlices(db, s, r, rows);
    applied += rows.length;
    cursor = next;
    if (!pending) break;
  }
  return applied;
}

/**
 * Writes rows in transactions of about `sliceMs` each, with the cursor after the slice's last row, and
 * yields between them so a scan that arrives meanwhile waits at most one slice. Commits skip the fsync:
 * losing the last slices to a power cut loses their cursor with them, and the next pull fetches them again.
 */
async function writeInSlices<T extends { updatedAt: string }>(db: Db, s: Settings, r: ResourcePull<T>, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; ) {
    const started = performance.now();
    let end = i;
    withRelaxedSync(db, () => {
      do {
        const batch = rows.slice(end, end + BATCH_ROWS);
        r.write(batch);
        end += batch.length;
      } while (end < rows.length && performance.now() - started < s.sliceMs);
      const last = rows[end - 1] as T;
      setCursor(db, r.name, { updatedSince: last.updatedAt, afterId: r.idOf(last) });
    });
    i = end;
    await yieldToLoop();
    await checkpointBetweenSlices(db);
  }
}

/**
 * A first pull into a station with no RMAs: each page's body goes as bytes to the bulk-load worker, which
 * answers with the cursor after its last row as soon as it has read it; the next page downloads while the last
 * one is staged and checked (bulkLoad.ts). The RMA cursor is set only once every page is in and the indexes are built, so a pull cut
 * short (a failed fetch, a malformed row, a crash) leaves none, and the next one starts the load again.
 * Returns null when the worker found the station no longer empty (the caller pulls row by row).
 */
async function pullBulk(db: Db, client: WmsClient, pageSize: number, bulk: BulkOptions): Promise<PullReport | null> {
  const pageBytes = client.pageBytes!.bind(client);
  const loader = startBulkLoader({ dbFile: db.name, ...bulk });
  try {
    if (!(await loader.begin())) return null;
    const pages = async (name: 'products' | 'rmas', from: PullCursor | null): Promise<{ rows: number; cursor: PullCursor | null }> => {
      let cursor = from;
      let rows = 0;
      for (;;) {
        const where = `the WMS's ${name} page${cursor ? ` after ${cursor.updatedSince} / ${cursor.afterId}` : ''}`;
        const page = await loader.page(name, await pageBytes(name, cursor, pageSize), where);
        // A WMS that hands back the same rows again would loop forever.
        if (!page.after || !advanced(cursor, page.after)) break;
        rows += page.rows;
        cursor = page.after;
        if (!page.more) break;
      }
      return { rows, cursor };
    };
    const products = await pages('products', getCursor(db, 'products'));
    const rmas = await pages('rmas', null);
    await loader.finish(rmas.cursor);
    return { products: products.rows, rmas: rmas.rows, conflicts: [] };
  } finally {
    await loader.close();
  }
}
