import { CustomerDeclaration, type Product, type Rma, type RmaLine } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

export function upsertProducts(db: Db, products: readonly Product[]): void {
  const stmt = db.prepare(
    `INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at)
     VALUES (@sku, @gtin, @name, @nameJa, @category, @priceJpy, @weightGrams, @updatedAt)
     ON CONFLICT (sku) DO UPDATE SET gtin = excluded.gtin, name = excluded.name, name_ja = excluded.name_ja,
       category = excluded.category, price_jpy = excluded.price_jpy, weight_grams = excluded.weight_grams,
       updated_at = excluded.updated_at`,
  );
  db.transaction(() => {
    for (const p of products) stmt.run(p);
  })();
}

type Nullable<T> = { [K in keyof T]-?: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K] };

/** Optional contract fields are NULL columns; the contract shape leaves them out rather than null. */
function withoutNulls<T extends object>(row: Nullable<T>): T {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) as T;
}

/** The RMA as stored locally, in contract shape, or undefined. */
export function getLocalRma(db: Db, rmaNumber: string): Rma | undefined {
  const h = prepared(
    db,
    `SELECT rma_number AS rmaNumber, order_number AS orderNumber, customer_name AS customerName, customer_kana AS customerKana,
              customer_phone AS customerPhone, carrier, tracking_number AS trackingNumber, status, created_at AS createdAt,
              updated_at AS updatedAt, delivered_at AS deliveredAt, customer_id AS customerId,
              customer_return_rate AS customerReturnRate, shop_return_policy_days AS shopReturnPolicyDays,
              return_channel AS returnChannel, declared_condition, declared_complete, declared_text, declared_photos_json
         FROM rmas WHERE rma_number = ?`,
  ).get(rmaNumber) as (Nullable<Omit<Rma, 'lines' | 'declaration'>> & DeclarationColumns) | undefined;
  if (!h) return undefined;
  const { declared_condition, declared_complete, declared_text, declared_photos_json, ...header } = h;
  const declaration = declarationOf({ declared_condition, declared_complete, declared_text, declared_photos_json });
  const lines = prepared(
    db,
    `SELECT id, sku, qty, reason, reason_text AS reasonText, resolution, serial_number AS serialNumber, lot
       FROM rma_lines WHERE rma_number = ? ORDER BY line_no`,
  ).all(rmaNumber) as Nullable<RmaLine>[];
  return {
    ...withoutNulls<Omit<Rma, 'lines' | 'declaration'>>(header),
    ...(declaration ? { declaration } : {}),
    lines: lines.map((l) => withoutNulls<RmaLine>(l)),
  };
}

/** The declaration columns of `rmas`, as stored. */
export interface DeclarationColumns {
  declared_condition: string | null;
  declared_complete: number | null;
  declared_text: string | null;
  declared_photos_json: string | null;
}

/** The stored declaration back in contract shape; undefined when the customer declared nothing. */
export function declarationOf(c: DeclarationColumns): CustomerDeclaration | undefined {
  if (c.declared_condition === null) return undefined;
  return CustomerDeclaration.parse({
    condition: c.declared_condition,
    complete: c.declared_complete === 1,
    text: c.declared_text ?? '',
    photos: c.declared_photos_json === null ? [] : (JSON.parse(c.declared_photos_json) as unknown),
  });
}

/** JSON with object keys sorted, so key order (SQL columns vs the WMS's JSON) does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Same content apart from the WMS's update timestamp. */
function sameContent(a: Rma, b: Rma): boolean {
  return canonical({ ...a, updatedAt: '' }) === canonical({ ...b, updatedAt: '' });
}

