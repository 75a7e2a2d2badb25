import { z } from 'zod';
import { Disposition, Grade, ItemKind, ParcelOutcome, Product, Rma, RuleSetOrigin, Sha256 } from './entities.js';

/** Cursor for pulls: rows strictly after (updatedAt, id) in that order. */
export const PullCursor = z.object({ updatedSince: z.string(), afterId: z.string() });
export type PullCursor = z.infer<typeof PullCursor>;

export const ProductPage = z.object({ items: z.array(Product), next: PullCursor.nullable() });
export type ProductPage = z.infer<typeof ProductPage>;

export const RmaPage = z.object({ items: z.array(Rma), next: PullCursor.nullable() });
export type RmaPage = z.infer<typeof RmaPage>;

export const AggregateType = z.enum(['rma', 'parcel', 'item', 'container', 'tote']);
export type AggregateType = z.infer<typeof AggregateType>;

const ItemGradedPayload = z.object({
  itemId: z.string(),
  lpn: z.string(),
  parcelId: z.string(),
  /** Null for an item of a blind return (no RMA yet). */
  rmaNumber: z.string().nullable(),
  /** Null for an extra item (not on the RMA); for a wrong item, the line it came instead of. */
  lineId: z.string().nullable(),
  sku: z.string(),
  kind: ItemKind.optional(),
  expectedSku: z.string().nullable().optional(),
  gtin: z.string().optional(),
  serial: z.string().optional(),
  lot: z.string().optional(),
  expiry: z.string().optional(),
  epc: z.string().optional(),
  condition: z.string().optional(),
  packaging: z.string().optional(),
  fault: z.string().optional(),
  flags: z.array(z.string()).optional(),
  /** True when a lead must review it before its resolution is released. */
  heldForReview: z.boolean().optional(),
  /** Photos of the item, by hash; each is uploaded to the blob endpoint before this event is sent. */
  photos: z.array(Sha256).max(50).optional(),
  grade: Grade,
  disposition: Disposition,
  destination: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.number().int(),
  /** Whose rule set `ruleSetVersion` numbers (shipped, the bench's own or the site's) and its content hash; absent in older benches' events. */
  ruleSetOrigin: RuleSetOrigin.optional(),
  operatorId: z.string(),
  stationId: z.string(),
  gradedAt: z.string(),
});

const ParcelReceivedPayload = z.object({
  parcelId: z.string(),
  /** Null for a blind return, received with no RMA. */
  rmaNumber: z.string().nullable(),
  blindReturn: z.boolean().optional(),
  /** What the operator knew of a blind return (order number, customer, note). */
  known: z.record(z.string(), z.string()).optional(),
  scannedCode: z.string(),
  operatorId: z.string(),
  stationId: z.string(),
  receivedAt: z.string(),
});

const ParcelClosedPayload = z.object({
  parcelId: z.string(),
  rmaNumber: z.string().nullable(),
  blindReturn: z.boolean(),
  outcomes: z.array(ParcelOutcome),
  operatorId: z.string(),
  stationId: z.string(),
  closedAt: z.string(),
});

const ParcelLinkedPayload = z.object({
  parcelId: z.string(),
  rmaNumber: z.string(),
  /** Items of the parcel that now count against a line of the RMA. */
  itemsMatched: z.array(z.object({ itemId: z.string(), lineId: z.string() })),
  operatorId: z.string(),
  stationId: z.string(),
  linkedAt: z.string(),
});

const ParcelReopenedPayload = z.object({
  parcelId: z.string(),
  rmaNumber: z.string().nullable(),
  /** The outcomes parcel.closed reported, now withdrawn; a later parcel.closed reports the new ones. */
  withdrawnOutcomes: z.array(ParcelOutcome),
  reason: z.string().nullable(),
  operatorId: z.string(),
  stationId: z.string(),
  reopenedAt: z.string(),
});

const ItemReviewedPayload = z.object({
  itemId: z.string(),
  lpn: z.string(),
  operatorId: z.string(),
  stationId: z.string(),
  reviewedAt: z.string(),
});

const ItemOverriddenPayload = ItemReviewedPayload.extend({
  before: z.object({ grade: Grade, disposition: Disposition, destination: z.string() }),
  after: z.object({ grade: Grade, disposition: Disposition, destination: z.string() }),
  reason: z.string(),
});

const ItemSortedPayload = z.object({
  itemId: z.string(),
  lpn: z.string(),
  containerId: z.string(),
  containerLabel: z.string(),
  operatorId: z.string(),
  stationId: z.string(),
  sortedAt: z.string(),
});

const ContainerClosedPayload = z.object({
  containerId: z.string(),
  label: z.string(),
  disposition: Disposition,
  destination: z.string().nullable(),
  lpns: z.array(z.string()),
  operatorId: z.string(),
  stationId: z.string(),
  openedAt: z.string(),
  closedAt: z.string(),
});

