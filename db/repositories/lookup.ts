import { z } from 'zod';
import { Category, ReturnChannel, ReturnReason, type CustomerDeclaration } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { declarationOf, type DeclarationColumns } from './referenceData.js';
import { prepared } from './statements.js';

/** One RMA as intake sees it: camelCase and typed. */
export const RmaRow = z.object({
  rmaNumber: z.string(),
  orderNumber: z.string(),
  customerName: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  status: z.string(),
  createdAt: z.string().optional(),
  /** Absent from the blind-return candidate query, which does not need it; a channel this build does not know reads as none. */
  returnChannel: ReturnChannel.nullish().catch(null),
});
export type RmaRow = z.output<typeof RmaRow>;

/** One RMA line with its product (or the SKU standing in for it when the product is not known yet). */
export const RmaLineRow = z.object({
  id: z.string(),
  sku: z.string(),
  qty: z.number().int(),
  reason: ReturnReason,
  reasonText: z.string(),
  gtin: z.string(),
  name: z.string(),
  nameJa: z.string(),
  category: Category,
  priceJpy: z.number(),
  weightGrams: z.number(),
});
export type RmaLineRow = z.output<typeof RmaLineRow>;

// At module level: zod sets up each new schema on its first parse, so an array schema built per call cost
// that on every scan (issue 16).
const RmaLineRows = z.array(RmaLineRow);
const RmaRows = z.array(RmaRow);

const rmaColumns = (t: string): string =>
  `${t}rma_number AS rmaNumber, ${t}order_number AS orderNumber, ${t}customer_name AS customerName, ${t}carrier AS carrier,
   ${t}tracking_number AS trackingNumber, ${t}status AS status, ${t}return_channel AS returnChannel`;
const RMA_COLUMNS = rmaColumns('');

const oneRma = (row: unknown): RmaRow | undefined => (row === undefined ? undefined : RmaRow.parse(row));

export function findRmaByTracking(db: Db, trackingNumber: string): RmaRow | undefined {
  return oneRma(prepared(db, `SELECT ${RMA_COLUMNS} FROM rmas WHERE tracking_number = ?`).get(trackingNumber));
}

export function findRmaByNumber(db: Db, rmaNumber: string): RmaRow | undefined {
  return oneRma(prepared(db, `SELECT ${RMA_COLUMNS} FROM rmas WHERE rma_number = ?`).get(rmaNumber));
}

export function findRmaByOrder(db: Db, orderNumber: string): RmaRow | undefined {
  return oneRma(prepared(db, `SELECT ${RMA_COLUMNS} FROM rmas WHERE order_number = ? ORDER BY created_at DESC LIMIT 1`).get(orderNumber));
}

/** Lines with their product; a line whose SKU is not (yet) in the product table is still returned. */
export function rmaLines(db: Db, rmaNumber: string): RmaLineRow[] {
  return RmaLineRows.parse(
    prepared(
      db,
      `SELECT l.id, l.sku, l.qty, l.reason, l.reason_text AS reasonText,
              COALESCE(p.gtin, '') AS gtin, COALESCE(p.name, l.sku) AS name, COALESCE(p.name_ja, l.sku) AS nameJa,
              COALESCE(p.category, 'apparel') AS category, COALESCE(p.price_jpy, 0) AS priceJpy,
              COALESCE(p.weight_grams, 0) AS weightGrams
         FROM rma_lines l LEFT JOIN products p ON p.sku = l.sku
        WHERE l.rma_number = ? ORDER BY l.line_no`,
    ).all(rmaNumber),
  );
}

/** One product of the catalogue: camelCase and typed. */
export const ProductRow = z.object({
  sku: z.string(),
  gtin: z.string(),
  name: z.string(),
  nameJa: z.string(),
  category: Category,
  priceJpy: z.number(),
  weightGrams: z.number(),
});
export type ProductRow = z.output<typeof ProductRow>;

const PRODUCT_COLUMNS = 'sku, gtin, name, name_ja AS nameJa, category, price_jpy AS priceJpy, weight_grams AS weightGrams';

const oneProduct = (row: unknown): ProductRow | undefined => (row === undefined ? undefined : ProductRow.parse(row));

