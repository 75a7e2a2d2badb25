// The hub's set-based ingest (issue 14, speed): what it must keep while it writes a batch in a few statements.
// Benches racing for aggregates the hub has never seen, and the site review queue kept by a statement-level
// trigger. The HTTP rules (replay, gap, another bench's events, per-event acks) are in hub.test.ts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WmsEvent } from '../contract/index.js';
import { itemGraded, parcelReceived } from '../tests/integration/sync-helpers.js';
import { authenticateBench, createEnrolmentCode, enrolBench, revokeBench } from './auth.js';
import { createPool, type Pool } from './db.js';
import { ingestBatch } from './ingest.js';
import { flagLocksOf } from './ingestGroup.js';
import { migrate } from './migrate.js';
import { HUB_EVENT_ERRORS } from './protocol.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

const SITE = 'SITE-I';
let pg: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  pg = await startTestPostgres();
  pool = createPool(pg.url, 12);
  await migrate(pool);
});
afterAll(async () => {
  await pool?.end();
  await pg?.stop();
});

function parcel(stationId: string, parcelId: string, sequence = 1): WmsEvent {
  const body = parcelReceived(parcelId);
  return {
    idempotencyKey: randomUUID(),
    aggregateType: 'parcel',
    aggregateId: parcelId,
    sequence,
    occurredAt: '2026-01-01T00:00:00.000Z',
    ...body,
    payload: { ...body.payload, stationId },
  } as WmsEvent;
}

describe('hub ingest, set-based', () => {
  it('gives each new aggregate to one of several benches racing for it; the others are told the sequence is used, and nothing fails', async () => {
    const benches = ['RACE-A', 'RACE-B', 'RACE-C', 'RACE-D'];
    for (let round = 0; round < 8; round++) {
      const shared = Array.from({ length: 20 }, (_, i) => `RACE-${round}-${i}`);
      // Each bench sends the shared parcels in its own order, with one of its own in between.
      const results = await Promise.all(
        benches.map((b, n) => {
          const order = n % 2 === 0 ? shared : [...shared].reverse();
          return ingestBatch(pool, SITE, b, [...order.map((p) => parcel(b, p)), parcel(b, `OWN-${round}-${b}`)]);
        }),
      );
      for (const p of shared) {
        const outcomes = results.map((r, n) => r.acks[(n % 2 === 0 ? shared.indexOf(p) : shared.length - 1 - shared.indexOf(p))]!);
        expect(outcomes.filter((a) => a.status === 'applied')).toHaveLength(1);
        for (const a of outcomes.filter((x) => x.status !== 'applied')) {
          expect(a.status).toBe('rejected');
          expect(a.error).toContain(HUB_EVENT_ERRORS.sequenceUsed);
        }
      }
      expect(results.every((r) => r.acks.at(-1)!.status === 'applied')).toBe(true);
    }
    const check = await pool.query<{ events: number; relay: number; heads: number; bad: number }>(
      `SELECT (SELECT count(*)::int FROM events WHERE site_id = $1 AND aggregate_id LIKE 'RACE-%') AS events,
              (SELECT count(*)::int FROM relay_outbox WHERE site_id = $1 AND aggregate_id LIKE 'RACE-%') AS relay,
              (SELECT count(*)::int FROM aggregate_heads WHERE site_id = $1 AND aggregate_id LIKE 'RACE-%' AND last_sequence = 1) AS heads,
              (SELECT count(*)::int FROM events e LEFT JOIN relay_outbox o USING (site_id, idempotency_key) WHERE e.site_id = $1 AND o.id IS NULL) AS bad`,
      [SITE],
    );
    expect(check.rows[0]).toEqual({ events: 160, relay: 160, heads: 160, bad: 0 });
  });

  it('moves held heads and creates new ones in one batch, and writes no head for an aggregate whose events were all refused', async () => {
    const first = await ingestBatch(pool, SITE, 'MIX-A', [parcel('MIX-A', 'MIX-1')]);
    expect(first.accepted).toBe(1);
    const r = await ingestBatch(pool, SITE, 'MIX-A', [parcel('MIX-A', 'MIX-1', 2), parcel('MIX-A', 'MIX-2'), parcel('MIX-A', 'MIX-3', 2)]);
    expect(r.acks.map((a) => a.status)).toEqual(['applied', 'applied', 'out_of_order']);
    const heads = await pool.query<{ aggregate_id: string; last_sequence: number }>(
      "SELECT aggregate_id, last_sequence FROM aggregate_heads WHERE site_id = $1 AND aggregate_id LIKE 'MIX-%' ORDER BY aggregate_id",
      [SITE],
    );
    expect(heads.rows).toEqual([
      { aggregate_id: 'MIX-1', last_sequence: 2 },
      { aggregate_id: 'MIX-2', last_sequence: 1 },
    ]);
    const order = await pool.query<{ aggregate_id: string; sequence: number }>(
      "SELECT o.aggregate_id, e.sequence FROM relay_outbox o JOIN events e USING (site_id, idempotency_key) WHERE o.site_id = $1 AND o.aggregate_id LIKE 'MIX-%' ORDER BY o.id",
      [SITE],
    );
    expect(order.rows).toEqual([
      { aggregate_id: 'MIX-1', sequence: 1 },
      { aggregate_id: 'MIX-1', sequence: 2 },
      { aggregate_id: 'MIX-2', sequence: 1 },
    ]);
  });
});