const ResolutionRecommendedPayload = z.object({
  itemId: z.string(),
  lpn: z.string(),
  rmaNumber: z.string().nullable(),
  lineId: z.string().nullable(),
  /** The recommendation as the station's resolution rules computed it (refund / exchange / store credit / reject). */
  recommendation: z.record(z.string(), z.unknown()),
  /** Set when a lead approved it after review. */
  approvedBy: z.string().optional(),
  stationId: z.string(),
  recommendedAt: z.string(),
});

/**
 * A consolidated tote as one bench works it (issue 17). The aggregate id is `<toteId>@<stationId>`: several
 * benches may work the same tote, each with its own sequence; the WMS joins them by `toteId`.
 */
const ToteOpenedPayload = z.object({
  toteId: z.string(),
  expectedBags: z.array(z.string()),
  operatorId: z.string(),
  stationId: z.string(),
  openedAt: z.string(),
});

const ToteClosedPayload = z.object({
  toteId: z.string(),
  /** The reconciliation at this bench: each bag code in exactly one list. */
  received: z.array(z.object({ bagCode: z.string(), rmaNumber: z.string().nullable(), parcelId: z.string().nullable() })),
  missing: z.array(z.object({ bagCode: z.string(), rmaNumber: z.string() })),
  /** Bags of another tote's manifest found in this one. */
  strays: z.array(z.object({ bagCode: z.string(), rmaNumber: z.string().nullable(), manifestToteId: z.string() })),
  /** Bags no manifest names. */
  unmanifested: z.array(z.object({ bagCode: z.string() })),
  /**
   * Behind a site hub: bags of this tote not received here because another bench of the site had received
   * them (so neither missing nor in `received`, which lists this bench's own bags only). Optional: older benches omit it.
   */
  receivedElsewhere: z.array(z.object({ bagCode: z.string(), stationId: z.string() })).optional(),
  operatorId: z.string(),
  stationId: z.string(),
  closedAt: z.string(),
});

/** Every event type the station sends to the WMS, with its payload schema. */
export const WmsEventBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('parcel.received'), payload: ParcelReceivedPayload }),
  z.object({ type: z.literal('item.graded'), payload: ItemGradedPayload }),
  z.object({ type: z.literal('parcel.closed'), payload: ParcelClosedPayload }),
  z.object({ type: z.literal('parcel.linked'), payload: ParcelLinkedPayload }),
  z.object({ type: z.literal('parcel.reopened'), payload: ParcelReopenedPayload }),
  z.object({ type: z.literal('item.approved'), payload: ItemReviewedPayload }),
  z.object({ type: z.literal('item.overridden'), payload: ItemOverriddenPayload }),
  z.object({ type: z.literal('item.sorted'), payload: ItemSortedPayload }),
  z.object({ type: z.literal('container.closed'), payload: ContainerClosedPayload }),
  z.object({ type: z.literal('resolution.recommended'), payload: ResolutionRecommendedPayload }),
  z.object({ type: z.literal('tote.opened'), payload: ToteOpenedPayload }),
  z.object({ type: z.literal('tote.closed'), payload: ToteClosedPayload }),
]);
export type WmsEventBody = z.infer<typeof WmsEventBody>;
export type WmsEventType = WmsEventBody['type'];

export const WmsEvent = z.intersection(
  z.object({
    idempotencyKey: z.string().uuid(),
    aggregateType: AggregateType,
    aggregateId: z.string().min(1),
    sequence: z.number().int().positive(),
    /**
     * The sequence this event follows when it is not `sequence - 1`: a lead skipped the event in between
     * (dead letter skipped with a reason), so the WMS must not wait for it. 0 means "first of its aggregate".
     */
    previousSequence: z.number().int().nonnegative().optional(),
    occurredAt: z.string(),
  }),
  WmsEventBody,
);
export type WmsEvent = z.infer<typeof WmsEvent>;

export const EventBatch = z.object({ stationId: z.string().min(1), events: z.array(WmsEvent).min(1).max(1000) });
export type EventBatch = z.infer<typeof EventBatch>;

export const EventAck = z.object({
  idempotencyKey: z.string(),
  status: z.enum(['applied', 'duplicate', 'rejected', 'out_of_order']),
  error: z.string().optional(),
});
export type EventAck = z.infer<typeof EventAck>;

export const EventBatchResult = z.object({ results: z.array(EventAck) });
export type EventBatchResult = z.infer<typeof EventBatchResult>;

