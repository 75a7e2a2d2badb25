// Issue 11, point 2: a lead's reopen reaches the demo WMS over HTTP as parcel.reopened, in order after parcel.closed.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import type { ParcelView } from '../../contract/index.js';
import { completeGtin } from '../../domain/identifiers/gtin.js';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';
import { createSyncEngine } from '../../core/sync/syncEngine.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { createHarness, type Harness } from '../../core/workflow/harness.test-helper.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';

const TOKEN = 'test-token-reopen';
const TRACKING = makeTrackingNumber('yamato', '52345678901');

function seed(db: Db): void {
  const now = '2026-11-01T00:00:00.000Z';
  db.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    'APP-1', '0' + completeGtin('490000000001'), 'Linen shirt', 'リネンシャツ', 'apparel', 4990, 300, now,
  );
  db.prepare(
    'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run('RMA-00000021', 'ORD-0000000021', '伊藤 一郎', 'イトウ イチロウ', '09011112222', 'yamato', TRACKING, 'open', now, now);
  db.prepare('INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES (?, ?, ?, ?, ?, ?, ?)').run('L1', 'RMA-00000021', 1, 'APP-1', 1, 'size', 'サイズ');
}

describe('parcel.reopened reaches the WMS', () => {
  let h: Harness;
  let wms: DemoWms;

  beforeEach(async () => {
    h = await createHarness(seed);
    wms = await startDemoWms({ dbFile: join(h.dir, 'wms.sqlite'), token: TOKEN });
    await h.signIn('staff', 'staff');
    await h.signIn('lead', 'lead');
  });

  afterEach(async () => {
    await wms.close().catch(() => undefined);
    h.close();
  });

  it('is applied after parcel.closed, and the parcel closed again follows it', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });
    await h.ok<ParcelView>('lead', 'parcel.reopen', { parcelId: parcel.parcelId, reason: 'closed by mistake' });
    await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });

    const engine = createSyncEngine({
      db: h.db,
      client: createWmsClient({ baseUrl: wms.url, token: TOKEN, timeoutMs: 5000 }),
      stationId: 'BENCH-01',
      intervalMs: 60_000,
      batchSize: 50,
      pull: false,
    });
    const status = await engine.flushNow();
    expect(status).toMatchObject({ pending: 0, deadLetters: 0, lastError: null });
    const applied = wms.db
      .prepare('SELECT type, sequence, payload FROM events WHERE aggregate_id = ? ORDER BY sequence')
      .all(parcel.parcelId) as { type: string; sequence: number; payload: string }[];
    expect(applied.map((e) => e.type)).toEqual(['parcel.received', 'parcel.closed', 'parcel.reopened', 'parcel.closed']);
    const reopened = JSON.parse(applied[2]?.payload ?? '{}') as { reason: string; operatorId: string; withdrawnOutcomes: { kind: string }[] };
    expect(reopened).toMatchObject({ reason: 'closed by mistake', operatorId: 'OP-2001' });
    expect(reopened.withdrawnOutcomes.map((o) => o.kind).sort()).toEqual(['empty_box', 'missing']);
  });
});
