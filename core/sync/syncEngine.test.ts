import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { createSyncEngine, type SyncEngine } from './syncEngine.js';
import type { WmsClient } from './wmsClient.js';

let db: Db | undefined;
let engine: SyncEngine | undefined;

afterEach(async () => {
  await engine?.stop();
  db?.close();
});

// Nothing to deliver and no pull: the cycle never reaches the WMS.
const client = { baseUrl: 'http://wms.invalid' } as unknown as WmsClient;

function waitUntil(check: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error('timed out'));
      }
    }, 5);
  });
}

describe('sync timer ticks (where the WAL checkpoint runs)', () => {
  it('calls onTick on every timer tick, idle only when nothing was recorded since the last one', async () => {
    db = openDatabase(':memory:');
    const ticks: boolean[] = [];
    engine = createSyncEngine({ db, client, stationId: 'S', intervalMs: 10, batchSize: 10, pull: false, onTick: (idle) => ticks.push(idle) });
    engine.start();
    await waitUntil(() => ticks.length >= 2);
    expect(ticks.every((idle) => idle)).toBe(true);
    engine.notify();
    const seen = ticks.length;
    await waitUntil(() => ticks.length > seen);
    expect(ticks[seen]).toBe(false);
  });

  it('a failing onTick does not stop the timer', async () => {
    db = openDatabase(':memory:');
    let n = 0;
    engine = createSyncEngine({
      db,
      client,
      stationId: 'S',
      intervalMs: 10,
      batchSize: 10,
      pull: false,
      onTick: () => {
        n++;
        throw new Error('disk');
      },
    });
    engine.start();
    await waitUntil(() => n >= 3);
  });
});