/** Query of the two pull endpoints (`GET products` / `GET rmas`). Absent cursor: from the beginning. */
export const PullQuery = z.object({
  updated_since: z.string().min(1).optional(),
  after_id: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type PullQuery = z.infer<typeof PullQuery>;

/** Query of the online RMA lookup for blind returns: order number, phone or customer name. */
export const RmaLookupQuery = z.object({ q: z.string().trim().min(2).max(100) });
export type RmaLookupQuery = z.infer<typeof RmaLookupQuery>;

export const RmaLookupResult = z.object({ items: z.array(Rma).max(50) });
export type RmaLookupResult = z.infer<typeof RmaLookupResult>;

export const WmsHealth = z.object({ status: z.literal('ok'), demo: z.boolean(), version: z.string() });
export type WmsHealth = z.infer<typeof WmsHealth>;

/** Body of every non-2xx answer of the WMS. */
export const WmsErrorBody = z.object({ error: z.string(), details: z.unknown().optional() });
export type WmsErrorBody = z.infer<typeof WmsErrorBody>;

/** Sizes the blob endpoint accepts: whole blob and one PUT chunk. */
export const BLOB_LIMITS = { maxBlobBytes: 10 * 1024 * 1024, maxChunkBytes: 1024 * 1024 } as const;

/**
 * Where an upload of one blob stands. Also sent as the `Upload-Offset` / `Upload-Length` headers of
 * `HEAD blobs/{sha256}`: offset = length when the blob is complete, less while an upload can be resumed.
 */
export const BlobState = z.object({
  sha256: Sha256,
  /** Bytes the WMS holds; the next chunk must start here. */
  offset: z.number().int().min(0),
  length: z.number().int().positive().max(BLOB_LIMITS.maxBlobBytes),
  complete: z.boolean(),
});
export type BlobState = z.infer<typeof BlobState>;

/** Headers of a `HEAD blobs/{sha256}` answer (lower-case, as HTTP libraries give them). */
export const BlobHeadHeaders = z.object({
  'upload-offset': z.coerce.number().int().min(0),
  'upload-length': z.coerce.number().int().positive().max(BLOB_LIMITS.maxBlobBytes),
});
export type BlobHeadHeaders = z.infer<typeof BlobHeadHeaders>;

/** `Content-Range: bytes start-end/total` of a chunk PUT (end inclusive, as in HTTP). */
export const BlobContentRange = z
  .string()
  .regex(/^bytes \d{1,9}-\d{1,9}\/\d{1,9}$/, 'Content-Range must be "bytes start-end/total"')
  .transform((s) => {
    const [start, end, total] = (s.match(/\d+/g) ?? []).map(Number);
    return { start: start ?? 0, end: end ?? -1, total: total ?? 0 };
  })
  .pipe(
    z
      .object({ start: z.number().int().min(0), end: z.number().int().min(0), total: z.number().int().positive().max(BLOB_LIMITS.maxBlobBytes) })
      .refine((r) => r.end >= r.start && r.end < r.total, 'the range must lie inside the blob')
      .refine((r) => r.end - r.start + 1 <= BLOB_LIMITS.maxChunkBytes, `a chunk is at most ${BLOB_LIMITS.maxChunkBytes} bytes`),
  );
export type BlobContentRange = z.infer<typeof BlobContentRange>;

export function contentRangeHeader(start: number, byteCount: number, total: number): string {
  return `bytes ${start}-${start + byteCount - 1}/${total}`;
}

/** Demo WMS only: fault switches for reliability tests. Shares are probabilities 0..1 per request. */
const faultFields = {
  /** Every API call is answered by closing the connection, as if the host were unreachable. */
  down: z.boolean(),
  /** Delay before each answer. */
  slowMs: z.number().int().min(0).max(120_000),
  /** Share of requests answered 503 (with Retry-After) before doing anything. */
  failRate: z.number().min(0).max(1),
  /** Retry-After (seconds) sent with the injected 503s; 0 sends none. */
  retryAfterSec: z.number().int().min(0).max(3600),
  /** Share of event batches applied and committed, then the connection is dropped without an answer. */
  dropAfterCommitRate: z.number().min(0).max(1),
  /** Share of event batches that the network delivers twice (the WMS processes them twice). */
  duplicateRate: z.number().min(0).max(1),
};
export const WmsFaults = z.object({
  down: faultFields.down.default(false),
  slowMs: faultFields.slowMs.default(0),
  failRate: faultFields.failRate.default(0),
  retryAfterSec: faultFields.retryAfterSec.default(0),
  dropAfterCommitRate: faultFields.dropAfterCommitRate.default(0),
  duplicateRate: faultFields.duplicateRate.default(0),
});
export type WmsFaults = z.infer<typeof WmsFaults>;
// No defaults here: `.partial()` of a schema with defaults fills every omitted field, so a patch would reset them.
export const WmsFaultsPatch = z.object(faultFields).partial().strict();
export type WmsFaultsPatch = z.infer<typeof WmsFaultsPatch>;

export const WMS_PATHS = {
  products: '/api/v1/products',
  rmas: '/api/v1/rmas',
  rmaLookup: '/api/v1/rmas/lookup',
  /** Inbound manifests of consolidated totes, pulled by cursor like RMAs (issue 17). */
  manifests: '/api/v1/inbound-manifests',
  events: '/api/v1/events',
  health: '/api/v1/health',
  /** HEAD: upload state; PUT with Content-Range: append a chunk. A template: use `wmsBlobPath`. */
  blob: '/api/v1/blobs/{sha256}',
  /** Demo WMS only. */
  adminFaults: '/__admin/faults',
} as const;

export function wmsBlobPath(sha256: string): string {
  return WMS_PATHS.blob.replace('{sha256}', sha256);
}
