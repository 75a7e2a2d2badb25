import type { EventAck, WmsEvent } from '../contract/index.js';
import { inTransaction, type Pool } from './db.js';
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
 * Accepts one bench's batch in one transaction: each accepted event and its relay row are written
 * together, or nothing is. The same rules as the WMS decide each event (idempotency key, per-aggregate
 * sequence), against what the hub has accepted from every bench of the site, so the relay can keep
 * one order per aggregate. A replayed batch finds every key and writes nothing.
 */
export async function ingestBatch(pool: Pool, siteId: string, stationId: string, events: readonly WmsEvent[]): Promise<IngestResult> {
  return inTransaction(pool, async (c) => {
    // Lock each aggregate's head in one fixed order, so two benches' batches on shared aggregates
    // wait for each other instead of deadlocking.
    const aggs = [...new Map(events.map((e) => [aggKey(e.aggregateType, e.aggregateId), e])).values()].sort((a, b) =>
      a.aggregateType === b.aggregateType ? (a.aggregateId < b.aggregateId ? -1 : a.aggregateId > b.aggregateId ? 1 : 0) : a.aggregateType < b.aggregateType ? -1 : 1,
    );
    const types = aggs.map((a) => a.aggregateType);
    const ids = aggs.map((a) => a.aggregateId);
    await c.query(
      `INSERT INTO aggregate_heads (site_id, aggregate_type, aggregate_id, last_sequence)
       SELECT $1, t, i, 0 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(t, i, n) ORDER BY n
       ON CONFLICT DO NOTHING`,
      [siteId, types, ids],
    );
    const heads = await c.query<{ aggregate_type: string; aggregate_id: string; last_sequence: number }>(
      `SELECT aggregate_type, aggregate_id, last_sequence FROM aggregate_heads
       WHERE site_id = $1 AND (aggregate_type, aggregate_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
       ORDER BY aggregate_type, aggregate_id FOR UPDATE`,
      [siteId, types, ids],
    );
    const last = new Map(heads.rows.map((h) => [aggKey(h.aggregate_type, h.aggregate_id), h.last_sequence]));

    const known = await c.query<{ idempotency_key: string; station_id: string }>(
      'SELECT idempotency_key, station_id FROM events WHERE site_id = $1 AND idempotency_key = ANY($2::uuid[])',
      [siteId, events.map((e) => e.idempotencyKey)],
    );
    const owner = new Map(known.rows.map((k) => [k.idempotency_key.toLowerCase(), k.station_id]));

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

    if (accepted.length > 0) {
      const rows = JSON.stringify(
        accepted.map((e) => ({
          k: e.idempotencyKey,
          t: e.aggregateType,
          i: e.aggregateId,
          s: e.sequence,
          p: e.previousSequence ?? null,
          y: e.type,
          d: e.payload,
          o: e.occurredAt,
        })),
      );
      await c.query(
        `INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, previous_sequence, type, payload, occurred_at)
         SELECT $1, k, $2, t, i, s, p, y, d, o FROM jsonb_to_recordset($3::jsonb) AS r(k uuid, t text, i text, s int, p int, y text, d jsonb, o text)`,
        [siteId, stationId, rows],
      );
      // Identity values follow insertion order, which is acceptance order: the relay's order.
      await c.query(
        `INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id)
         SELECT $1, (x->>'k')::uuid, $2, x->>'t', x->>'i' FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS r(x, n) ORDER BY n`,
        [siteId, stationId, rows],
      );
      const moved = [...last.entries()].filter(([k]) => accepted.some((e) => aggKey(e.aggregateType, e.aggregateId) === k));
      await c.query(
        `UPDATE aggregate_heads h SET last_sequence = u.s
         FROM unnest($2::text[], $3::text[], $4::int[]) AS u(t, i, s)
         WHERE h.site_id = $1 AND h.aggregate_type = u.t AND h.aggregate_id = u.i`,
        [siteId, moved.map(([k]) => k.split('\u0000')[0]), moved.map(([k]) => k.split('\u0000')[1]), moved.map(([, s]) => s)],
      );
    }
    return { acks, accepted: accepted.length };
  });
}
