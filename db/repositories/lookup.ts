import type { Category, ReturnChannel, ReturnReason } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

export interface RmaRow {
  rma_number: string;
  order_number: string;
  customer_name: string;
  carrier: string;
  tracking_number: string;
  status: string;
  created_at?: string;
  /** Absent from the blind-return candidate query, which does not need it. */
  return_channel?: ReturnChannel;
}

export interface RmaLineRow {
  id: string;
  sku: string;
  qty: number;
  reason: ReturnReason;
  reason_text: string;
  gtin: string;
  name: string;
  name_ja: string;
  category: Category;
  price_jpy: number;
  weight_grams: number;
}

const RMA_COLUMNS = 'rma_number, order_number, customer_name, carrier, tracking_number, status, return_channel';

export function findRmaByTracking(db: Db, trackingNumber: string): RmaRow | undefined {
  return prepared(db, `SELECT ${RMA_COLUMNS} FROM rmas WHERE tracking_number = ?`).get(trackingNumber) as RmaRow | undefined;
}

export function findRmaByNumber(db: Db, rmaNumber: string): RmaRow | undefined {
  return prepared(db, `SELECT ${RMA_COLUMNS} FROM rmas WHERE rma_number = ?`).get(rmaNumber) as RmaRow | undefined;
}

export function findRmaByOrder(db: Db, orderNumber: string): RmaRow | undefined {
  return prepared(db, `SELECT ${RMA_COLUMNS} FROM rmas WHERE order_number = ? ORDER BY created_at DESC LIMIT 1`).get(orderNumber) as
    | RmaRow
    | undefined;
}

/** Lines with their product; a line whose SKU is not (yet) in the product table is still returned. */
export function rmaLines(db: Db, rmaNumber: string): RmaLineRow[] {
  return prepared(db, 
      `SELECT l.id, l.sku, l.qty, l.reason, l.reason_text,
              COALESCE(p.gtin, '') AS gtin, COALESCE(p.name, l.sku) AS name, COALESCE(p.name_ja, l.sku) AS name_ja,
              COALESCE(p.category, 'apparel') AS category, COALESCE(p.price_jpy, 0) AS price_jpy,
              COALESCE(p.weight_grams, 0) AS weight_grams
         FROM rma_lines l LEFT JOIN products p ON p.sku = l.sku
        WHERE l.rma_number = ? ORDER BY l.line_no`,
    )
    .all(rmaNumber) as RmaLineRow[];
}

export interface ProductRow {
  sku: string;
  gtin: string;
  name: string;
  name_ja: string;
  category: Category;
  price_jpy: number;
  weight_grams: number;
}

const PRODUCT_COLUMNS = 'sku, gtin, name, name_ja, category, price_jpy, weight_grams';

export function findProductByGtin(db: Db, gtin14: string): ProductRow | undefined {
  return prepared(db, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE gtin = ? ORDER BY sku LIMIT 1`).get(gtin14) as ProductRow | undefined;
}

export function findProductBySku(db: Db, sku: string): ProductRow | undefined {
  return prepared(db, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE sku = ?`).get(sku) as ProductRow | undefined;
}

/** RMAs still expecting goods (open or partly received) with a line for one of these SKUs, newest first. */
export function openRmasWithSku(db: Db, skus: readonly string[], limit = 20): RmaRow[] {
  if (skus.length === 0) return [];
  return prepared(db, 
      `SELECT DISTINCT r.rma_number, r.order_number, r.customer_name, r.carrier, r.tracking_number, r.status, r.created_at
         FROM rmas r JOIN rma_lines l ON l.rma_number = r.rma_number
        WHERE l.sku IN (SELECT value FROM json_each(?)) AND r.status IN ('open','received')
        ORDER BY r.created_at DESC LIMIT ?`,
    )
    .all(JSON.stringify(skus), limit) as RmaRow[];
}

/** SKUs whose product has this GTIN (a GTIN can be shared by size variants in poor master data). */
export function skusForGtin(db: Db, gtin14: string): string[] {
  return (prepared(db, 'SELECT sku FROM products WHERE gtin = ? ORDER BY sku').all(gtin14) as { sku: string }[]).map((r) => r.sku);
}

export interface RmaSearchRow {
  rma_number: string;
  order_number: string;
  customer_name: string;
  customer_kana: string;
  customer_phone: string;
  tracking_number: string;
  status: string;
  created_at: string;
}

/** Every RMA's searchable fields; the caller normalises Japanese text (no SQLite collation does kana folding). */
export function* iterateRmaSearchRows(db: Db): Generator<RmaSearchRow> {
  yield* db
    .prepare('SELECT rma_number, order_number, customer_name, customer_kana, customer_phone, tracking_number, status, created_at FROM rmas ORDER BY created_at DESC')
    .iterate() as IterableIterator<RmaSearchRow>;
}

/** What the WMS told about the sale behind an RMA (migration 005); every field may be absent in older data. */
export interface RmaSaleDetails {
  created_at: string;
  delivered_at: string | null;
  customer_return_rate: number | null;
  shop_return_policy_days: number | null;
  /** The customer's declaration (migration 008); condition NULL: nothing declared. */
  declared_condition: string | null;
  declared_complete: number | null;
  declared_text: string | null;
  declared_photos_json: string | null;
}

export function rmaSaleDetails(db: Db, rmaNumber: string): RmaSaleDetails | undefined {
  return prepared(
    db,
    `SELECT created_at, delivered_at, customer_return_rate, shop_return_policy_days,
            declared_condition, declared_complete, declared_text, declared_photos_json
       FROM rmas WHERE rma_number = ?`,
  )
    .get(rmaNumber) as RmaSaleDetails | undefined;
}

export function lineSaleDetails(db: Db, lineId: string): { resolution: string | null; serial_number: string | null } | undefined {
  return prepared(db, 'SELECT resolution, serial_number FROM rma_lines WHERE id = ?').get(lineId) as
    | { resolution: string | null; serial_number: string | null }
    | undefined;
}

/** The RMA whose line sold this serial number. */
export function findRmaBySoldSerial(db: Db, serial: string): RmaRow | undefined {
  return prepared(db, `SELECT ${RMA_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM rmas r JOIN rma_lines l ON l.rma_number = r.rma_number WHERE l.serial_number = ? ORDER BY r.created_at DESC LIMIT 1`)
    .get(serial) as RmaRow | undefined;
}

/** RMAs with a line for this SKU, open or not: what a blind-return search by product finds. */
export function rmaNumbersWithSku(db: Db, sku: string, limit: number): string[] {
  return db
    .prepare('SELECT DISTINCT rma_number FROM rma_lines WHERE sku = ? LIMIT ?')
    .pluck()
    .all(sku, limit)
    .filter((n): n is string => typeof n === 'string');
}
