// Issue 15: a lead at the site hub re-routed an item this bench labelled; R on the relabel list prints its new label.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GradedItem, ItemMatch, ParcelView } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { applySiteDecisions } from '../../db/repositories/siteSync.js';
import { completeGtin } from '../../domain/identifiers/gtin.js';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';
import { createHarness, type Harness } from './harness.test-helper.js';

const GTIN = '0' + completeGtin('490000000001');
const TRACKING = makeTrackingNumber('yamato', '42345678901');

function seed(db: Db): void {
  const now = '2026-11-01T00:00:00.000Z';
  db.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    'APP-1', GTIN, 'Linen shirt', 'リネンシャツ', 'apparel', 4990, 300, now,
  );
  db.prepare(
    'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run('RMA-00000011', 'ORD-0000000011', '伊藤 一郎', 'イトウ イチロウ', '09011112222', 'yamato', TRACKING, 'open', now, now);
  db.prepare('INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES (?, ?, ?, ?, ?, ?, ?)').run('L1', 'RMA-00000011', 1, 'APP-1', 1, 'damaged', '破損');
}

let h: Harness;
beforeEach(async () => {
  h = await createHarness(seed);
  await h.signIn('s', 'staff');
});
afterEach(() => h.close());

async function gradeOne(): Promise<GradedItem> {
  const parcel = await h.ok<ParcelView>('s', 'parcel.open', { code: TRACKING });
  const match = await h.ok<ItemMatch>('s', 'parcel.matchItem', { parcelId: parcel.parcelId, code: GTIN.slice(1) });
  // Returned as damaged, graded N: held for a lead's review, which the site hub's lead then decides.
  const item = await h.ok<GradedItem>('s', 'item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'N' });
  expect(item.reviewStatus).toBe('pending');
  return item;
}

const overrideAtHub = (item: GradedItem, disposition: 'repair' | 'resale') =>
  applySiteDecisions(
    h.db,
    [{ seq: 1, itemId: item.itemId, lpn: item.lpn, kind: 'overridden', operatorId: 'OP-2001', decidedAt: '2026-11-02T01:00:00.000Z', reason: 'crack under the hinge', after: { grade: 'B', disposition, destination: `TOTE-${disposition.toUpperCase()}-01` } }],
    '2026-11-02T01:00:05.000Z',
  );

describe('review.relabelPrint', () => {
  it('prints the new label with the decided routing as its own job, and the item leaves the list', async () => {
    const item = await gradeOne();
    const first = h.printed.length;
    const disposition = item.routing.disposition === 'repair' ? 'resale' : 'repair';
    expect(overrideAtHub(item, disposition)).toEqual([{ itemId: item.itemId, lpn: item.lpn, relabel: true }]);

    const out = await h.ok<{ print: { status: string }; done: boolean; labelSvg: string }>('s', 'review.relabelPrint', { itemId: item.itemId, language: 'en' });
    expect(out).toMatchObject({ print: { status: 'printed' }, done: true });
    const label = h.printed[first]!;
    expect(label).toMatchObject({ lpn: item.lpn, disposition, destination: `TOTE-${disposition.toUpperCase()}-01`, rmaNumber: 'RMA-00000011', productName: 'リネンシャツ', language: 'en' });
    // A revision of its own: the queue's once-per-LPN rule would otherwise swallow the new label.
    expect(label.revision).toMatch(/^R\d+$/);
    expect((await h.ok<{ items: unknown[] }>('s', 'review.relabelList', {})).items).toEqual([]);
    expect(h.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'label.relabel'").get()).toEqual({ n: 1 });

    // Pressed again after it left the list: said plainly, nothing printed.
    const again = await h.handle('s', 'review.relabelPrint', { itemId: item.itemId });
    expect(again.ok ? null : again.error.messageKey).toBe('error.relabel.notListed');
    expect(h.printed.length).toBe(first + 1);
  });

  it('needs a signed-in operator and a listed item', async () => {
    const r = await h.handle('nobody', 'review.relabelPrint', { itemId: '00000000-0000-4000-8000-000000000000' });
    expect(r.ok ? null : r.error.code).toBe('UNAUTHENTICATED');
    const bad = await h.handle('s', 'review.relabelPrint', { itemId: 'not-a-uuid' });
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_INPUT');
  });
});
