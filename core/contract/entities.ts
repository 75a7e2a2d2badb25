import { z } from 'zod';

export const Role = z.enum(['staff', 'lead', 'supervisor']);
export type Role = z.infer<typeof Role>;

export const Category = z.enum(['apparel', 'shoes', 'cosmetics', 'electronics']);
export type Category = z.infer<typeof Category>;

/** Japanese re-commerce grading scale; the skeleton asks for A–D and scrap. */
export const Grade = z.enum(['N', 'S', 'A', 'B', 'C', 'D', 'scrap']);
export type Grade = z.infer<typeof Grade>;

export const Disposition = z.enum(['restock', 'resale', 'repair', 'disposal', 'quarantine']);
export type Disposition = z.infer<typeof Disposition>;

export const ReturnReason = z.enum(['size', 'colour', 'damaged', 'wrong_item', 'changed_mind']);
export type ReturnReason = z.infer<typeof ReturnReason>;

/** What the customer asked for on the RMA line. */
export const CustomerResolution = z.enum(['refund', 'exchange', 'store_credit']);
export type CustomerResolution = z.infer<typeof CustomerResolution>;

export const Carrier = z.enum(['yamato', 'sagawa', 'japanpost', 'japanpost_intl']);
export type Carrier = z.infer<typeof Carrier>;

export const Gtin = z.string().regex(/^\d{14}$/, 'GTIN-14 (14 digits)');

export const Product = z.object({
  sku: z.string().min(1).max(64),
  gtin: Gtin,
  name: z.string().min(1).max(200),
  nameJa: z.string().min(1).max(200),
  category: Category,
  priceJpy: z.number().int().nonnegative(),
  weightGrams: z.number().int().nonnegative(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof Product>;

export const RmaStatus = z.enum(['open', 'received', 'closed', 'cancelled']);
export type RmaStatus = z.infer<typeof RmaStatus>;

export const RmaLine = z.object({
  id: z.string().min(1).max(64),
  sku: z.string().min(1).max(64),
  qty: z.number().int().positive(),
  reason: ReturnReason,
  reasonText: z.string().max(500),
  resolution: CustomerResolution.optional(),
  /** Serial number sold on this line (electronics), to compare with what comes back. */
  serialNumber: z.string().min(1).max(64).optional(),
  /** Lot sold on this line (cosmetics). */
  lot: z.string().min(1).max(40).optional(),
});
export type RmaLine = z.infer<typeof RmaLine>;

export const Rma = z.object({
  rmaNumber: z.string().min(1).max(32),
  orderNumber: z.string().min(1).max(32),
  customerName: z.string().max(100),
  customerKana: z.string().max(100),
  customerPhone: z.string().max(20),
  carrier: Carrier,
  trackingNumber: z.string().min(1).max(40),
  status: RmaStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  lines: z.array(RmaLine).min(1).max(50),
  /** When the customer received the order: the return window counts from here. */
  deliveredAt: z.string().optional(),
  customerId: z.string().min(1).max(64).optional(),
  /** Share of this customer's orders that came back, per the WMS (0–1). */
  customerReturnRate: z.number().min(0).max(1).optional(),
  /** The shop's own return policy in days; absent = the 8-day statutory window applies. */
  shopReturnPolicyDays: z.number().int().min(0).max(365).optional(),
});
export type Rma = z.infer<typeof Rma>;

export const OperatorView = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
});
export type OperatorView = z.infer<typeof OperatorView>;

/** One RMA line as the bench sees it: what was expected, what has been received. */
export const ParcelLineView = z.object({
  lineId: z.string(),
  sku: z.string(),
  gtin: Gtin,
  productName: z.string(),
  productNameJa: z.string(),
  category: Category,
  priceJpy: z.number().int(),
  expectedQty: z.number().int(),
  receivedQty: z.number().int(),
  reason: ReturnReason,
  reasonText: z.string(),
});
export type ParcelLineView = z.infer<typeof ParcelLineView>;

export const ParcelView = z.object({
  parcelId: z.string(),
  scannedCode: z.string(),
  carrier: Carrier.nullable(),
  rmaNumber: z.string(),
  orderNumber: z.string(),
  customerName: z.string(),
  status: z.enum(['open', 'closed']),
  lines: z.array(ParcelLineView),
});
export type ParcelView = z.infer<typeof ParcelView>;

export const ItemMatch = z.object({
  parcelId: z.string(),
  line: ParcelLineView,
});
export type ItemMatch = z.infer<typeof ItemMatch>;

export const PrintOutcome = z.object({
  status: z.enum(['printed', 'queued', 'failed']),
  printer: z.string(),
  message: z.string().optional(),
});
export type PrintOutcome = z.infer<typeof PrintOutcome>;

export const RoutingDecision = z.object({
  disposition: Disposition,
  destination: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.number().int(),
  explanation: z.string(),
  explanationJa: z.string(),
});
export type RoutingDecision = z.infer<typeof RoutingDecision>;

export const GradedItem = z.object({
  itemId: z.string(),
  lpn: z.string(),
  parcelId: z.string(),
  sku: z.string(),
  grade: Grade,
  routing: RoutingDecision,
  labelSvg: z.string(),
  print: PrintOutcome,
  outboxEventId: z.string(),
});
export type GradedItem = z.infer<typeof GradedItem>;

export const SyncStatus = z.object({
  online: z.boolean(),
  wmsUrl: z.string(),
  wmsIsDemo: z.boolean(),
  pending: z.number().int(),
  deadLetters: z.number().int(),
  oldestPendingAgeSec: z.number().nullable(),
  lastError: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const StationInfo = z.object({
  stationId: z.string(),
  version: z.string(),
  wmsIsDemo: z.boolean(),
  wmsUrl: z.string(),
  printer: z.string(),
});
export type StationInfo = z.infer<typeof StationInfo>;
