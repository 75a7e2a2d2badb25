import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.js';
import { setSetting } from './settings.js';
import { deferRmaIndexes, restoreDeferredIndexes, restoreDeferredIndexesStepwise } from './deferredIndexes.js';

const rmaIndexes = (db: ReturnType<typeof openDatabase>): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('rmas', 'rma_lines') AND sql IS NOT NULL ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('deferred RMA indexes for a first pull', () => {
  it('drops the RMA indexes only while the station has no RMAs, and rebuilds exactly them', () => {
    const db = openDatabase(':memory:');
    const before = rmaIndexes(db);
    expect(before).toContain('rmas_tracking');
    expect(deferRmaIndexes(db)).toBe(true);
    expect(rmaIndexes(db)).toEqual([]);
    expect(restoreDeferredIndexes(db)).toBe(before.length);
    expect(rmaIndexes(db)).toEqual(before);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT rma_number FROM rmas WHERE tracking_number = ?').all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/rmas_tracking/);
    expect(restoreDeferredIndexes(db)).toBe(0);
  });

  it('leaves the indexes alone once there are RMAs', () => {
    const db = openDatabase(':memory:');
    const now = '2026-11-01T00:00:00.000Z';
    db.prepare(
      'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run('RMA-00000001', 'ORD-0000000001', 'x', 'x', '0', 'yamato', '1', 'open', now, now);
    const before = rmaIndexes(db);
    expect(deferRmaIndexes(db)).toBe(false);
    expect(rmaIndexes(db)).toEqual(before);
  });

  it('repairs the indexes after a crash in the middle of the first pull', () => {
    const db = openDatabase(':memory:');
    const before = rmaIndexes(db);
    deferRmaIndexes(db);
    // The pull dies here; the next start runs the repair before its own pull.
    expect(deferRmaIndexes(db)).toBe(false);
    expect(restoreDeferredIndexes(db)).toBe(before.length);
    expect(rmaIndexes(db)).toEqual(before);
  });

  it('gives the page cache back after the builds (they sort with a small one), also when a build fails', async () => {
    const db = openDatabase(':memory:');
    db.pragma('cache_size = -65536');
    deferRmaIndexes(db);
    expect(restoreDeferredIndexes(db)).toBeGreaterThan(0);
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);

    const broken = JSON.stringify([{ name: 'rmas_broken', sql: 'CREATE INDEX rmas_broken ON rmas (no_such_column)' }]);
    setSetting(db, 'pull.deferredIndexes', broken);
    expect(() => restoreDeferredIndexes(db)).toThrow(/no_such_column/);
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
    await expect(restoreDeferredIndexesStepwise(db, async () => undefined)).rejects.toThrow(/no_such_column/);
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
  });
});
