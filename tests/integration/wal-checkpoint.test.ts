import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walFrames } from '../../db/checkpoint.js';
import { openDatabase } from '../../db/connection.js';
import { startStation, type Station } from '../../app/station.js';

let dir: string | undefined;
let station: Station | undefined;

afterAll(async () => {
  await station?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the station's WAL checkpoint", () => {
  it('runs from the sync timer: a WAL grown past 1000 pages is emptied by the next idle tick', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rs-wal-station-'));
    const dataDir = join(dir, 'data');
    station = await startStation({ dataDir, stationId: 'BENCH-01', sync: { intervalMs: 50, batchSize: 10 } }, { log: () => undefined });
    // Another connection that never checkpoints writes the pages, so only the station's timer can empty the WAL.
    const writer = openDatabase(join(dataDir, 'station.sqlite'), { walAutoCheckpoint: false });
    try {
      writer.exec('CREATE TABLE IF NOT EXISTS wal_probe (id INTEGER PRIMARY KEY, body TEXT)');
      const insert = writer.prepare('INSERT INTO wal_probe (body) VALUES (?)');
      writer.transaction(() => {
        for (let i = 0; i < 1500; i++) insert.run('x'.repeat(3000));
      })();
      expect(walFrames(writer)).toBeGreaterThan(1000);
      const started = Date.now();
      while (walFrames(writer) > 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
      expect(walFrames(writer)).toBe(0);
    } finally {
      writer.close();
    }
  });
});
