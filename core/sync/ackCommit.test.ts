import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventBatch, EventBatchResult } from '../../contract/index.js';
import { openDatabase } from '../../db/connection.js';
import { appendEvent, outboxCounts } from '../../db/repositories/outbox.js';
import { parcelReceived } from '../../tests/integration/sync-helpers.js';
import { deliverOutbox } from './outboxDelivery.js';
import type { WmsClient } from './wmsClient.js';

function client(answer: (b: EventBatch) => EventBatchResult | Error): WmsClient {
  const fail = (): never => {
    throw new Error('not used');
  };
  return {
    baseUrl: 'http://wms.test',
    health: fail,
    products: fail,
    rmas: fail,
    lookupRmas: fail,
    postEvents: async (b) => {
      const a = answer(b);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

describe('recording the WMS answers without an fsync', () => {
  it('delivers, and leaves the connection at synchronous=FULL for the next state change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-ack-'));
    const db = openDatabase(join(dir, 'station.sqlite'));
    try {
      for (let i = 0; i < 5; i++) appendEvent(db, 'parcel', `P-${i}`, parcelReceived(`P-${i}`, i));
      const report = await deliverOutbox(
        db,
        client((b) => ({ results: b.events.map((e) => ({ idempotencyKey: e.idempotencyKey, status: 'applied' as const })) })),
        { stationId: 'BENCH-T', batchSize: 2 },
      );
      expect(report.delivered).toBe(5);
      expect(outboxCounts(db).pending).toBe(0);
      // 2 = FULL: appended events must stay durable.
      expect(db.pragma('synchronous', { simple: true })).toBe(2);

      // Also after a failed round.
      appendEvent(db, 'parcel', 'P-9', parcelReceived('P-9', 9));
      await expect(deliverOutbox(db, client(() => new Error('boom')), { stationId: 'BENCH-T', batchSize: 2 })).rejects.toThrow('boom');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