function writeRma(db: Db, rma: Rma, knownToExist?: boolean): void {
  // A new RMA has no lines to drop: skip that DELETE (a first pull writes a million new RMAs).
  const existed = knownToExist ?? prepared(db, 'SELECT 1 FROM rmas WHERE rma_number = ?').get(rma.rmaNumber) !== undefined;
  prepared(
    db,
    `INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at,
                       delivered_at, customer_id, customer_return_rate, shop_return_policy_days,
                       return_channel, declared_condition, declared_complete, declared_text, declared_photos_json)
     VALUES (@rmaNumber, @orderNumber, @customerName, @customerKana, @customerPhone, @carrier, @trackingNumber, @status, @createdAt, @updatedAt,
             @deliveredAt, @customerId, @customerReturnRate, @shopReturnPolicyDays,
             @returnChannel, @declaredCondition, @declaredComplete, @declaredText, @declaredPhotosJson)
     ON CONFLICT (rma_number) DO UPDATE SET order_number = excluded.order_number, customer_name = excluded.customer_name,
       customer_kana = excluded.customer_kana, customer_phone = excluded.customer_phone, carrier = excluded.carrier,
       tracking_number = excluded.tracking_number, status = excluded.status, created_at = excluded.created_at,
       updated_at = excluded.updated_at, delivered_at = excluded.delivered_at, customer_id = excluded.customer_id,
       customer_return_rate = excluded.customer_return_rate, shop_return_policy_days = excluded.shop_return_policy_days,
       return_channel = excluded.return_channel, declared_condition = excluded.declared_condition,
       declared_complete = excluded.declared_complete, declared_text = excluded.declared_text,
       declared_photos_json = excluded.declared_photos_json`,
  ).run({
    rmaNumber: rma.rmaNumber,
    orderNumber: rma.orderNumber,
    customerName: rma.customerName,
    customerKana: rma.customerKana,
    customerPhone: rma.customerPhone,
    carrier: rma.carrier,
    trackingNumber: rma.trackingNumber,
    status: rma.status,
    createdAt: rma.createdAt,
    updatedAt: rma.updatedAt,
    deliveredAt: rma.deliveredAt ?? null,
    customerId: rma.customerId ?? null,
    customerReturnRate: rma.customerReturnRate ?? null,
    shopReturnPolicyDays: rma.shopReturnPolicyDays ?? null,
    returnChannel: rma.returnChannel,
    declaredCondition: rma.declaration?.condition ?? null,
    declaredComplete: rma.declaration === undefined ? null : rma.declaration.complete ? 1 : 0,
    declaredText: rma.declaration?.text ?? null,
    declaredPhotosJson: rma.declaration === undefined ? null : JSON.stringify(rma.declaration.photos),
  });
  const upsertLine = prepared(
    db,
    `INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text, resolution, serial_number, lot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET rma_number = excluded.rma_number, line_no = excluded.line_no, sku = excluded.sku,
       qty = excluded.qty, reason = excluded.reason, reason_text = excluded.reason_text, resolution = excluded.resolution,
       serial_number = excluded.serial_number, lot = excluded.lot`,
  );
  rma.lines.forEach((l, i) =>
    upsertLine.run(l.id, rma.rmaNumber, i + 1, l.sku, l.qty, l.reason, l.reasonText, l.resolution ?? null, l.serialNumber ?? null, l.lot ?? null),
  );
  // The customer's photos are fetched after the pull; a hash already known keeps its status.
  if (rma.declaration) {
    const pending = prepared(db, "INSERT OR IGNORE INTO customer_photos (rma_number, sha256, status, updated_at) VALUES (?, ?, 'pending', ?)");
    for (const sha of rma.declaration.photos) pending.run(rma.rmaNumber, sha, rma.updatedAt);
  }
  // Lines the WMS dropped go, unless an item already received against one still points at it.
  if (!existed) return;
  const keep = rma.lines.map((l) => l.id);
  prepared(
    db,
    `DELETE FROM rma_lines WHERE rma_number = ? AND id NOT IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM items WHERE items.rma_line_id = rma_lines.id)`,
  ).run(rma.rmaNumber, JSON.stringify(keep));
}

export interface UpsertRmasResult {
  applied: number;
  /** RMAs held back because a parcel for them is open at the bench. */
  conflicts: string[];
}

/**
 * Applies RMAs from the WMS. When an RMA with an open parcel changed, the bench's copy stays as the
 * operator sees it and the WMS version is recorded in rma_sync_conflicts for a lead to decide.
 */
