import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walFrames, WAL_KEPT_BYTES } from '../../db/checkpoint.js';
import { openDatabase } from '../../db/connection.js';
import { startStation, type Station } from '../../app/station.js';

let dir: string | undefined;
let station: Station | undefined;

afterAll(async () => {
  await station?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the station's WAL checkpoint", () => {
  it('runs from the sync timer: a WAL grown past 1000 pages is copied by the next idle tick, started over and cut back to WAL_KEPT_BYTES', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rs-wal-station-'));
    const dataDir = join(dir, 'data');
    station = await startStation({ dataDir, stationId: 'BENCH-01', sync: { intervalMs: 50, batchSize: 10 } }, { log: () => undefined });
    // Another connection that never checkpoints writes the pages, so only the station's timer can copy them.
    const writer = openDatabase(join(dataDir, 'station.sqlite'), { walAutoCheckpoint: false });
    try {
      writer.exec('CREATE TABLE IF NOT EXISTS wal_probe (id INTEGER PRIMARY KEY, body TEXT)');
      const insert = writer.prepare('INSERT INTO wal_probe (body) VALUES (?)');
      writer.transaction(() => {
        for (let i = 0; i < 1500; i++) insert.run('x'.repeat(3000));
      })();
      expect(walFrames(writer)).toBeGreaterThan(1500);
      // The checkpoint worker never truncates the WAL (a TRUNCATE from it failed the station's transactions): its
      // restart's commit cuts the file back to WAL_KEPT_BYTES, about 1000 frames.
      const kept = Math.ceil(WAL_KEPT_BYTES / (4096 + 24)) + 1;
      const restarts = writer.prepare('SELECT coalesce(max(restarts), 0) FROM wal_restarts').pluck();
      const started = Date.now();
      while ((walFrames(writer) > kept || (restarts.get() as number) === 0) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
      expect(restarts.get()).toBeGreaterThanOrEqual(1);
      expect(walFrames(writer)).toBeLessThanOrEqual(kept);
      expect(writer.prepare('SELECT count(*) FROM wal_probe').pluck().get()).toBe(1500);
    } finally {
      writer.close();
    }
  });
});