export function findProductByGtin(db: Db, gtin14: string): ProductRow | undefined {
  return oneProduct(prepared(db, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE gtin = ? ORDER BY sku LIMIT 1`).get(gtin14));
}

export function findProductBySku(db: Db, sku: string): ProductRow | undefined {
  return oneProduct(prepared(db, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE sku = ?`).get(sku));
}

/** RMAs still expecting goods (open or partly received) with a line for one of these SKUs, newest first. */
export function openRmasWithSku(db: Db, skus: readonly string[], limit = 20): RmaRow[] {
  if (skus.length === 0) return [];
  return RmaRows.parse(
    prepared(
      db,
      `SELECT DISTINCT r.rma_number AS rmaNumber, r.order_number AS orderNumber, r.customer_name AS customerName, r.carrier AS carrier,
              r.tracking_number AS trackingNumber, r.status AS status, r.created_at AS createdAt
         FROM rmas r JOIN rma_lines l ON l.rma_number = r.rma_number
        WHERE l.sku IN (SELECT value FROM json_each(?)) AND r.status IN ('open','received')
        ORDER BY r.created_at DESC LIMIT ?`,
    ).all(JSON.stringify(skus), limit),
  );
}

/** SKUs whose product has this GTIN (a GTIN can be shared by size variants in poor master data). */
export function skusForGtin(db: Db, gtin14: string): string[] {
  return (prepared(db, 'SELECT sku FROM products WHERE gtin = ? ORDER BY sku').all(gtin14) as { sku: string }[]).map((r) => r.sku);
}

/** What the WMS told about the sale behind an RMA (migration 005); every field may be absent in older data. */
export interface RmaSaleDetails {
  requestedAt: string;
  deliveredAt: string | null;
  customerReturnRate: number | null;
  shopReturnPolicyDays: number | null;
  /** The customer's declaration (migration 008), parsed; undefined: nothing declared. */
  declaration: CustomerDeclaration | undefined;
}

type SaleColumns = DeclarationColumns & {
  created_at: string;
  delivered_at: string | null;
  customer_return_rate: number | null;
  shop_return_policy_days: number | null;
};

export function rmaSaleDetails(db: Db, rmaNumber: string): RmaSaleDetails | undefined {
  const row = prepared(
    db,
    `SELECT created_at, delivered_at, customer_return_rate, shop_return_policy_days,
            declared_condition, declared_complete, declared_text, declared_photos_json
       FROM rmas WHERE rma_number = ?`,
  ).get(rmaNumber) as SaleColumns | undefined;
  if (!row) return undefined;
  return {
    requestedAt: row.created_at,
    deliveredAt: row.delivered_at,
    customerReturnRate: row.customer_return_rate,
    shopReturnPolicyDays: row.shop_return_policy_days,
    declaration: declarationOf(row),
  };
}

export interface LineSaleDetails {
  resolution: string | null;
  serialNumber: string | null;
  lot: string | null;
}

/** What the line sold, beyond its product: the customer's wish, and the unit's serial and lot when the WMS knows them. */
export function lineSaleDetails(db: Db, lineId: string): LineSaleDetails | undefined {
  return prepared(db, 'SELECT resolution, serial_number AS serialNumber, lot FROM rma_lines WHERE id = ?').get(lineId) as LineSaleDetails | undefined;
}

/** The RMA whose line sold this serial number. */
export function findRmaBySoldSerial(db: Db, serial: string): RmaRow | undefined {
  return oneRma(
    prepared(db, `SELECT ${rmaColumns('r.')} FROM rmas r JOIN rma_lines l ON l.rma_number = r.rma_number WHERE l.serial_number = ? ORDER BY r.created_at DESC LIMIT 1`).get(serial),
  );
}

/** RMAs with a line for this SKU, open or not: what a blind-return search by product finds. */
export function rmaNumbersWithSku(db: Db, sku: string, limit: number): string[] {
  return db
    .prepare('SELECT DISTINCT rma_number FROM rma_lines WHERE sku = ? LIMIT ?')
    .pluck()
    .all(sku, limit)
    .filter((n): n is string => typeof n === 'string');
}
