// The reference pull as it was before issue 16 point 2, kept only so `npm run bench` measures it beside
// the current one in the same run (before -> after): pages validated as a whole by the client's zod schema,
// about 5,000 rows upserted per transaction (the event loop held for each), one RMA at a time.
import type { PullCursor } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { withLargePageCache } from '../../db/tuning.js';
import { upsertProducts, upsertRmas } from '../../db/repositories/referenceData.js';
import { getCursor, setCursor } from '../../db/repositories/syncCursors.js';
import { deferRmaIndexes, restoreDeferredIndexes } from '../../db/repositories/deferredIndexes.js';
import type { WmsClient } from '../../core/sync/wmsClient.js';
import type { PullReport } from '../../core/sync/pull.js';


const advanced = (before: PullCursor | null, after: PullCursor): boolean =>
  before === null || after.updatedSince > before.updatedSince || (after.updatedSince === before.updatedSince && after.afterId > before.afterId);

export interface PullOptions {
  /** Rows per HTTP page (the contract allows up to 1000). */
  pageSize?: number;
  /**
   * Pages are fetched until about this many rows wait, then applied with their cursor in one
   * transaction. One commit per 500-row page made a first pull of 1M RMAs write the random-key
   * indexes (tracking, SKU, customer) to the WAL over and over; fewer, larger commits let SQLite
   * write each touched index page once per group. Lower it if a long apply would delay scans.
   */
  commitRows?: number;
}

const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_COMMIT_ROWS = 5000;

/**
 * Pulls products, then RMAs, page by page from the stored cursors. A group of pages and the cursor
 * after its last page commit in one transaction, so a crash resumes after the last whole group.
 */
export async function pullReferenceDataBefore(db: Db, client: WmsClient, options: PullOptions | number = {}): Promise<PullReport> {
  // A big pull inserts into indexes keyed at random (tracking number, SKU, customer); with SQLite's
  // 2 MB default page cache each insert re-reads its index page (bench, 1M RMAs into an empty
  // station: 236 -> 188 s CPU with 128 MB). The cache shrinks back once the pull ends.
  return withLargePageCache(db, async () => {
    // A pull that crashed while its indexes were deferred left them out: put them back before anything else.
    restoreDeferredIndexes(db);
    deferRmaIndexes(db);
    try {
      return await pullAll(db, client, options);
    } finally {
      restoreDeferredIndexes(db);
    }
  });
}

async function pullAll(db: Db, client: WmsClient, options: PullOptions | number): Promise<PullReport> {
  const o = typeof options === 'number' ? { pageSize: options } : options;
  const pageSize = o.pageSize ?? DEFAULT_PAGE_SIZE;
  const commitRows = Math.max(pageSize, o.commitRows ?? DEFAULT_COMMIT_ROWS);
  const report: PullReport = { products: 0, rmas: 0, conflicts: [] };

  report.products = await pullResource(db, 'products', pageSize, commitRows, (c, n) => client.products(c, n), (p) => p.sku, (rows) => {
    upsertProducts(db, rows);
  });
  report.rmas = await pullResource(db, 'rmas', pageSize, commitRows, (c, n) => client.rmas(c, n), (r) => r.rmaNumber, (rows) => {
    report.conflicts.push(...upsertRmas(db, rows).conflicts);
  });
  return report;
}

/**
 * One resource by cursor: pages are gathered until about `commitRows` rows wait, then applied
 * together with the cursor after their last row in one transaction. Returns the rows applied.
 */
async function pullResource<T extends { updatedAt: string }>(
  db: Db,
  resource: 'products' | 'rmas',
  pageSize: number,
  commitRows: number,
  fetchPage: (cursor: PullCursor | null, limit: number) => Promise<{ items: T[]; next: PullCursor | null }>,
  idOf: (row: T) => string,
  apply: (rows: T[]) => void,
): Promise<number> {
  let applied = 0;
  let cursor = getCursor(db, resource);
  for (let done = false; !done; ) {
    const rows: T[] = [];
    let next = cursor;
    while (rows.length < commitRows) {
      const page = await fetchPage(next, pageSize);
      const last = page.items.at(-1);
      const after = last ? { updatedSince: last.updatedAt, afterId: idOf(last) } : null;
      // A WMS that hands back the same rows again would loop forever.
      if (!after || !advanced(next, after)) {
        done = true;
        break;
      }
      rows.push(...page.items);
      next = after;
      if (page.next === null) {
        done = true;
        break;
      }
    }
    if (rows.length === 0 || !next) break;
    const cursorAfter = next;
    db.transaction(() => {
      apply(rows);
      setCursor(db, resource, cursorAfter);
    })();
    applied += rows.length;
    cursor = cursorAfter;
  }
  return applied;
}
