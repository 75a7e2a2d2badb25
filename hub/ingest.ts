import type { EventAck, WmsEvent } from '../contract/index.js';
import { inTransaction, type Pool, type PoolClient } from './db.js';
import { HUB_EVENT_ERRORS } from './protocol.js';

const aggKey = (type: string, id: string): string => `${type}\u0000${id}`;

/** The photos an event names; the hub must hold each of them before it accepts the event. */
export function photosOf(e: WmsEvent): string[] {
  return e.type === 'item.graded' ? [...new Set(e.payload.photos ?? [])] : [];
}

export interface IngestResult {
  acks: EventAck[];
  accepted: number;
}

/** Another batch created the head of an aggregate this batch took for new, between its read and its write. */
class HeadTaken extends Error {}

/** How many times a batch is decided again after losing such a race (each retry finds the heads it lacked). */
const RACE_RETRIES = 5;

/**
 * Accepts one bench's batch in one transaction: each accepted event and its relay row are written
 * together, or nothing is. The same rules as the WMS decide each event (idempotency key, per-aggregate
 * sequence), against what the hub has accepted from every bench of the site, so the relay can keep
 * one order per aggregate. A replayed batch finds every key and writes nothing.
 *
 * The work is set-based, a handful of statements per batch whatever its size (this is the hub's hot path:
 * fifty benches deliver here). Existing aggregate heads are locked; an aggregate seen for the first time has
 * no row to lock, so its head is inserted only when an event of it is accepted, and a batch that finds one of
 * those heads created meanwhile by another batch is rolled back and decided again.
 */
export async function ingestBatch(pool: Pool, siteId: string, stationId: string, events: readonly WmsEvent[]): Promise<IngestResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(pool, (c) => ingestOnce(c, siteId, stationId, events));
    } catch (err) {
      if (!(err instanceof HeadTaken) || attempt >= RACE_RETRIES) throw err;
    }
  }
}

