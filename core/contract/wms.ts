import { z } from 'zod';
import { Disposition, Grade, Product, Rma } from './entities.js';

/** Cursor for pulls: rows strictly after (updatedAt, id) in that order. */
export const PullCursor = z.object({ updatedSince: z.string(), afterId: z.string() });
export type PullCursor = z.infer<typeof PullCursor>;

export const ProductPage = z.object({ items: z.array(Product), next: PullCursor.nullable() });
export type ProductPage = z.infer<typeof ProductPage>;

export const RmaPage = z.object({ items: z.array(Rma), next: PullCursor.nullable() });
export type RmaPage = z.infer<typeof RmaPage>;

export const AggregateType = z.enum(['rma', 'parcel', 'item', 'container']);
export type AggregateType = z.infer<typeof AggregateType>;

const ItemGradedPayload = z.object({
  itemId: z.string(),
  lpn: z.string(),
  parcelId: z.string(),
  rmaNumber: z.string(),
  lineId: z.string(),
  sku: z.string(),
  grade: Grade,
  disposition: Disposition,
  destination: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.number().int(),
  operatorId: z.string(),
  stationId: z.string(),
  gradedAt: z.string(),
});

const ParcelReceivedPayload = z.object({
  parcelId: z.string(),
  rmaNumber: z.string(),
  scannedCode: z.string(),
  operatorId: z.string(),
  stationId: z.string(),
  receivedAt: z.string(),
});

/** Every event type the station sends to the WMS, with its payload schema. */
export const WmsEventBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('parcel.received'), payload: ParcelReceivedPayload }),
  z.object({ type: z.literal('item.graded'), payload: ItemGradedPayload }),
]);
export type WmsEventBody = z.infer<typeof WmsEventBody>;
export type WmsEventType = WmsEventBody['type'];

export const WmsEvent = z.intersection(
  z.object({
    idempotencyKey: z.string().uuid(),
    aggregateType: AggregateType,
    aggregateId: z.string().min(1),
    sequence: z.number().int().positive(),
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

export const WMS_PATHS = {
  products: '/api/v1/products',
  rmas: '/api/v1/rmas',
  events: '/api/v1/events',
  health: '/api/v1/health',
} as const;
