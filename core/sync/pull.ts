import type { PullCursor } from '../contract/index.js';
import type { Db } from '../../db/connection.js';
import { upsertProducts, upsertRmas } from '../../db/repositories/referenceData.js';
import { getCursor, setCursor } from '../../db/repositories/syncCursors.js';
import type { WmsClient } from './wmsClient.js';

export interface PullReport {
  products: number;
  rmas: number;
  /** RMA numbers held back because a parcel for them is open (see rma_sync_conflicts). */
  conflicts: string[];
}

const advanced = (before: PullCursor | null, after: PullCursor): boolean =>
  before === null || after.updatedSince > before.updatedSince || (after.updatedSince === before.updatedSince && after.afterId > before.afterId);

/**
 * Pulls products, then RMAs, page by page from the stored cursors. Each page and its cursor commit in
 * one transaction, so a crash resumes after the last whole page.
 */
export async function pullReferenceData(db: Db, client: WmsClient, pageSize = 500): Promise<PullReport> {
  const report: PullReport = { products: 0, rmas: 0, conflicts: [] };

  let cursor = getCursor(db, 'products');
  for (;;) {
    const page = await client.products(cursor, pageSize);
    const last = page.items.at(-1);
    if (!last) break;
    const next = { updatedSince: last.updatedAt, afterId: last.sku };
    // A WMS that hands back the same rows again would loop forever.
    if (!advanced(cursor, next)) break;
    db.transaction(() => {
      upsertProducts(db, page.items);
      setCursor(db, 'products', next);
    })();
    report.products += page.items.length;
    cursor = next;
    if (page.next === null) break;
  }

  cursor = getCursor(db, 'rmas');
  for (;;) {
    const page = await client.rmas(cursor, pageSize);
    const last = page.items.at(-1);
    if (!last) break;
    const next = { updatedSince: last.updatedAt, afterId: last.rmaNumber };
    if (!advanced(cursor, next)) break;
    db.transaction(() => {
      const r = upsertRmas(db, page.items);
      report.conflicts.push(...r.conflicts);
      setCursor(db, 'rmas', next);
    })();
    report.rmas += page.items.length;
    cursor = next;
    if (page.next === null) break;
  }
  return report;
}