async function ingestOnce(c: PoolClient, siteId: string, stationId: string, events: readonly WmsEvent[]): Promise<IngestResult> {
  const aggs = new Map<string, { t: string; i: string }>();
  for (const e of events) aggs.set(aggKey(e.aggregateType, e.aggregateId), { t: e.aggregateType, i: e.aggregateId });
  const types: string[] = [];
  const ids: string[] = [];
  for (const a of aggs.values()) {
    types.push(a.t);
    ids.push(a.i);
  }
  // Heads are locked in one fixed order, so two benches' batches on shared aggregates wait for each
  // other instead of deadlocking.
  const heads = await c.query<{ t: string; i: string; s: number }>({
    name: 'hub.ingest.lockHeads',
    text: `SELECT h.aggregate_type AS t, h.aggregate_id AS i, h.last_sequence AS s
           FROM unnest($2::text[], $3::text[]) AS u(t, i)
           JOIN aggregate_heads h ON h.site_id = $1 AND h.aggregate_type = u.t AND h.aggregate_id = u.i
           ORDER BY h.aggregate_type, h.aggregate_id FOR UPDATE OF h`,
    values: [siteId, types, ids],
  });
  // Only once the heads are held: a batch of the same aggregates that committed meanwhile is seen.
  const existing = new Map(heads.rows.map((h) => [aggKey(h.t, h.i), h.s]));
  const last = new Map(existing);

  const known = await c.query<{ k: string; s: string }>({
    name: 'hub.ingest.knownKeys',
    text: 'SELECT idempotency_key AS k, station_id AS s FROM events WHERE site_id = $1 AND idempotency_key = ANY($2::uuid[])',
    values: [siteId, events.map((e) => e.idempotencyKey)],
  });
  const owner = new Map(known.rows.map((k) => [k.k.toLowerCase(), k.s]));

  const photos = [...new Set(events.flatMap(photosOf))];
  const held = new Set(
    photos.length === 0
      ? []
      : (
          await c.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE site_id = $1 AND sha256 = ANY($2::text[]) AND complete_at IS NOT NULL', [siteId, photos])
        ).rows.map((r) => r.sha256),
  );

  const accepted: WmsEvent[] = [];
  const acks = events.map((e): EventAck => {
    const key = e.idempotencyKey;
    const seenBy = owner.get(key.toLowerCase());
    if (seenBy !== undefined) {
      return seenBy === stationId
        ? { idempotencyKey: key, status: 'duplicate' }
        : { idempotencyKey: key, status: 'rejected', error: `${HUB_EVENT_ERRORS.keyOfAnotherBench}: this key was sent by another bench` };
    }
    if (e.payload.stationId !== stationId) {
      return { idempotencyKey: key, status: 'rejected', error: `${HUB_EVENT_ERRORS.otherStation}: the event names station ${e.payload.stationId}, this bench is ${stationId}` };
    }
    const missing = photosOf(e).find((h) => !held.has(h));
    if (missing !== undefined) {
      return { idempotencyKey: key, status: 'rejected', error: `${HUB_EVENT_ERRORS.photoMissing}: photo ${missing.slice(0, 12)}… was not uploaded to the hub first` };
    }
    const k = aggKey(e.aggregateType, e.aggregateId);
    const lastSeq = last.get(k) ?? 0;
    if (e.sequence <= lastSeq) {
      return { idempotencyKey: key, status: 'rejected', error: `${HUB_EVENT_ERRORS.sequenceUsed}: sequence ${e.sequence} of ${e.aggregateType} ${e.aggregateId} was already used by another event` };
    }
    const follows = e.previousSequence ?? e.sequence - 1;
    if (lastSeq === follows || (e.previousSequence !== undefined && lastSeq > follows)) {
      last.set(k, e.sequence);
      owner.set(key.toLowerCase(), stationId);
      accepted.push(e);
      return { idempotencyKey: key, status: 'applied' };
    }
    return { idempotencyKey: key, status: 'out_of_order', error: `${HUB_EVENT_ERRORS.sequenceGap}: expected sequence ${follows} of ${e.aggregateType} ${e.aggregateId} first; the hub holds up to ${lastSeq}` };
  });
  if (accepted.length === 0) return { acks, accepted: 0 };

  // The heads that moved: new ones inserted (in the same fixed order), held ones updated, in one statement.
  const fresh = { t: [] as string[], i: [] as string[], s: [] as number[] };
  const moved = { t: [] as string[], i: [] as string[], s: [] as number[] };
  for (const [k, s] of last) {
    const was = existing.get(k);
    if (was === s) continue;
    const a = aggs.get(k)!;
    const into = was === undefined ? fresh : moved;
    into.t.push(a.t);
    into.i.push(a.i);
    into.s.push(s);
  }
  const wrote = await c.query<{ inserted: number }>({
    name: 'hub.ingest.writeHeads',
    text: `WITH fresh AS (
             INSERT INTO aggregate_heads (site_id, aggregate_type, aggregate_id, last_sequence)
             SELECT $1, t, i, s FROM unnest($2::text[], $3::text[], $4::int[]) AS u(t, i, s) ORDER BY t, i
             ON CONFLICT DO NOTHING RETURNING 1),
           moved AS (
             UPDATE aggregate_heads h SET last_sequence = u.s
             FROM unnest($5::text[], $6::text[], $7::int[]) AS u(t, i, s)
             WHERE h.site_id = $1 AND h.aggregate_type = u.t AND h.aggregate_id = u.i)
           SELECT count(*)::int AS inserted FROM fresh`,
    values: [siteId, fresh.t, fresh.i, fresh.s, moved.t, moved.i, moved.s],
  });
  if ((wrote.rows[0]?.inserted ?? 0) !== fresh.t.length) throw new HeadTaken();

  // The events and their relay rows in one statement. Relay ids follow the batch's order (the acceptance
  // order), which is the order the relay keeps.
  await c.query({
    name: 'hub.ingest.writeEvents',
    text: `WITH r AS (
             SELECT * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[])
               WITH ORDINALITY AS r(k, t, i, s, p, y, d, o, n)),
           e AS (
             INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, previous_sequence, type, payload, occurred_at)
             SELECT $1, k, $2, t, i, s, p, y, d::jsonb, o FROM r ORDER BY n)
           INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id)
           SELECT $1, k, $2, t, i FROM r ORDER BY n`,
    values: [
      siteId,
      stationId,
      accepted.map((e) => e.idempotencyKey),
      accepted.map((e) => e.aggregateType),
      accepted.map((e) => e.aggregateId),
      accepted.map((e) => e.sequence),
      accepted.map((e) => e.previousSequence ?? null),
      accepted.map((e) => e.type),
      accepted.map((e) => JSON.stringify(e.payload)),
      accepted.map((e) => e.occurredAt),
    ],
  });
  return { acks, accepted: accepted.length };
}