export function upsertRmas(db: Db, rmas: readonly Rma[], detectedAt: string = new Date().toISOString()): UpsertRmasResult {
  const openParcel = prepared(db, "SELECT id FROM parcels WHERE rma_number = ? AND status = 'open' ORDER BY received_at LIMIT 1");
  const openConflict = prepared(db, 'SELECT id FROM rma_sync_conflicts WHERE rma_number = ? AND resolved_at IS NULL LIMIT 1');
  const result: UpsertRmasResult = { applied: 0, conflicts: [] };
  db.transaction(() => {
    for (const rma of rmas) {
      // Only an RMA with a parcel open at the bench can conflict; the parcel check is one index probe,
      // so the local copy is read (two queries and an object) only for those few.
      const parcel = openParcel.get(rma.rmaNumber) as { id: string } | undefined;
      const local = parcel ? getLocalRma(db, rma.rmaNumber) : undefined;
      if (local && parcel && !sameContent(local, rma)) {
        const kind = rma.status === 'cancelled' ? 'cancelled' : 'changed';
        const existing = openConflict.get(rma.rmaNumber) as { id: number } | undefined;
        if (existing) {
          db.prepare('UPDATE rma_sync_conflicts SET incoming = ?, kind = ?, detected_at = ? WHERE id = ?').run(JSON.stringify(rma), kind, detectedAt, existing.id);
        } else {
          db.prepare('INSERT INTO rma_sync_conflicts (rma_number, parcel_id, kind, incoming, detected_at) VALUES (?, ?, ?, ?, ?)').run(
            rma.rmaNumber,
            parcel.id,
            kind,
            JSON.stringify(rma),
            detectedAt,
          );
        }
        result.conflicts.push(rma.rmaNumber);
        continue;
      }
      writeRma(db, rma);
      result.applied++;
    }
  })();
  return result;
}

/**
 * upsertRmas for a few dozen rows, inside the caller's transaction: which of them have an open parcel and
 * which exist already is asked once for the batch (two queries) instead of with two probes per row. The
 * pull applies its pages in such batches between turns of the event loop.
 */
export function upsertRmaBatch(db: Db, rmas: readonly Rma[], detectedAt: string = new Date().toISOString()): UpsertRmasResult {
  const numbers = JSON.stringify(rmas.map((r) => r.rmaNumber));
  const withOpenParcel = new Set(
    (
      prepared(db, "SELECT DISTINCT rma_number AS n FROM parcels WHERE status = 'open' AND rma_number IN (SELECT value FROM json_each(?))").all(
        numbers,
      ) as { n: string }[]
    ).map((r) => r.n),
  );
  const existing = new Set(
    (prepared(db, 'SELECT rma_number AS n FROM rmas WHERE rma_number IN (SELECT value FROM json_each(?))').all(numbers) as { n: string }[]).map((r) => r.n),
  );
  const result: UpsertRmasResult = { applied: 0, conflicts: [] };
  for (const rma of rmas) {
    if (withOpenParcel.has(rma.rmaNumber)) {
      // The rare case: compare with the bench's copy and maybe record a conflict, exactly as upsertRmas does.
      const one = upsertRmas(db, [rma], detectedAt);
      result.applied += one.applied;
      result.conflicts.push(...one.conflicts);
    } else {
      writeRma(db, rma, existing.has(rma.rmaNumber));
      result.applied++;
    }
    // The same RMA twice in one batch: the second write must drop lines the first left.
    existing.add(rma.rmaNumber);
  }
  return result;
}

export interface RmaSyncConflict {
  id: number;
  rmaNumber: string;
  parcelId: string;
  kind: 'changed' | 'cancelled';
  incoming: Rma;
  detectedAt: string;
}

export function listOpenRmaConflicts(db: Db): RmaSyncConflict[] {
  const rows = db
    .prepare(
      `SELECT id, rma_number AS rmaNumber, parcel_id AS parcelId, kind, incoming, detected_at AS detectedAt
         FROM rma_sync_conflicts WHERE resolved_at IS NULL ORDER BY id`,
    )
    .all() as (Omit<RmaSyncConflict, 'incoming'> & { incoming: string })[];
  return rows.map((r) => ({ ...r, incoming: JSON.parse(r.incoming) as Rma }));
}

export function hasOpenRmaConflict(db: Db, rmaNumber: string): boolean {
  return db.prepare('SELECT 1 FROM rma_sync_conflicts WHERE rma_number = ? AND resolved_at IS NULL').get(rmaNumber) !== undefined;
}

/** A lead's decision: take the WMS version now, or keep the bench's copy. The caller audits it. */
export function resolveRmaConflict(db: Db, id: number, resolution: 'applied' | 'kept_local', at: string = new Date().toISOString()): boolean {
  return db.transaction(() => {
    const row = db.prepare('SELECT incoming FROM rma_sync_conflicts WHERE id = ? AND resolved_at IS NULL').get(id) as { incoming: string } | undefined;
    if (!row) return false;
    if (resolution === 'applied') writeRma(db, JSON.parse(row.incoming) as Rma);
    db.prepare('UPDATE rma_sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?').run(at, resolution, id);
    return true;
  })();
}