describe('hub ingest, new batches together', () => {
  it('writes benches’ new batches that arrive together in shared statements, each batch in its order with its relay rows', async () => {
    const benches = Array.from({ length: 20 }, (_, n) => `GROUP-${n}`);
    const batches = benches.map((b) => Array.from({ length: 5 }, (_, k) => parcel(b, `G-${b}-${k}`)));
    const results = await Promise.all(benches.map((b, n) => ingestBatch(pool, SITE, b, batches[n]!)));
    expect(results.every((r) => r.accepted === 5 && r.acks.every((a) => a.status === 'applied'))).toBe(true);
    const r = await pool.query<{ events: number; relay: number; commits: number }>(
      `SELECT count(*)::int AS events, count(o.id)::int AS relay, count(DISTINCT e.xmin::text)::int AS commits
       FROM events e LEFT JOIN relay_outbox o USING (site_id, idempotency_key) WHERE e.site_id = $1 AND e.aggregate_id LIKE 'G-GROUP-%'`,
      [SITE],
    );
    expect(r.rows[0]).toMatchObject({ events: 100, relay: 100 });
    // Fewer commits than batches: all but the first few waited and went together.
    expect(r.rows[0]!.commits).toBeLessThan(benches.length / 2);
    for (const [n, b] of benches.entries()) {
      const order = await pool.query<{ k: string }>('SELECT idempotency_key::text AS k FROM relay_outbox WHERE site_id = $1 AND station_id = $2 ORDER BY id', [SITE, b]);
      expect(order.rows.map((x) => x.k)).toEqual(batches[n]!.map((e) => e.idempotencyKey));
    }
  });

  it('puts no more of the site flags’ locks in one statement than the largest single batch takes', async () => {
    // Receipts with an RMA: one lock each. Six benches' batches of 1,000 at once: never more than three in a commit.
    const batches = Array.from({ length: 6 }, (_, n) => Array.from({ length: 1000 }, (_, k) => parcel(`GL-${n}`, `GL-${n}-${k}`)));
    expect(flagLocksOf(batches[0]!)).toBe(1000);
    const results = await Promise.all(batches.map((b, n) => ingestBatch(pool, SITE, `GL-${n}`, b)));
    expect(results.every((r) => r.accepted === 1000)).toBe(true);
    const commits = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE site_id = $1 AND aggregate_id LIKE 'GL-%' GROUP BY xmin::text ORDER BY n DESC",
      [SITE],
    );
    expect(commits.rows[0]!.n).toBeLessThanOrEqual(3000);
    expect(commits.rows.length).toBeLessThan(6);
  }, 60_000);

  it('keeps one batch’s conflict its own: a replayed batch and a key of another bench, sent with new batches, change nothing of theirs', async () => {
    const first = [parcel('GX-A', 'GX-1'), parcel('GX-A', 'GX-2')];
    expect((await ingestBatch(pool, SITE, 'GX-A', first)).accepted).toBe(2);
    // Bench B reuses bench A's key for an aggregate the hub has never seen.
    const stolen = { ...parcel('GX-B', 'GX-NEW'), idempotencyKey: first[0]!.idempotencyKey } as WmsEvent;
    const fresh = Array.from({ length: 6 }, (_, n) => [parcel(`GX-F${n}`, `GX-F${n}-1`)]);
    const [replay, foreign, ...others] = await Promise.all([
      ingestBatch(pool, SITE, 'GX-A', first),
      ingestBatch(pool, SITE, 'GX-B', [stolen]),
      ...fresh.map((b, n) => ingestBatch(pool, SITE, `GX-F${n}`, b)),
    ]);
    expect(replay!.acks.map((a) => a.status)).toEqual(['duplicate', 'duplicate']);
    expect(foreign!.acks[0]).toMatchObject({ status: 'rejected', error: expect.stringContaining(HUB_EVENT_ERRORS.keyOfAnotherBench) });
    expect(others.every((r) => r.acks[0]!.status === 'applied')).toBe(true);
    const r = await pool.query<{ events: number; heads: number }>(
      `SELECT (SELECT count(*)::int FROM events WHERE site_id = $1 AND aggregate_id LIKE 'GX-%') AS events,
              (SELECT count(*)::int FROM aggregate_heads WHERE site_id = $1 AND aggregate_id = 'GX-NEW') AS heads`,
      [SITE],
    );
    expect(r.rows[0]).toEqual({ events: 2 + fresh.length, heads: 0 });
  });
});

