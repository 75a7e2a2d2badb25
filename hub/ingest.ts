import type { EventAck, WmsEvent } from '../contract/index.js';
import { inTransaction, type Pool, type PoolClient } from './db.js';
import { flagLocksOf, writeNewBatch } from './ingestGroup.js';
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

/**
 * Accepts one bench's batch atomically: each accepted event and its relay row are written together, or
 * nothing is. The same rules as the WMS decide each event (idempotency key, per-aggregate sequence), against
 * what the hub has accepted from every bench of the site, so the relay can keep one order per aggregate. A
 * replayed batch finds every key and writes nothing.
 *
 * This is the hub's hot path (fifty benches deliver here). The usual batch (new parcels and items, every event
 * in sequence) is decided without a read and written in one statement: the heads of its aggregates, the events
 * and their relay rows, shared with other benches' batches arriving at the same moment (hub/ingestGroup.ts).
 * The heads are plain inserts, so a head that exists (an aggregate the hub knows, a replayed batch, or another
 * bench's batch creating it at the same moment: it is waited for) fails the statement, as does a key the hub
 * already holds (the events' primary key); nothing is written, and the batch takes the long way, which reads
 * what it lacked. Either way the bench's acknowledgement waits for the commit.
 */
export async function ingestBatch(pool: Pool, siteId: string, stationId: string, events: readonly WmsEvent[]): Promise<IngestResult> {
  const none = new Map<string, never>();
  // Photos are checked on the long way only: they need a read first.
  if (!events.some((e) => photosOf(e).length > 0)) {
    const ifNew = decide(events, stationId, none, none, new Set());
    if (ifNew.accepted.length === events.length) {
      try {
        await writeNewBatch(pool, siteId, { stationId, eventsJson: JSON.stringify(ifNew.accepted), events: ifNew.accepted.length, locks: flagLocksOf(ifNew.accepted) });
        return { acks: ifNew.acks, accepted: ifNew.accepted.length };
      } catch (err) {
        if (!retryable(err)) throw err;
      }
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(pool, (c) => ingestKnown(c, siteId, stationId, events, aggregatesOf(events)));
    } catch (err) {
      if (!retryable(err) || attempt >= RETRIES) throw err;
    }
  }
}

/**
 * unique_violation: a key or head the batch took for new was not (or another batch of other aggregates committed
 * the key after this one read the keys); deadlock_detected: retried, as PostgreSQL advises.
 */
const retryable = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === '40P01';
};

/** How many times the long way is tried again after such a failure (each time reading what it lacked). */
const RETRIES = 5;

/** The batch's aggregates, each once. */
function aggregatesOf(events: readonly WmsEvent[]): Map<string, { t: string; i: string }> {
  const aggs = new Map<string, { t: string; i: string }>();
  for (const e of events) aggs.set(aggKey(e.aggregateType, e.aggregateId), { t: e.aggregateType, i: e.aggregateId });
  return aggs;
}

interface Decision {
  acks: EventAck[];
  accepted: WmsEvent[];
  /** Per aggregate with an accepted event: the sequence the batch takes it to. */
  last: Map<string, number>;
}

/** Decides each event in batch order against the heads and keys the hub holds (absent: none). */
function decide(events: readonly WmsEvent[], stationId: string, heads: ReadonlyMap<string, number>, known: ReadonlyMap<string, string>, held: ReadonlySet<string>): Decision {
  const last = new Map<string, number>();
  const owner = new Map(known);
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
    const lastSeq = last.get(k) ?? heads.get(k) ?? 0;
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
  return { acks, accepted, last };
}

/**
 * The long way, in one transaction. The heads of all the batch's aggregates are inserted, or locked where they
 * exist, in one fixed order, so two benches' batches on shared aggregates wait for each other instead of
 * deadlocking; then the heads and keys are read, the batch is decided on them, and the heads are corrected.
 */
