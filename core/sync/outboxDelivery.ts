import { WmsEvent, type EventAck } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { withRelaxedSync } from '../../db/tuning.js';
import {
  markAttemptFailed,
  markDead,
  markDelivered,
  noteTransportError,
  selectDeliverable,
  type DeliverableEvent,
} from '../../db/repositories/outbox.js';
import { BlobUnavailableError, blobsReferencedBy, type BlobUploader } from './blobUpload.js';
import { checkpointBetweenSlices, SLICE_MS, yieldToLoop } from './slices.js';
import { WmsError, type WmsClient } from './wmsClient.js';

export interface DeliveryOptions {
  stationId: string;
  /** Events per batch (the contract allows up to 1000). */
  batchSize: number;
  /** Serialized bytes per batch; one oversized event still goes alone. */
  maxBatchBytes?: number;
  /** Out-of-order answers for one event before it becomes a dead letter. */
  maxAttempts?: number;
  /** Per-event retry backoff after an out-of-order answer. */
  retryBaseMs?: number;
  retryCapMs?: number;
  now?: () => Date;
  random?: () => number;
  /** Uploads the blobs (photos) an event names before the event is sent; without it events go as they are. */
  blobs?: BlobUploader;
  /** Longest stretch, in ms, spent checking a batch's events before yielding the event loop. */
  sliceMs?: number;
  /**
   * Resolves once the events selected are on disk, where the connection does not sync its commits itself
   * (db/durableCommits.ts): the WMS must never hold an event a power cut could take from the bench.
   */
  beforeSend?: () => Promise<void>;
}

export interface DeliveryReport {
  sent: number;
  delivered: number;
  dead: number;
  deferred: number;
  batches: number;
}

/** Full jitter: a random wait in [0, min(cap, base·2^attempt)), so many stations do not retry in step. */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

function toWire(e: DeliverableEvent): WmsEvent | { invalid: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(e.row.payload);
  } catch {
    return { invalid: 'stored payload is not JSON' };
  }
  const r = e.row;
  const candidate = {
    idempotencyKey: r.idempotencyKey,
    aggregateType: r.aggregateType,
    aggregateId: r.aggregateId,
    sequence: r.sequence,
    ...(e.previousSequence !== r.sequence - 1 ? { previousSequence: e.previousSequence } : {}),
    occurredAt: r.occurredAt,
    type: r.type,
    payload,
  };
  const parsed = WmsEvent.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { invalid: `event does not match the WMS contract (${first ? `${first.path.join('.')}: ${first.message}` : 'unknown'})` };
  }
  return parsed.data;
}

/**
 * Sends everything deliverable now, batch after batch, until nothing is left or the WMS fails as a whole.
 * A whole-batch failure that may pass (network, timeout, 5xx, malformed answer) is thrown as WmsError for
 * the engine to back off; the events stay pending and nothing counts toward their dead-letter limit, since
 * a WMS outage of a whole shift must not turn the queue into dead letters.
 */
export async function deliverOutbox(db: Db, client: WmsClient, options: DeliveryOptions): Promise<DeliveryReport> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const maxBytes = options.maxBatchBytes ?? 512 * 1024;
  const maxAttempts = options.maxAttempts ?? 8;
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const report: DeliveryReport = { sent: 0, delivered: 0, dead: 0, deferred: 0, batches: 0 };

  for (;;) {
    const sizes = new Map<number, number>();
    const sizeOf = (c: DeliverableEvent): number => {
      let s = sizes.get(c.row.id);
      if (s === undefined) {
        s = c.row.payload.length + 300;
        sizes.set(c.row.id, s);
      }
      return s;
    };
    const candidates = selectDeliverable(db, {
      now: now().toISOString(),
      maxCount: options.batchSize,
      fits: (c, selected) => selected.reduce((t, x) => t + sizeOf(x), 0) + sizeOf(c) <= maxBytes,
    });
    if (candidates.length === 0) return report;
    await options.beforeSend?.();

    const wire: WmsEvent[] = [];
    const sentIds: number[] = [];
    const before = { delivered: report.delivered, dead: report.dead };
    let blobFailure: { id: number; error: unknown } | null = null;
    // Each event's payload is parsed and checked against the contract: a batch of 1000 is a long stretch,
    // so the loop is yielded every slice (a scan arriving meanwhile waits one slice, not the batch).
    let sliceStarted = performance.now();
    for (const c of candidates) {
      if (performance.now() - sliceStarted >= sliceMs) {
        await yieldToLoop();
        sliceStarted = performance.now();
      }
      const w = toWire(c);
      if ('invalid' in w) {
        // Nothing the WMS could ever accept. Stop the batch here: later events of its aggregate
        // must not ride along, and the next selection leaves that aggregate blocked for a lead.
        markDead(db, c.row.id, w.invalid, now().toISOString());
        report.dead++;
        break;
      }
      const hashes = options.blobs ? blobsReferencedBy(w) : [];
      if (options.blobs && hashes.length > 0) {
        // The WMS must never see an event whose photo it cannot fetch: blobs first, then the event.
        try {
          await options.blobs.ensure(hashes);
        } catch (err) {
          if (err instanceof BlobUnavailableError) {
            markDead(db, c.row.id, err.message, now().toISOString());
            report.dead++;
          } else {
            // An outage: the events before this one still go; this one and the rest wait for the backoff.
            blobFailure = { id: c.row.id, error: err };
          }
          break;
        }
      }
      wire.push(w);
      sentIds.push(c.row.id);
    }

    const ctx: SendContext = { now, random, maxAttempts, options };
    if (wire.length > 0 && (await sendBatch(db, client, options.stationId, wire, sentIds, report, ctx)) === 'split') {
      // The WMS refused the batch as a whole (4xx): send one by one so only the bad event dies.
      for (let i = 0; i < wire.length; i++) {
        const single = wire[i];
        const id = sentIds[i];
        if (single === undefined || id === undefined) continue;
        // A lone event refused as a whole is itself the problem; stop and let re-selection
        // hold back the rest of its aggregate.
        if ((await sendBatch(db, client, options.stationId, [single], [id], report, ctx)) === 'split') break;
      }
    }
    if (blobFailure) {
      const message = blobFailure.error instanceof Error ? blobFailure.error.message : String(blobFailure.error);
      noteTransportError(db, [blobFailure.id], `photo upload: ${message}`);
      throw blobFailure.error;
    }
    // Only out-of-order answers this round: those events wait for their backoff, not for this loop.
    if (report.delivered === before.delivered && report.dead === before.dead) return report;
    // A backlog of 100k is hundreds of batches: the sync timer's checkpoint waits for the whole drain.
    await checkpointBetweenSlices(db);
    await yieldToLoop();
  }
}

