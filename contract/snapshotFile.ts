// The prepared reference file a site hub builds and a new bench loads directly (issue 14): a SQLite file
// holding the site's products, RMAs, RMA lines and customer photo hashes in the bench's own column layout,
// so the bench copies them with INSERT … SELECT instead of parsing a million JSON rows. The hub writes rows
// from checked contract objects (the *Row functions below); the bench rebuilds each object from its rows,
// checks it against the same contract and writes it back to rows: a file is taken only when they match.
import { z } from 'zod';
import type { Product, Rma } from './entities.js';
import { PullCursor } from './wms.js';

/** The file, served to enrolled benches; a hub with none ready answers 404 (the bench then takes the NDJSON stream). */
export const HUB_SNAPSHOT_FILE_PATH = '/hub/v1/reference/snapshot.sqlite';

/** Response headers: the file's sha256 (hex) and size in bytes, checked by the bench after the download. */
export const SNAPSHOT_FILE_HEADERS = { sha256: 'x-snapshot-sha256', size: 'x-snapshot-size' } as const;

/** Raised when the layout below changes; a bench refuses a file of another format. */
export const SNAPSHOT_FILE_FORMAT = 1;

/**
 * Tables and their columns, in this order. rmas, products and customer_photos are sorted by their primary key;
 * rma_lines by RMA number and line number, so that an RMA's lines follow one another (the bench checks an RMA
 * with its lines in one pass, without a sort).
 */
export const SNAPSHOT_FILE_COLUMNS = {
  products: ['sku', 'gtin', 'name', 'name_ja', 'category', 'price_jpy', 'weight_grams', 'updated_at'],
  rmas: [
    'rma_number',
    'order_number',
    'customer_name',
    'customer_kana',
    'customer_phone',
    'carrier',
    'tracking_number',
    'status',
    'created_at',
    'updated_at',
    'delivered_at',
    'customer_id',
    'customer_return_rate',
    'shop_return_policy_days',
    'return_channel',
    'declared_condition',
    'declared_complete',
    'declared_text',
    'declared_photos_json',
  ],
  rma_lines: ['id', 'rma_number', 'line_no', 'sku', 'qty', 'reason', 'reason_text', 'resolution', 'serial_number', 'lot'],
  customer_photos: ['rma_number', 'sha256', 'updated_at'],
} as const;
export type SnapshotFileTable = keyof typeof SNAPSHOT_FILE_COLUMNS;

/** The file's one row of `meta` (key 'snapshot', value this as JSON). */
export const SnapshotFileMeta = z.object({
  format: z.literal(SNAPSHOT_FILE_FORMAT),
  siteId: z.string().min(1),
  builtAt: z.string(),
  /** Where the bench's cursor pull continues after loading the file (null: none of that resource). */
  cursors: z.object({ products: PullCursor.nullable(), rmas: PullCursor.nullable() }),
  counts: z.object({
    products: z.number().int().min(0),
    rmas: z.number().int().min(0),
    rmaLines: z.number().int().min(0),
    customerPhotos: z.number().int().min(0),
  }),
});
export type SnapshotFileMeta = z.infer<typeof SnapshotFileMeta>;

/** Why a bench refused a file (i18n keys; the bench then loads the NDJSON stream), and the hub's "none ready". */
export const SNAPSHOT_FILE_ERRORS = {
  notReady: 'error.hub.snapshotFileNotReady',
  /** Size or sha256 differ from the headers: cut short or altered on the way. */
  checksum: 'error.hub.snapshotFileChecksum',
  notSqlite: 'error.hub.snapshotFileNotSqlite',
  /** Another format, a table or column missing or extra, counts that do not add up. */
  shape: 'error.hub.snapshotFileShape',
  /** A row breaks the contract, or the rows are not in the promised order. */
  row: 'error.hub.snapshotFileRow',
} as const;

export type SqlValue = string | number | null;

export function productRow(p: Product): SqlValue[] {
  return [p.sku, p.gtin, p.name, p.nameJa, p.category, p.priceJpy, p.weightGrams, p.updatedAt];
}

export function rmaRow(r: Rma): SqlValue[] {
  const d = r.declaration;
  return [
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
  ];
}

export function lineRows(r: Rma): SqlValue[][] {
  return r.lines.map((l, i) => [l.id, r.rmaNumber, i + 1, l.sku, l.qty, l.reason, l.reasonText, l.resolution ?? null, l.serialNumber ?? null, l.lot ?? null]);
}

/** One row per distinct hash of the customer's declaration, sorted, dated with the RMA (as the bench's loader stores them). */
export function photoRows(r: Rma): SqlValue[][] {
  const hashes = [...new Set(r.declaration?.photos ?? [])].sort();
  return hashes.map((sha) => [r.rmaNumber, sha, r.updatedAt]);
}

/** A column NULL is a field left out, as the contract has optional fields rather than nulls. */
const opt = (v: unknown): unknown => (v === null ? undefined : v);

/** A product row back in contract shape, to be checked with `Product`. */
export function productFromRow(row: readonly unknown[]): unknown {
  const [sku, gtin, name, nameJa, category, priceJpy, weightGrams, updatedAt] = row;
  return { sku, gtin, name, nameJa, category, priceJpy, weightGrams, updatedAt };
}

/** An RMA row and its line rows back in contract shape, to be checked with `Rma`. */
export function rmaFromRows(row: readonly unknown[], lines: readonly (readonly unknown[])[]): unknown {
  const [rmaNumber, orderNumber, customerName, customerKana, customerPhone, carrier, trackingNumber, status, createdAt, updatedAt] = row;
  const [deliveredAt, customerId, customerReturnRate, shopReturnPolicyDays, returnChannel, condition, complete, text, photosJson] = row.slice(10);
  let photos: unknown = undefined;
  if (typeof photosJson === 'string') {
    try {
      photos = JSON.parse(photosJson);
    } catch {
      photos = photosJson;
    }
  }
  // Any declaration column set makes a declaration, so that a half-filled one fails the contract instead of vanishing.
  const declared = condition !== null || complete !== null || text !== null || photosJson !== null;
  return {
    rmaNumber,
    orderNumber,
    customerName,
    customerKana,
    customerPhone,
    carrier,
    trackingNumber,
    status,
    createdAt,
    updatedAt,
    deliveredAt: opt(deliveredAt),
    customerId: opt(customerId),
    customerReturnRate: opt(customerReturnRate),
    shopReturnPolicyDays: opt(shopReturnPolicyDays),
    returnChannel,
    declaration: declared ? { condition, complete: complete === 1 ? true : complete === 0 ? false : complete, text, photos } : undefined,
    lines: lines.map(([id, , , sku, qty, reason, reasonText, resolution, serialNumber, lot]) => ({
      id,
      sku,
      qty,
      reason,
      reasonText,
      resolution: opt(resolution),
      serialNumber: opt(serialNumber),
      lot: opt(lot),
    })),
  };
}
