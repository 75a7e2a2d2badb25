import { describe, expect, it } from 'vitest';
import type { EventBatch, EventBatchResult } from '../../contract/index.js';
import { openDatabase } from '../../db/connection.js';
import { appendEvent, getOutboxRow, selectDeliverable } from '../../db/repositories/outbox.js';
import { itemGraded, parcelReceived } from '../../tests/integration/sync-helpers.js';
import { backoffDelayMs, deliverOutbox } from './outboxDelivery.js';
import { parseRetryAfter, WmsError, type WmsClient } from './wmsClient.js';

function fakeClient(answer: (batch: EventBatch) => EventBatchResult | Error): WmsClient & { batches: EventBatch[] } {
  const batches: EventBatch[] = [];
  const fail = (): never => {
    throw new Error('not used');
  };
  return {
    baseUrl: 'http://wms.test',
    batches,
    health: fail,
    products: fail,
    rmas: fail,
    lookupRmas: fail,
    postEvents: async (batch) => {
      batches.push(batch);
      const a = answer(batch);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

const allApplied = (b: EventBatch): EventBatchResult => ({ results: b.events.map((e) => ({ idempotencyKey: e.idempotencyKey, status: 'applied' as const })) });

describe('outbox delivery', () => {
  it('never puts an aggregate event in a batch before its predecessor is delivered or earlier in that batch', () => {
    const db = openDatabase(':memory:');
    appendEvent(db, 'parcel', 'A', parcelReceived('A'));
    appendEvent(db, 'parcel', 'B', parcelReceived('B'));
    appendEvent(db, 'parcel', 'A', itemGraded('A', 1));
    // A's first event waits for a later retry: A's second must not go without it.
    db.prepare("UPDATE outbox SET next_attempt_at = '2999-01-01T00:00:00Z' WHERE aggregate_id = 'A' AND sequence = 1").run();
    const chosen = selectDeliverable(db, { now: new Date().toISOString(), maxCount: 10 });
    expect(chosen.map((c) => `${c.row.aggregateId}${c.row.sequence}`)).toEqual(['B1']);

    db.prepare('UPDATE outbox SET next_attempt_at = NULL').run();
    const both = selectDeliverable(db, { now: new Date().toISOString(), maxCount: 10 });
    expect(both.map((c) => `${c.row.aggregateId}${c.row.sequence}`)).toEqual(['A1', 'B1', 'A2']);
    db.close();
  });

  it('reads past a whole read of held-back events to the deliverable ones behind them', () => {
    const db = openDatabase(':memory:');
    // 120 events of one aggregate whose first waits for a retry, then 3 events of others: a batch of 2 reads
    // 50 rows at a time, and the first two reads are all held back.
    for (let i = 1; i <= 120; i++) appendEvent(db, 'parcel', 'HELD', i === 1 ? parcelReceived('HELD') : itemGraded('HELD', i - 1));
    for (const id of ['X', 'Y', 'Z']) appendEvent(db, 'parcel', id, parcelReceived(id));
    db.prepare("UPDATE outbox SET next_attempt_at = '2999-01-01T00:00:00Z' WHERE aggregate_id = 'HELD' AND sequence = 1").run();
    const chosen = selectDeliverable(db, { now: new Date().toISOString(), maxCount: 2 });
    expect(chosen.map((c) => c.row.aggregateId)).toEqual(['X', 'Y']);
    db.close();
  });

  it('sends no event before beforeSend says it is on disk, and asks again for every batch', async () => {
    const db = openDatabase(':memory:');
    for (let i = 0; i < 5; i++) appendEvent(db, 'parcel', `P${i}`, parcelReceived(`P${i}`));
    const order: string[] = [];
    const client = fakeClient((b) => {
      order.push(`post ${b.events.length}`);
      return allApplied(b);
    });
    await deliverOutbox(db, client, {
      stationId: 'S',
      batchSize: 3,
      beforeSend: async () => {
        await new Promise((r) => setImmediate(r));
        order.push('synced');
      },
    });
    expect(order).toEqual(['synced', 'post 3', 'synced', 'post 2']);
    db.close();
  });

  it('bounds batches by count and by bytes', async () => {
    const db = openDatabase(':memory:');
    for (let i = 0; i < 7; i++) appendEvent(db, 'parcel', `P${i}`, parcelReceived(`P${i}`));
    const client = fakeClient(allApplied);
    await deliverOutbox(db, client, { stationId: 'S', batchSize: 3 });
    expect(client.batches.map((b) => b.events.length)).toEqual([3, 3, 1]);

    for (let i = 0; i < 4; i++) appendEvent(db, 'parcel', `Q${i}`, parcelReceived(`Q${i}`));
    const small = fakeClient(allApplied);
    await deliverOutbox(db, small, { stationId: 'S', batchSize: 100, maxBatchBytes: 1000 });
    expect(small.batches.length).toBeGreaterThan(1);
    expect(small.batches.flatMap((b) => b.events).length).toBe(4);
    db.close();
  });

  it('marks applied and duplicate as delivered, rejected as dead, and out_of_order for a later retry until the limit', async () => {
    const db = openDatabase(':memory:');
    const a = appendEvent(db, 'parcel', 'A', parcelReceived('A'));
    const b = appendEvent(db, 'parcel', 'B', parcelReceived('B'));
    const c = appendEvent(db, 'parcel', 'C', parcelReceived('C'));
    const d = appendEvent(db, 'parcel', 'D', parcelReceived('D'));
    const status = new Map([
      [a.idempotencyKey, 'applied'],
      [b.idempotencyKey, 'duplicate'],
      [c.idempotencyKey, 'rejected'],
      [d.idempotencyKey, 'out_of_order'],
    ] as const);
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const client = fakeClient((batch) => ({
      results: batch.events.map((e) => ({ idempotencyKey: e.idempotencyKey, status: status.get(e.idempotencyKey)!, error: 'because' })),
    }));
    const opts = { stationId: 'S', batchSize: 10, maxAttempts: 3, now: () => new Date(clock), random: () => 0.5 };
    const r = await deliverOutbox(db, client, opts);
    expect(r).toMatchObject({ delivered: 2, dead: 1, deferred: 1 });
    expect(getOutboxRow(db, c.id)).toMatchObject({ status: 'dead', lastError: 'rejected by the WMS: because' });
    expect(getOutboxRow(db, d.id)).toMatchObject({ status: 'pending', attempts: 1 });

    for (let i = 0; i < 5; i++) {
      clock += 3_600_000;
      await deliverOutbox(db, client, opts);
    }
    expect(getOutboxRow(db, d.id)).toMatchObject({ status: 'dead', attempts: 3 });
    db.close();
  });

  it('keeps events pending without counting attempts when the WMS is unreachable, and rethrows for the engine', async () => {
    const db = openDatabase(':memory:');
    const a = appendEvent(db, 'parcel', 'A', parcelReceived('A'));
    const client = fakeClient(() => new WmsError('network', 'cannot reach the WMS (ECONNREFUSED)', true));
    await expect(deliverOutbox(db, client, { stationId: 'S', batchSize: 10 })).rejects.toMatchObject({ kind: 'network' });
    expect(getOutboxRow(db, a.id)).toMatchObject({ status: 'pending', attempts: 0, lastError: 'cannot reach the WMS (ECONNREFUSED)' });
    db.close();
  });

  it('splits a batch the WMS refuses as a whole so only the offending event is dead-lettered', async () => {
    const db = openDatabase(':memory:');
    const good = appendEvent(db, 'parcel', 'G', parcelReceived('G'));
    const bad = appendEvent(db, 'parcel', 'X', parcelReceived('X'));
    const client = fakeClient((batch) =>
      batch.events.some((e) => e.idempotencyKey === bad.idempotencyKey) ? new WmsError('http', 'the WMS answered HTTP 400', false, 400) : allApplied(batch),
    );
    await deliverOutbox(db, client, { stationId: 'S', batchSize: 10 });
    expect(getOutboxRow(db, good.id)?.status).toBe('delivered');
    expect(getOutboxRow(db, bad.id)?.status).toBe('dead');
    db.close();
  });
});

describe('outbox delivery yields the event loop during a long drain', () => {
  it('runs a setImmediate and a timer queued before the drain while the backlog is still being sent', async () => {
    const db = openDatabase(':memory:');
    for (let i = 0; i < 600; i++) appendEvent(db, 'parcel', `P${i}`, parcelReceived(`P${i}`, i));
    const delivered = (): number => (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'delivered'").get() as { n: number }).n;
    // The WMS answers at once (a resolved promise): without yields the whole drain would run before either callback.
    const client = fakeClient(allApplied);
    const seen: { what: string; delivered: number }[] = [];
    setImmediate(() => seen.push({ what: 'immediate', delivered: delivered() }));
    setTimeout(() => seen.push({ what: 'timer', delivered: delivered() }), 0);
    const report = await deliverOutbox(db, client, { stationId: 'S', batchSize: 100 });
    seen.push({ what: 'drain done', delivered: delivered() });
    expect(report.delivered).toBe(600);
    expect(seen.map((s) => s.what).slice(0, 2).sort()).toEqual(['immediate', 'timer']);
    expect(seen.slice(0, 2).every((s) => s.delivered < 600)).toBe(true);
    expect(seen.at(-1)).toEqual({ what: 'drain done', delivered: 600 });
    db.close();
  });

  it('checks a batch of events a slice at a time', async () => {
    const db = openDatabase(':memory:');
    for (let i = 0; i < 300; i++) appendEvent(db, 'parcel', `Q${i}`, parcelReceived(`Q${i}`, i));
    let turns = 0;
    let draining = true;
    const count = (): void => {
      turns++;
      if (draining) setImmediate(count);
    };
    setImmediate(count);
    // One batch of 300 and a WMS that answers at once: the only turns are the ones the check of the batch yields.
    const client = fakeClient(allApplied);
    await deliverOutbox(db, client, { stationId: 'S', batchSize: 300, sliceMs: 0 });
    draining = false;
    expect(client.batches).toHaveLength(1);
    expect(turns).toBeGreaterThan(100);
    db.close();
  });
});

describe('backoff and Retry-After', () => {
  it('draws full jitter below an exponentially growing, capped ceiling', () => {
    expect(backoffDelayMs(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, 100, 10_000, () => 0.999)).toBe(799);
    expect(backoffDelayMs(20, 100, 10_000, () => 0.999)).toBe(9990);
    expect(backoffDelayMs(5, 100, 10_000, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