interface SendContext {
  now: () => Date;
  random: () => number;
  maxAttempts: number;
  options: DeliveryOptions;
}

async function sendBatch(
  db: Db,
  client: WmsClient,
  stationId: string,
  events: WmsEvent[],
  ids: number[],
  report: DeliveryReport,
  ctx: SendContext,
): Promise<'done' | 'split'> {
  report.batches++;
  report.sent += events.length;
  let acks: EventAck[];
  try {
    acks = (await client.postEvents({ stationId, events })).results;
  } catch (err) {
    if (err instanceof WmsError && err.kind === 'http' && !err.retryable && err.status !== undefined) {
      if (events.length > 1) return 'split';
      const id = ids[0];
      if (id !== undefined) {
        markDead(db, id, `refused by the WMS: ${err.message}`, ctx.now().toISOString());
        report.dead++;
      }
      return 'split';
    }
    const message = err instanceof Error ? err.message : String(err);
    noteTransportError(db, ids, message);
    throw err;
  }

  const byKey = new Map(acks.map((a) => [a.idempotencyKey, a]));
  const at = ctx.now().toISOString();
  const delivered: number[] = [];
  afterAckCommit(db, () => {
    events.forEach((e, i) => {
      const id = ids[i];
      if (id === undefined) return;
      const ack = byKey.get(e.idempotencyKey);
      if (ack && (ack.status === 'applied' || ack.status === 'duplicate')) {
        delivered.push(id);
      } else if (ack && ack.status === 'rejected') {
        markDead(db, id, `rejected by the WMS: ${ack.error ?? 'no reason given'}`, at);
        report.dead++;
      } else {
        const why = ack ? `the WMS wants an earlier event first (${ack.error ?? 'out of order'})` : 'the WMS did not acknowledge this event';
        const attempts = markAttemptFailed(db, id, why, (n) => retryAt(ctx, n));
        if (attempts >= ctx.maxAttempts) {
          markDead(db, id, `${why}; gave up after ${attempts} attempts`, at);
          report.dead++;
        } else {
          report.deferred++;
        }
      }
    });
    markDelivered(db, delivered, at);
  });
  report.delivered += delivered.length;
  return 'done';
}

/**
 * Records the WMS's answers in one transaction without waiting for an fsync. Losing these marks to a
 * power cut only means the events are sent again, and the WMS answers "duplicate" by idempotency key;
 * the events themselves were committed with synchronous=FULL when they were appended. The fsync per
 * batch was about half of the station's own drain time (bench: 100k events, 0.43 of raw posts).
 * better-sqlite3 is synchronous, so no other transaction can run while the setting is relaxed.
 */
function afterAckCommit(db: Db, write: () => void): void {
  withRelaxedSync(db, write);
}

function retryAt(ctx: SendContext, attempts: number): string {
  const delay = backoffDelayMs(attempts, ctx.options.retryBaseMs ?? 500, ctx.options.retryCapMs ?? 60_000, ctx.random);
  return new Date(ctx.now().getTime() + delay).toISOString();
}
