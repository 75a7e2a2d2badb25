import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WmsEventBody } from '../../contract/index.js';
import { createSyncEngine, type SyncEngineOptions } from '../../core/sync/syncEngine.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { appendEvent, getOutboxRow, listDeadLetters, retryDeadLetter, skipDeadLetter } from '../../db/repositories/outbox.js';
import { runChaos } from '../../fixtures/demo-wms/chaos.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { itemGraded, parcelReceived } from './sync-helpers.js';

const TOKEN = 'test-token-reliability';

describe('sync reliability against an unreliable WMS', () => {
  let dir: string;
  let wms: DemoWms;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sync-rel-'));
    wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: TOKEN, faultSeed: 12345 });
    db = openDatabase(join(dir, 'station.sqlite'));
  });

  afterEach(async () => {
    db.close();
    await wms.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const engineWith = (extra: Partial<SyncEngineOptions> = {}) =>
    createSyncEngine({
      db,
      client: createWmsClient({ baseUrl: wms.url, token: TOKEN, timeoutMs: 3000 }),
      stationId: 'BENCH-R',
      intervalMs: 60_000,
      batchSize: 200,
      pull: false,
      backoffBaseMs: 1,
      backoffCapMs: 5,
      ...extra,
    });

  /** `parcels` aggregates with `perParcel` events each, interleaved across aggregates like a busy bench. */
  const queue = (parcels: number, perParcel: number, prefix: string): number => {
    db.transaction(() => {
      for (let k = 0; k < perParcel; k++) {
        for (let p = 0; p < parcels; p++) {
          const id = `${prefix}-${p}`;
          appendEvent(db, 'parcel', id, k === 0 ? parcelReceived(id) : itemGraded(id, k));
        }
      }
    })();
    return parcels * perParcel;
  };

  const expectExactlyOnceInOrder = (n: number): void => {
    const s = wms.stats();
    expect(s).toMatchObject({ applied: n, distinctKeys: n, duplicated: 0, outOfOrder: 0 });
    const station = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'delivered'").get() as { n: number };
    expect(station.n).toBe(n);
  };

  it('queues 2,000 events while the WMS is down, then delivers all, in order, none twice', async () => {
    const engine = engineWith();
    wms.setFaults({ down: true });
    const n = queue(500, 4, 'DOWN');
    const down = await engine.flushNow();
    expect(down).toMatchObject({ online: false, pending: 2000 });
    expect(wms.stats().applied).toBe(0);

    wms.setFaults({ down: false });
    const up = await engine.flushNow();
    expect(up).toMatchObject({ online: true, pending: 0, deadLetters: 0 });
    expectExactlyOnceInOrder(n);
  });

  it('delivers 2,000 events exactly once through 30 % faults with responses dropped after commit', async () => {
    const engine = engineWith({ batchSize: 50 });
    wms.setFaults({ failRate: 0.15, dropAfterCommitRate: 0.15, duplicateRate: 0.1 });
    const n = queue(400, 5, 'FLT');
    let st = await engine.flushNow();
    for (let i = 0; i < 500 && st.pending > 0; i++) st = await engine.flushNow();
    expect(st.pending).toBe(0);
    expect(st.deadLetters).toBe(0);
    expectExactlyOnceInOrder(n);
    // The faults really happened: the WMS saw resent batches and answered them as duplicates.
    expect(wms.stats().receipts.duplicate ?? 0).toBeGreaterThan(0);
  });

  it('waits as long as Retry-After says before sending again', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const engine = engineWith({ now: () => new Date(clock), random: () => 0.5, backoffBaseMs: 100, backoffCapMs: 1000 });
    wms.setFaults({ failRate: 1, retryAfterSec: 30 });
    queue(1, 1, 'RA');
    const failed = await engine.flushNow();
    expect(failed.online).toBe(false);
    expect(failed.lastError).toMatch(/HTTP 503/);
    wms.setFaults({ failRate: 0 });
    const receiptsBefore = wms.stats().receipts;

    clock += 29_000;
    engine.notify();
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.status().pending).toBe(1);
    expect(wms.stats().receipts).toEqual(receiptsBefore);

    clock += 2_000;
    engine.notify();
    for (let i = 0; i < 100 && engine.status().pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(engine.status().pending).toBe(0);
  });

  it('sends at once when the WMS comes back, without waiting out the backoff', async () => {
    const engine = engineWith({ intervalMs: 30, backoffBaseMs: 60_000, backoffCapMs: 60_000, random: () => 0.99 });
    wms.setFaults({ down: true });
    queue(3, 2, 'BACK');
    engine.start();
    try {
      for (let i = 0; i < 100 && engine.status().lastError === null; i++) await new Promise((r) => setTimeout(r, 20));
      expect(engine.status().online).toBe(false);
      wms.setFaults({ down: false });
      for (let i = 0; i < 200 && engine.status().pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(engine.status()).toMatchObject({ online: true, pending: 0 });
    } finally {
      await engine.stop();
    }
    expectExactlyOnceInOrder(6);
  });

  it('dead-letters an event the WMS can never accept, holds its aggregate back, and lets a lead retry or skip it', async () => {
    const engine = engineWith();
    const broken = { type: 'parcel.received', payload: { parcelId: 'P-D' } } as unknown as WmsEventBody;
    const bad = appendEvent(db, 'parcel', 'P-D', broken);
    appendEvent(db, 'parcel', 'P-D', itemGraded('P-D', 1));
    queue(2, 2, 'OK');

    let st = await engine.flushNow();
    expect(st).toMatchObject({ pending: 1, deadLetters: 1 });
    const dead = listDeadLetters(db);
    expect(dead.map((d) => d.id)).toEqual([bad.id]);
    expect(dead[0]?.lastError).toMatch(/does not match the WMS contract/);
    expect(wms.db.prepare("SELECT COUNT(*) AS n FROM events WHERE aggregate_id = 'P-D'").get()).toEqual({ n: 0 });

    expect(retryDeadLetter(db, bad.id)).toBe(true);
    st = await engine.flushNow();
    expect(st.deadLetters).toBe(1);

    expect(() => skipDeadLetter(db, bad.id, '  ')).toThrow(/reason/);
    expect(skipDeadLetter(db, bad.id, 'parcel re-scanned under another RMA')).toBe(true);
    st = await engine.flushNow();
    expect(st).toMatchObject({ pending: 0, deadLetters: 0 });
    expect(getOutboxRow(db, bad.id)).toMatchObject({ status: 'dead', skipReason: 'parcel re-scanned under another RMA' });
    const pd = wms.db.prepare("SELECT sequence, previous_sequence AS prev FROM events WHERE aggregate_id = 'P-D'").all();
    expect(pd).toEqual([{ sequence: 2, prev: 0 }]);
    expect(wms.stats()).toMatchObject({ duplicated: 0, outOfOrder: 0 });
  });
});

describe('station killed with SIGKILL mid-run', () => {
  // Each return goes through the station's dispatcher (open, grade, close), as an operator's would.
  it('delivers every event of a 300-return run exactly once across several kills, database intact', async () => {
    const r = await runChaos({ items: 300, kills: 4, faults: 0.3, seed: 11 });
    expect(r.kills).toBeGreaterThanOrEqual(3);
    expect(r.integrity).toBe('ok');
    expect(r).toMatchObject({ expected: 900, delivered: 900, lost: 0, duplicated: 0, outOfOrder: 0 });
  }, 240_000);
});