describe('hub ingest, one aggregate new to two benches at once', () => {
  it('keeps its relay order increasing and its head at the last accepted sequence, however the batches meet', async () => {
    for (let round = 0; round < 6; round++) {
      const agg = `TWICE-${round}`;
      // A skips ahead (a lead skipped the first events: previousSequence 0); B starts at 1. Other benches' new batches
      // around them make the hub write several batches in one statement.
      const skip = { ...parcel('TW-A', agg, 5), previousSequence: 0 } as WmsEvent;
      const start = parcel('TW-B', agg, 1);
      const around = Array.from({ length: 6 }, (_, n) => ingestBatch(pool, SITE, `TW-${n}`, [parcel(`TW-${n}`, `${agg}-O${n}`)]));
      const [a, b] = await Promise.all([ingestBatch(pool, SITE, 'TW-A', [skip]), ingestBatch(pool, SITE, 'TW-B', [start]), ...around]);
      const applied = [a!, b!].filter((r) => r.acks[0]!.status === 'applied').length;
      expect(applied).toBeGreaterThanOrEqual(1);
      const order = await pool.query<{ sequence: number }>(
        'SELECT e.sequence FROM relay_outbox o JOIN events e USING (site_id, idempotency_key) WHERE o.site_id = $1 AND o.aggregate_id = $2 ORDER BY o.id',
        [SITE, agg],
      );
      const seqs = order.rows.map((r) => r.sequence);
      expect(seqs).toHaveLength(applied);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      const head = await pool.query<{ s: number }>('SELECT last_sequence AS s FROM aggregate_heads WHERE site_id = $1 AND aggregate_id = $2', [SITE, agg]);
      expect(head.rows[0]?.s).toBe(seqs.at(-1));
    }
  });
});

