import type { PullCursor, Rma } from '../../contract/index.js';
import type { Db } from '../connection.js';
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

/**
 * Plain INSERTs of RMAs, their lines and their customers' photo hashes into tables a bulk load started empty,
 * inside the caller's transaction: no probe for an existing row, an open parcel or a dropped line.
 */
export function insertRmasBulk(db: Db, rmas: readonly Rma[]): void {
  const rma = prepared(
    db,
    `INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at,
                       delivered_at, customer_id, customer_return_rate, shop_return_policy_days,
                       return_channel, declared_condition, declared_complete, declared_text, declared_photos_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const line = prepared(db, 'INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text, resolution, serial_number, lot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const photo = prepared(db, "INSERT OR IGNORE INTO customer_photos (rma_number, sha256, status, updated_at) VALUES (?, ?, 'pending', ?)");
  for (const r of rmas) {
    const d = r.declaration;
    rma.run(
      r.rmaNumber,
      r.orderNumber,
      r.customerName,
      r.customerKana,
      r.customerPhone,
      r.carrier,
      r.trackingNumber,
      r.status,
      r.createdAt,
      r.updatedAt,
      r.deliveredAt ?? null,
      r.customerId ?? null,
      r.customerReturnRate ?? null,
      r.shopReturnPolicyDays ?? null,
      r.returnChannel,
      d?.condition ?? null,
      d === undefined ? null : d.complete ? 1 : 0,
      d?.text ?? null,
      d === undefined ? null : JSON.stringify(d.photos),
    );
    for (let i = 0; i < r.lines.length; i++) {
      const l = r.lines[i]!;
      line.run(l.id, r.rmaNumber, i + 1, l.sku, l.qty, l.reason, l.reasonText, l.resolution ?? null, l.serialNumber ?? null, l.lot ?? null);
    }
    if (d) for (const sha of d.photos) photo.run(r.rmaNumber, sha, r.updatedAt);
  }
}

/**
 * Ends a bulk load: builds the deferred indexes, then sets the RMA cursor and clears the marker in one
 * transaction, so the cursor never exists without the whole load and its indexes behind it.
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