async function ingestKnown(c: PoolClient, siteId: string, stationId: string, events: readonly WmsEvent[], aggs: Map<string, { t: string; i: string }>): Promise<IngestResult> {
  const photos = [...new Set(events.flatMap(photosOf))];
  const held = new Set(
    photos.length === 0
      ? []
      : (
          await c.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE site_id = $1 AND sha256 = ANY($2::text[]) AND complete_at IS NOT NULL', [siteId, photos])
        ).rows.map((r) => r.sha256),
  );

  // A new head is written with the sequence the batch would take it to, which is usually what it takes it to.
  const none = new Map<string, never>();
  const ifNew = decide(events, stationId, none, none, held);
  const head = { t: [] as string[], i: [] as string[], s: [] as number[] };
  for (const [k, a] of aggs) {
    head.t.push(a.t);
    head.i.push(a.i);
    head.s.push(ifNew.last.get(k) ?? 0);
  }
  // ON CONFLICT DO UPDATE … WHERE false updates nothing but locks each existing head (PostgreSQL locks the rows
  // it would update whatever the WHERE says); a head another batch is inserting is waited for. RETURNING
  // names only the heads this statement inserted.
  const inserted = await c.query<{ t: string; i: string }>({
    name: 'hub.ingest.takeHeads',
    text: `INSERT INTO aggregate_heads AS h (site_id, aggregate_type, aggregate_id, last_sequence)
           SELECT $1, t, i, s FROM unnest($2::text[], $3::text[], $4::int[]) AS u(t, i, s) ORDER BY t, i
           ON CONFLICT (site_id, aggregate_type, aggregate_id) DO UPDATE SET last_sequence = h.last_sequence WHERE false
           RETURNING h.aggregate_type AS t, h.aggregate_id AS i`,
    values: [siteId, head.t, head.i, head.s],
  });
  const fresh = new Set(inserted.rows.map((r) => aggKey(r.t, r.i)));

  // Every head is held now, so these reads see the last batch that touched them.
  const known = new Map<string, string>();
  const existing = new Map<string, number>();
  const old = { t: [] as string[], i: [] as string[] };
  for (const [k, a] of aggs) {
    if (fresh.has(k)) continue;
    old.t.push(a.t);
    old.i.push(a.i);
  }
  if (old.t.length > 0) {
    const heads = await c.query<{ t: string; i: string; s: number }>({
      name: 'hub.ingest.readHeads',
      text: `SELECT h.aggregate_type AS t, h.aggregate_id AS i, h.last_sequence AS s
             FROM unnest($2::text[], $3::text[]) AS u(t, i)
             JOIN aggregate_heads h ON h.site_id = $1 AND h.aggregate_type = u.t AND h.aggregate_id = u.i`,
      values: [siteId, old.t, old.i],
    });
    for (const h of heads.rows) existing.set(aggKey(h.t, h.i), h.s);
  }
  const keys = await c.query<{ k: string; s: string }>({
    name: 'hub.ingest.knownKeys',
    text: 'SELECT idempotency_key AS k, station_id AS s FROM events WHERE site_id = $1 AND idempotency_key = ANY($2::uuid[])',
    values: [siteId, events.map((e) => e.idempotencyKey)],
  });
  for (const k of keys.rows) known.set(k.k.toLowerCase(), k.s);
  const d = decide(events, stationId, existing, known, held);

  // Heads just written that the batch does not take where it would have, and held heads that moved.
  const set = { t: [] as string[], i: [] as string[], s: [] as number[] };
  const drop = { t: [] as string[], i: [] as string[] };
  head.t.forEach((t, n) => {
    const i = head.i[n]!;
    const k = aggKey(t, i);
    const now = fresh.has(k) ? head.s[n]! : existing.get(k);
    const next = d.last.get(k);
    if (next === undefined) {
      // No event of it applied: a head this batch created must not stay (nothing was accepted of it).
      if (fresh.has(k)) {
        drop.t.push(t);
        drop.i.push(i);
      }
    } else if (next !== now) {
      set.t.push(t);
      set.i.push(i);
      set.s.push(next);
    }
  });
  if (set.t.length > 0) {
    await c.query({
      name: 'hub.ingest.setHeads',
      text: `UPDATE aggregate_heads h SET last_sequence = u.s FROM unnest($2::text[], $3::text[], $4::int[]) AS u(t, i, s)
             WHERE h.site_id = $1 AND h.aggregate_type = u.t AND h.aggregate_id = u.i`,
      values: [siteId, set.t, set.i, set.s],
    });
  }
  if (drop.t.length > 0) {
    await c.query({
      name: 'hub.ingest.dropHeads',
      text: `DELETE FROM aggregate_heads h USING unnest($2::text[], $3::text[]) AS u(t, i)
             WHERE h.site_id = $1 AND h.aggregate_type = u.t AND h.aggregate_id = u.i`,
      values: [siteId, drop.t, drop.i],
    });
  }
  if (d.accepted.length > 0) await c.query(writeEvents(siteId, stationId, d.accepted));
  return { acks: d.acks, accepted: d.accepted.length };
}

const EVENT_ROWS = `r AS (
  SELECT * FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS ("idempotencyKey" uuid, "aggregateType" text, "aggregateId" text, sequence int,
                           "previousSequence" int, type text, payload jsonb, "occurredAt" text)) WITH ORDINALITY AS r(k, t, i, s, p, y, d, o, n))`;
const INSERT_EVENTS = `e AS (
  INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, previous_sequence, type, payload, occurred_at)
  SELECT $1, k, $2, t, i, s, p, y, d, o FROM r ORDER BY n)`;
const INSERT_RELAY = `INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id)
  SELECT $1, k, $2, t, i FROM r ORDER BY n`;

/**
 * The events and their relay rows in one statement. Relay ids follow the batch's order (the acceptance order),
 * which is the order the relay keeps. The events travel as one JSON array: PostgreSQL parses it once, and no
 * payload is escaped into an array literal on the way.
 */
function writeEvents(siteId: string, stationId: string, accepted: readonly WmsEvent[]): { name: string; text: string; values: unknown[] } {
  return { name: 'hub.ingest.writeEvents', text: `WITH ${EVENT_ROWS}, ${INSERT_EVENTS} ${INSERT_RELAY}`, values: [siteId, stationId, JSON.stringify(accepted)] };
}
