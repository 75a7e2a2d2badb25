import { z } from 'zod';
import { SiteFlagEvidence } from './siteFlags.js';
import { PrinterMessageKeyText, PrinterMessageParams } from './printerMessages.js';

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

/**
 * How the parcel came back: carrier pickup at home, drop-off at a convenience store or carrier
 * counter, an unmanned depot or locker, or handed in at a store.
 */
export const ReturnChannel = z.enum(['home_pickup', 'store_dropoff', 'depot_locker', 'in_store']);
export type ReturnChannel = z.infer<typeof ReturnChannel>;

/** What the customer said about the item's condition in the returns portal. */
export const DeclaredCondition = z.enum(['unused_with_tags', 'opened', 'used', 'damaged']);
export type DeclaredCondition = z.infer<typeof DeclaredCondition>;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 (64 lowercase hex digits)');

/**
 * What the customer declared in the returns portal before sending the item back, with the hashes
 * of the photos they uploaded (fetched from the WMS's blob store like any photo).
 */
export const CustomerDeclaration = z.object({
  condition: DeclaredCondition,
  /** The customer says every part, accessory and tag is in the parcel. */
  complete: z.boolean(),
  text: z.string().max(1000).default(''),
  photos: z.array(Sha256).max(10).default([]),
});
export type CustomerDeclaration = z.infer<typeof CustomerDeclaration>;

/** What the bench has of one of the customer's photos: stored (shown), still pending, or why not. */
export const CustomerPhotoView = z.object({
  sha256: Sha256,
  status: z.enum(['pending', 'stored', 'failed', 'not_image']),
});
export type CustomerPhotoView = z.infer<typeof CustomerPhotoView>;

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
  /** Older WMS payloads have none: those returns came by carrier pickup, the only channel then. */
  returnChannel: ReturnChannel.default('home_pickup'),
  declaration: CustomerDeclaration.optional(),
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
  /** Catalogue weight of one unit, when the WMS knows it (for the empty-box check against the scale). */
  weightGrams: z.number().int().nonnegative().optional(),
  expectedQty: z.number().int(),
  receivedQty: z.number().int(),
  reason: ReturnReason,
  reasonText: z.string(),
});
export type ParcelLineView = z.infer<typeof ParcelLineView>;

/** expected: on the RMA line; extra: not on the RMA; wrong: a different SKU than the line it stands in for. */
export const ItemKind = z.enum(['expected', 'extra', 'wrong']);
export type ItemKind = z.infer<typeof ItemKind>;

