// The relay's batches side by side (issue 14, speed): several benches' batches are in flight to the WMS at
// once, and still each aggregate's events reach the WMS once and in acceptance order, across benches.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WmsEvent } from '../contract/index.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { parcelReceived } from '../tests/integration/sync-helpers.js';
import { createPool, inTransaction, type Pool } from './db.js';
import { ingestBatch } from './ingest.js';
import { migrate } from './migrate.js';
import { createRelay, RELAY_QUEUE_PLAN, RELAY_SELECT } from './relay.js';
import { startTestPostgres, type TestPostgres } from './testing.js';
import { createWmsUpstream, type WmsUpstream } from './wmsUpstream.js';

const SITE = 'SITE-RL';
let pg: TestPostgres;
let pool: Pool;
let wms: DemoWms;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-relay-'));
  pg = await startTestPostgres();
  pool = createPool(pg.url, 12);
  await migrate(pool);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-relay' });
});
afterAll(async () => {
  await pool?.end();
  await wms?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sequences = new Map<string, number>();
function event(stationId: string, aggregateId: string): WmsEvent {
  const sequence = (sequences.get(aggregateId) ?? 0) + 1;
  sequences.set(aggregateId, sequence);
  const body = parcelReceived(`${aggregateId}-${sequence}`);
  return {
    idempotencyKey: randomUUID(),
    aggregateType: 'rma',
    aggregateId,
    sequence,
    occurredAt: '2026-01-01T00:00:00.000Z',
    ...body,
    payload: { ...body.payload, stationId },
  } as WmsEvent;
}

/** The demo WMS, slowed a little per batch, counting the batches in flight at once. */
function observed(upstream: WmsUpstream, delayMs: number) {
  const seen = { inFlight: 0, most: 0, batches: 0 };
  const wrapped: WmsUpstream = {
    ...upstream,
    baseUrl: upstream.baseUrl,
    async postEvents(batch) {
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      seen.batches++;
      try {
        await new Promise((r) => setTimeout(r, delayMs));
        return await upstream.postEvents(batch);
      } finally {
        seen.inFlight--;
      }
    },
  };
  return { wrapped, seen };
}

describe('relay with batches side by side', () => {
  it('sends several benches’ batches at once and keeps each aggregate’s order across benches, exactly once', async () => {
    const benches = ['RL-1', 'RL-2', 'RL-3', 'RL-4', 'RL-5', 'RL-6'];
    // Each bench has its own parcels, and all of them take turns on a few shared RMAs.
    for (let round = 0; round < 5; round++) {
      for (const b of benches) {
        const own = Array.from({ length: 8 }, (_, i) => event(b, `OWN-${b}-${i}`));
        const shared = [`SHARED-${round % 3}`, `SHARED-${(round + 1) % 3}`].map((a) => event(b, a));
        const r = await ingestBatch(pool, SITE, b, [...own, ...shared]);
        expect(r.accepted).toBe(10);
      }
    }
    const { wrapped, seen } = observed(createWmsUpstream({ baseUrl: wms.url, token: wms.token }), 20);
    const relay = createRelay({ pool, siteId: SITE, wms: wrapped, batchSize: 25, concurrency: 3, intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 20 });
    await relay.drain();
    expect(relay.stats()).toMatchObject({ delivered: 300, dead: 0, lastError: null });
    expect(seen.most).toBe(3);
    const open = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM relay_outbox WHERE site_id = $1 AND state <> 'delivered'", [SITE]);
    expect(open.rows[0]!.n).toBe(0);
    expect(wms.stats()).toMatchObject({ applied: 300, duplicated: 0, outOfOrder: 0 });
    // Acceptance order at the hub is the order at the WMS, aggregate by aggregate.
    for (const agg of ['SHARED-0', 'SHARED-1', 'SHARED-2']) {
      const atHub = await pool.query<{ k: string }>(
        'SELECT idempotency_key::text AS k FROM relay_outbox WHERE site_id = $1 AND aggregate_id = $2 ORDER BY id',
        [SITE, agg],
      );
      const atWms = wms.db.prepare('SELECT idempotency_key AS k FROM events WHERE aggregate_id = ? ORDER BY seq').all(agg) as { k: string }[];
      expect(atWms.map((r) => r.k.toLowerCase())).toEqual(atHub.rows.map((r) => r.k));
    }
  });
});

describe('what the relay may send', () => {
  it('holds back the later events of an aggregate whose earlier event waits for its backoff or is dead, and no other', async () => {
    const site = 'SITE-HOLD';
    const add = async (agg: string, seq: number, state: string, attempts: number, dueInSeconds: number) =>
      pool.query(
        `WITH e AS (INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, type, payload, occurred_at)
                    VALUES ($1, gen_random_uuid(), 'H-1', 'parcel', $2, $3, 'parcel.received', '{}'::jsonb, '2026-01-01T00:00:00Z') RETURNING idempotency_key)
         INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, state, attempts, next_attempt_at)
         SELECT $1, idempotency_key, 'H-1', 'parcel', $2, $4, $5, now() + make_interval(secs => $6) FROM e`,
        [site, agg, seq, state, attempts, dueInSeconds],
      );
    await add('BACKOFF', 1, 'pending', 2, 600);
    await add('BACKOFF', 2, 'pending', 0, 0);
    await add('DEAD', 1, 'dead', 1, 0);
    await add('DEAD', 2, 'pending', 0, 0);
    await add('RETRY-DUE', 1, 'pending', 3, -1);
    await add('RETRY-DUE', 2, 'pending', 0, 0);
    await add('FREE', 1, 'pending', 0, 0);
    const rows = await inTransaction(pool, async (c) => {
      await c.query(RELAY_QUEUE_PLAN);
      return (await c.query<{ aggregate_id: string; sequence: number }>(RELAY_SELECT, [site, 100])).rows;
    });
    expect(rows.map((r) => `${r.aggregate_id}#${r.sequence}`)).toEqual(['RETRY-DUE#1', 'RETRY-DUE#2', 'FREE#1']);
  });
});

describe('relay after an outage, with statistics from quiet times', () => {
  it('walks the backlog in order and stops at its window instead of reading and sorting all of it', async () => {
    const site = 'SITE-BACKLOG';
    const fill = (n: number, state: string) =>
      pool.query(
        `WITH k AS (SELECT gen_random_uuid() AS key, 'BL-' || gen_random_uuid() AS agg FROM generate_series(1, $2::int)),
         e AS (INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, type, payload, occurred_at)
               SELECT $1, key, 'BL-1', 'parcel', agg, 1, 'parcel.received', '{}'::jsonb, '2026-01-01T00:00:00Z' FROM k RETURNING idempotency_key, aggregate_id)
         INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, state)
         SELECT $1, idempotency_key, 'BL-1', 'parcel', aggregate_id, $3 FROM e`,
        [site, n, state],
      );
    // Months of everything delivered, analysed as such; then the WMS is away and a backlog builds.
    await fill(10_000, 'delivered');
    await pool.query('ANALYZE relay_outbox');
    await pool.query('ANALYZE events');
    await fill(10_000, 'pending');
    const plan = async (settings: string | null) =>
      inTransaction(pool, async (c) => {
        if (settings) await c.query(settings);
        const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, FORMAT TEXT) ${RELAY_SELECT}`, [site, 2000]);
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      });
    const relayed = await plan(RELAY_QUEUE_PLAN);
    expect(relayed).toMatch(/Index Scan using relay_outbox_open on relay_outbox o/);
    expect(relayed).not.toMatch(/Sort|Bitmap/);
    // "Is an earlier event of this aggregate dead or backing off?" reads the index of failed rows only (0011),
    // to which accepting an event adds nothing.
    expect(relayed).toMatch(/Index (Only )?Scan using relay_outbox_blocking on relay_outbox b/);
    // Only the window's rows (and the rows it skipped) were read, not the backlog.
    const scanned = Number(/Index Scan using relay_outbox_open on relay_outbox o .*actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/.exec(relayed)?.[1]);
    expect(scanned).toBeLessThanOrEqual(2000);
  }, 120_000);
});
