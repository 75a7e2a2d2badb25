import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { recordParcelWeight } from '../../db/repositories/parcelWeight.js';
import type { GradedItem, ParcelView } from '../../contract/index.js';
import { completeGtin } from '../../domain/identifiers/gtin.js';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';
import { createHarness, type Harness } from './harness.test-helper.js';

const GTIN_SHIRT = '0' + completeGtin('490000000001');
const GTIN_JACKET = '0' + completeGtin('490000000005');
const TRACKING = makeTrackingNumber('yamato', '32345678901');

function seed(db: Db): void {
  const now = '2026-11-01T00:00:00.000Z';
  const p = db.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  p.run('APP-1', GTIN_SHIRT, 'Linen shirt', 'リネンシャツ', 'apparel', 4990, 300, now);
  p.run('APP-5', GTIN_JACKET, 'Down jacket', 'ダウンジャケット', 'apparel', 19900, 900, now);
  db.prepare(
    'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run('RMA-00000009', 'ORD-0000000009', '山田 太郎', 'ヤマダ タロウ', '09012345678', 'yamato', TRACKING, 'open', now, now);
  const l = db.prepare('INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES (?, ?, ?, ?, ?, ?, ?)');
  l.run('L1', 'RMA-00000009', 1, 'APP-1', 1, 'size', 'サイズが合わない');
  l.run('L2', 'RMA-00000009', 2, 'APP-5', 1, 'size', 'サイズが合わない');
}

describe('empty box: the bench scale against the expected items', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(seed);
    await h.signIn('s', 'staff');
  });
  afterEach(() => h.close());

  async function gradeWithParcelWeight(grams: number | null): Promise<GradedItem> {
    const parcel = await h.ok<ParcelView>('s', 'parcel.open', { code: TRACKING });
    if (grams !== null) recordParcelWeight(h.db, parcel.parcelId, grams, new Date().toISOString());
    const view = await h.ok<ParcelView>('s', 'parcel.get', { parcelId: parcel.parcelId });
    expect(view.lines.map((l) => l.weightGrams)).toEqual([300, 900]);
    return h.ok<GradedItem>('s', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A' });
  }

  it('flags a parcel that weighs far less than its items should (1,200 g expected, 90 g on the scale)', async () => {
    const graded = await gradeWithParcelWeight(90);
    expect(graded.flags).toContain('empty_box');
    expect(graded.reviewStatus).toBe('pending');
  });

  it('does not flag a parcel of about the right weight', async () => {
    expect((await gradeWithParcelWeight(1180)).flags ?? []).not.toContain('empty_box');
  });

  it('does not flag without a scale reading', async () => {
    expect((await gradeWithParcelWeight(null)).flags ?? []).not.toContain('empty_box');
  });
});