export const ReviewStatus = z.enum(['none', 'pending', 'approved', 'overridden']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const ParcelItemView = z.object({
  itemId: z.string(),
  lpn: z.string(),
  sku: z.string(),
  kind: ItemKind,
  lineId: z.string().nullable(),
  expectedSku: z.string().nullable(),
  grade: Grade,
  disposition: Disposition,
  reviewStatus: ReviewStatus,
});
export type ParcelItemView = z.infer<typeof ParcelItemView>;

export const ParcelOutcomeKind = z.enum(['extra', 'wrong', 'missing', 'empty_box']);
export type ParcelOutcomeKind = z.infer<typeof ParcelOutcomeKind>;

export const ParcelOutcome = z.object({
  kind: ParcelOutcomeKind,
  lineId: z.string().nullable(),
  expectedSku: z.string().nullable(),
  receivedSku: z.string().nullable(),
  qty: z.number().int().positive(),
  itemId: z.string().nullable(),
});
export type ParcelOutcome = z.infer<typeof ParcelOutcome>;

export const ParcelView = z.object({
  parcelId: z.string(),
  scannedCode: z.string(),
  carrier: Carrier.nullable(),
  rmaNumber: z.string(),
  orderNumber: z.string(),
  customerName: z.string(),
  /** How the return came back; absent for a blind return. */
  returnChannel: ReturnChannel.optional(),
  /** What the customer declared in the returns portal, when they did. */
  declaration: CustomerDeclaration.optional(),
  /** The declaration's photos as the bench holds them, in the customer's order. */
  customerPhotos: z.array(CustomerPhotoView).optional(),
  status: z.enum(['open', 'closed']),
  lines: z.array(ParcelLineView),
  /** Received with no RMA (rmaNumber is "" until a lead links one). */
  blindReturn: z.boolean().optional(),
  /** Items graded in this parcel, expected or not. */
  items: z.array(ParcelItemView).optional(),
  /** What closing the parcel found (only when closed). */
  outcomes: z.array(ParcelOutcome).optional(),
  /** The bench scale's stable reading when the parcel was opened; absent without a scale. */
  weightGrams: z.number().int().nonnegative().optional(),
  /** When, where and by whom the parcel was received (and closed), for "already received" answers. */
  receivedAt: z.string().optional(),
  closedAt: z.string().nullable().optional(),
  stationId: z.string().optional(),
  operatorName: z.string().optional(),
});
export type ParcelView = z.infer<typeof ParcelView>;

/** What an item-level scan told about the unit itself; kept on the item when it is graded. */
export const ItemIdentity = z
  .object({
    gtin: Gtin.optional(),
    serial: z.string().min(1).max(64).optional(),
    lot: z.string().min(1).max(64).optional(),
    expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional(),
    epc: z.string().min(1).max(128).optional(),
  })
  .strict();
export type ItemIdentity = z.infer<typeof ItemIdentity>;

/** Opaque, single-use handle on an item scan the station keeps (parcel.matchItem → item.grade). */
export const MatchToken = z.string().regex(/^[A-Za-z0-9_-]{32}$/, 'match token');
export type MatchToken = z.infer<typeof MatchToken>;

export const ItemMatch = z.object({
  parcelId: z.string(),
  line: ParcelLineView,
  /**
   * Send it with item.grade for this line. What the scan said about the unit (serial, lot, expiry, EPC)
   * stays at the station, so the renderer cannot change what the flags see.
   */
  matchToken: MatchToken,
});
export type ItemMatch = z.infer<typeof ItemMatch>;

export const PrintOutcome = z.object({
  status: z.enum(['printed', 'queued', 'failed']),
  /** The printer's address (tcp://…, a device path): for the log and support, not for the floor. */
  printer: z.string(),
  /** The name the site gave the printer in its configuration, which the print notice shows. */
  printerName: z.string().optional(),
  /** English, for logs and support; the screen says messageKey in the operator's language. */
  message: z.string().optional(),
  messageKey: PrinterMessageKeyText.optional(),
  messageParams: PrinterMessageParams.optional(),
});
export type PrintOutcome = z.infer<typeof PrintOutcome>;

/** Where a rule set came from: the one shipped with the app, a bench's own (published at that bench), or the site's (published at the hub). */
export const RuleSetSource = z.enum(['shipped', 'bench', 'site']);
export type RuleSetSource = z.infer<typeof RuleSetSource>;

/**
 * Which rule set routed an item, beyond its version number (a bench's own v3 and the site's v3 are two tables):
 * its source, whose it is, and the sha256 of its canonical content (shared-node/ruleSetHash.ts), so two items routed
 * by the same rules carry the same hash whatever their version says. Optional wherever it is stored or sent: items
 * graded before it was recorded (bench migration 016, hub migration 0014) and older benches' events have none.
 */
export const RuleSetOrigin = z.object({
  source: RuleSetSource,
  /** The bench's station id (`bench`) or the site id (`site`); absent for `shipped`, and for a site's set pulled from a hub that did not name its site. */
  sourceId: z.string().min(1).max(64).optional(),
  sha256: Sha256,
});
export type RuleSetOrigin = z.infer<typeof RuleSetOrigin>;

export const RoutingDecision = z.object({
  disposition: Disposition,
  destination: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.number().int(),
  /** Set by the bench when it grades (domain/rules/route.ts knows only the rule set's body). */
  ruleSetOrigin: RuleSetOrigin.optional(),
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
  /** The label's on-screen preview is asked for apart (item.labelPreview): drawing its barcode is not worth the operator's wait. */
  print: PrintOutcome,
  outboxEventId: z.string(),
  kind: ItemKind.optional(),
  /** Flag codes (contract/flags.ts FlagCode); any flag sends the item to lead review. */
  flags: z.array(z.string()).optional(),
  reviewStatus: ReviewStatus.optional(),
  /** Present when graded with answers (contract/grading.ts ItemCondition / PackagingState / FaultAttribution). */
  condition: z.string().optional(),
  packaging: z.string().nullable().optional(),
  fault: z.string().optional(),
});
export type GradedItem = z.infer<typeof GradedItem>;

export const SyncStatus = z.object({
  online: z.boolean(),
  wmsUrl: z.string(),
  wmsIsDemo: z.boolean(),
  pending: z.number().int(),
  deadLetters: z.number().int(),
  oldestPendingAgeSec: z.number().nullable(),
  /** English, for logs and support; the screen shows lastErrorKey in the operator's language. */
  lastError: z.string().nullable(),
  /** i18n key (sync.error.*) and its parameters for lastError. */
  lastErrorKey: z.string().nullable().optional(),
  lastErrorParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  lastSyncAt: z.string().nullable(),
  /** The bench delivers to its site hub, not to the WMS itself: the screen names the hub. Absent: the WMS. */
  viaHub: z.boolean().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const StationInfo = z.object({
  stationId: z.string(),
  version: z.string(),
  wmsIsDemo: z.boolean(),
  wmsUrl: z.string(),
  printer: z.string(),
  /** Issue 15: the site hub answering for the whole site (its UI shows only the site screens). Absent at a bench. */
  site: z.boolean().optional(),
});
export type StationInfo = z.infer<typeof StationInfo>;

// ——— The full workflow (issue 5) ———

/** One answer of a grading question: a choice id, yes/no, or a number (e.g. a weight). */
export const GradingAnswer = z.union([z.string().min(1).max(200), z.boolean(), z.number().finite()]);
export const GradingAnswers = z.record(z.string().min(1).max(64), GradingAnswer);
export type GradingAnswers = z.infer<typeof GradingAnswers>;


/** A blind-return candidate: an RMA that may belong to an unlabelled parcel, and why it was found. */
export const RmaCandidate = z.object({
  rmaNumber: z.string(),
  orderNumber: z.string(),
  customerName: z.string(),
  customerKana: z.string(),
  status: z.string(),
  createdAt: z.string(),
  matchedOn: z.array(z.enum(['rma', 'order', 'name', 'kana', 'phone', 'sku', 'gtin', 'tracking'])),
  /** Each line's product in both languages: the screen shows the operator's. */
  lines: z.array(z.object({ lineId: z.string(), sku: z.string(), qty: z.number().int(), productName: z.string(), productNameJa: z.string() })),
});
export type RmaCandidate = z.infer<typeof RmaCandidate>;

export const ParcelSearchResult = z.object({
  /** wms: the WMS answered (online); local: this station's copy only. */
  source: z.enum(['wms', 'local']),
  fallbackReason: z.string().optional(),
  candidates: z.array(RmaCandidate),
  /** More RMAs matched than the candidates shown: the operator should narrow the search. */
  more: z.boolean().default(false),
  /**
   * RMAs this station holds that names, readings and phone numbers do not find yet (a first pull's, being indexed
   * in the background): the search may miss them for now. Order, RMA and tracking numbers always find them.
   */
  waitingForIndex: z.number().int().nonnegative().default(0),
});
export type ParcelSearchResult = z.infer<typeof ParcelSearchResult>;

export const ContainerView = z.object({
  containerId: z.string(),
  label: z.string(),
  disposition: Disposition,
  destination: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  itemCount: z.number().int(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type ContainerView = z.infer<typeof ContainerView>;

/** One flagged item in the lead review queue. */
export const ReviewQueueItem = z.object({
  itemId: z.string(),
  lpn: z.string(),
  parcelId: z.string(),
  rmaNumber: z.string().nullable(),
  sku: z.string(),
  kind: ItemKind,
  category: Category.nullable(),
  grade: Grade,
  disposition: Disposition,
  flags: z.array(z.string()),
  reviewStatus: ReviewStatus,
  gradedAt: z.string(),
  /** How long it has waited for a lead; once decided, how long it waited until then (it stops growing). */
  ageMinutes: z.number().int().nonnegative(),
  operatorId: z.string(),
  /** The lead who decided it and when (null while it waits). */
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  /** The deciding lead's name, when the roster knows them. */
  reviewedByName: z.string().nullable().optional(),
  /** The catalogue's names, so a lead can tell rows apart without opening each (absent for an unknown SKU). */
  productName: z.string().nullable().optional(),
  productNameJa: z.string().nullable().optional(),
  /** Issue 15: the bench that graded it (the site queue at the hub lists every bench's items). */
  stationId: z.string().optional(),
  /** Issue 15: the grading operator's name, when the site roster knows them. */
  operatorName: z.string().nullable().optional(),
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>;

/**
 * Issue 15: where a bench's lead screen got its answer: `site` from its hub (every bench), `bench` from its own copy
 * while the hub is away. Absent at a bench without a hub, and at the hub itself.
 */
export const SiteScope = z.enum(['site', 'bench']);
export type SiteScope = z.infer<typeof SiteScope>;

export const ReviewQueuePage = z.object({
  items: z.array(ReviewQueueItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  scope: SiteScope.optional(),
});
export type ReviewQueuePage = z.infer<typeof ReviewQueuePage>;

export const ReviewDetail = ReviewQueueItem.extend({
  expectedSku: z.string().nullable(),
  lineId: z.string().nullable(),
  reason: ReturnReason.nullable(),
  condition: z.string().nullable(),
  packaging: z.string().nullable(),
  fault: z.string().nullable(),
  answers: GradingAnswers.nullable(),
  photos: z.array(Sha256),
  identity: ItemIdentity,
  /**
   * What the RMA line sold, beside `identity` (what came back): the lead reads a serial_mismatch or lot_mismatch
   * as "sold X, returned Y". Absent when the line sold neither, or the item is on no line.
   */
  sold: z.object({ serial: z.string().optional(), lot: z.string().optional() }).strict().optional(),
  destination: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.number().int(),
  /** Absent for an item graded before benches recorded it. */
  ruleSetOrigin: RuleSetOrigin.optional(),
  explanation: z.string().nullable(),
  reviewReason: z.string().nullable(),
  /** The held or released resolution recommendation, as the domain computed it. */
  resolution: z.object({ status: z.enum(['held', 'released']), recommendation: z.unknown() }).nullable(),
  /** What the customer declared, beside what the bench found (absent when they declared nothing). */
  declaration: CustomerDeclaration.optional(),
  customerPhotos: z.array(CustomerPhotoView).optional(),
  /** Issue 15: at the site hub, the flags only the site could raise, each with its evidence. */
  siteFlags: z.array(SiteFlagEvidence).optional(),
});
export type ReviewDetail = z.infer<typeof ReviewDetail>;

export const DeadLetterView = z.object({
  id: z.number().int(),
  type: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  sequence: z.number().int(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  occurredAt: z.string(),
  deadAt: z.string().nullable(),
  payload: z.unknown(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;
