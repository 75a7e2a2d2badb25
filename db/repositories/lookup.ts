import type { Category, ReturnReason } from '../../core/contract/index.js';
import type { Db } from '../connection.js';

export interface RmaRow {
  rma_number: string;
  order_number: string;
  customer_name: string;
  carrier: string;
  tracking_number: string;
  status: string;
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
}

const RMA_COLUMNS = 'rma_number, order_number, customer_name, carrier, tracking_number, status';

export function findRmaByTracking(db: Db, trackingNumber: string): RmaRow | undefined {
  return db.prepare(`SELECT ${RMA_COLUMNS} FROM rmas WHERE tracking_number = ?`).get(trackingNumber) as RmaRow | undefined;
}

export function findRmaByNumber(db: Db, rmaNumber: string): RmaRow | undefined {
  return db.prepare(`SELECT ${RMA_COLUMNS} FROM rmas WHERE rma_number = ?`).get(rmaNumber) as RmaRow | undefined;
}

export function findRmaByOrder(db: Db, orderNumber: string): RmaRow | undefined {
  return db.prepare(`SELECT ${RMA_COLUMNS} FROM rmas WHERE order_number = ? ORDER BY created_at DESC LIMIT 1`).get(orderNumber) as
    | RmaRow
    | undefined;
}

/** Lines with their product; a line whose SKU is not (yet) in the product table is still returned. */
export function rmaLines(db: Db, rmaNumber: string): RmaLineRow[] {
  return db
    .prepare(
      `SELECT l.id, l.sku, l.qty, l.reason, l.reason_text,
              COALESCE(p.gtin, '') AS gtin, COALESCE(p.name, l.sku) AS name, COALESCE(p.name_ja, l.sku) AS name_ja,
              COALESCE(p.category, 'apparel') AS category, COALESCE(p.price_jpy, 0) AS price_jpy
         FROM rma_lines l LEFT JOIN products p ON p.sku = l.sku
        WHERE l.rma_number = ? ORDER BY l.line_no`,
    )
    .all(rmaNumber) as RmaLineRow[];
}