describe('site review queue, kept by one trigger per statement', () => {
  const bench = 'REVIEW-A';
  function held(itemId: string, sequence: number): WmsEvent {
    const body = itemGraded(`P-${itemId}`, 1);
    return {
      idempotencyKey: randomUUID(),
      aggregateType: 'item',
      aggregateId: itemId,
      sequence,
      occurredAt: '2026-01-01T00:00:00.000Z',
      type: 'item.graded',
      // An RMA of its own per item: two parcels of one RMA would raise the site's own flag (site_rma_twice) and queue both.
      payload: { ...body.payload, itemId, rmaNumber: `RMA-${itemId}`, stationId: bench, heldForReview: true, flags: ['high_value'] },
    } as WmsEvent;
  }
  function decided(itemId: string, sequence: number, kind: 'item.approved' | 'item.overridden', operatorId: string): WmsEvent {
    const base = { itemId, lpn: 'L', operatorId, stationId: bench, reviewedAt: '2026-01-01T01:00:00.000Z' };
    return {
      idempotencyKey: randomUUID(),
      aggregateType: 'item',
      aggregateId: itemId,
      sequence,
      occurredAt: base.reviewedAt,
      type: kind,
      payload:
        kind === 'item.approved'
          ? base
          : { ...base, before: { grade: 'A', disposition: 'restock', destination: 'A-01' }, after: { grade: 'C', disposition: 'liquidate', destination: 'L-01' }, reason: 'scratched' },
    } as WmsEvent;
  }
  const row = async (itemId: string) =>
    (
      await pool.query<{ status: string; decided_by: string | null; grade: string; graded_event: string }>(
        'SELECT status, decided_by, grade, graded_event FROM site_review_items WHERE site_id = $1 AND item_id = $2',
        [SITE, itemId],
      )
    ).rows;

  it('queues a held item once, from its first grading in the batch; an item not held stays out', async () => {
    const a = held('RQ-1', 1);
    const again = { ...held('RQ-1', 2), payload: { ...held('RQ-1', 2).payload, grade: 'B' } } as WmsEvent;
    const notHeld = { ...held('RQ-2', 1), payload: { ...held('RQ-2', 1).payload, heldForReview: false } } as WmsEvent;
    expect((await ingestBatch(pool, SITE, bench, [a, again, notHeld])).accepted).toBe(3);
    expect(await row('RQ-1')).toEqual([{ status: 'pending', decided_by: null, grade: 'A', graded_event: a.idempotencyKey }]);
    expect(await row('RQ-2')).toEqual([]);
  });

  it('takes the first of several bench decisions in one batch, and one in a later batch does not undo it', async () => {
    const r = await ingestBatch(pool, SITE, bench, [held('RQ-3', 1), decided('RQ-3', 2, 'item.overridden', 'op-first'), decided('RQ-3', 3, 'item.approved', 'op-second')]);
    expect(r.accepted).toBe(3);
    expect(await row('RQ-3')).toMatchObject([{ status: 'overridden', decided_by: 'op-first', grade: 'C' }]);
    await ingestBatch(pool, SITE, bench, [decided('RQ-3', 4, 'item.approved', 'op-later')]);
    expect(await row('RQ-3')).toMatchObject([{ status: 'overridden', decided_by: 'op-first' }]);
  });

  it('leaves the queue alone for a decision the hub itself took (its aggregate ends in /site)', async () => {
    await ingestBatch(pool, SITE, bench, [held('RQ-4', 1)]);
    await ingestBatch(pool, SITE, bench, [{ ...decided('RQ-4', 1, 'item.approved', 'op-x'), aggregateId: 'RQ-4/site' } as WmsEvent]);
    expect(await row('RQ-4')).toMatchObject([{ status: 'pending' }]);
  });
});

describe('the credential check on every bench request', () => {
  it('records a bench’s contact without a write per request (at most once a second), and still refuses a revoked bench at once', async () => {
    const { code } = await createEnrolmentCode(pool, SITE, 'AUTH-A', 60);
    const cred = (await enrolBench(pool, SITE, code))!;
    const state = async () =>
      (await pool.query<{ xmin: string; at: Date | null }>('SELECT xmin::text, last_contact_at AS at FROM benches WHERE site_id = $1 AND station_id = $2', [SITE, 'AUTH-A'])).rows[0]!;
    expect((await state()).at).toBeNull();
    expect(await authenticateBench(pool, SITE, cred.token)).toBe('AUTH-A');
    const first = await state();
    expect(first.at).not.toBeNull();
    for (let i = 0; i < 5; i++) expect(await authenticateBench(pool, SITE, cred.token)).toBe('AUTH-A');
    // The same row version: those requests wrote nothing.
    expect(await state()).toEqual(first);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await authenticateBench(pool, SITE, cred.token)).toBe('AUTH-A');
    expect((await state()).at!.getTime()).toBeGreaterThan(first.at!.getTime());
    expect(await revokeBench(pool, SITE, 'AUTH-A')).toBe(true);
    expect(await authenticateBench(pool, SITE, cred.token)).toBeNull();
  });
});
