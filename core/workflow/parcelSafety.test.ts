// Issue 11, points 2–5 and 8: closing and reopening parcels safely, a return scanned again, the same
// checks on the quick grade path as on the question walk, over-receipt, and matching without reference data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { verifyAuditChain } from '../../db/repositories/audit.js';
import type { ApiResponse, GradedItem, ItemMatch, ParcelView } from '../../contract/index.js';
import { WmsEventBody } from '../../contract/index.js';
import { completeGtin } from '../../domain/identifiers/gtin.js';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';
import { syncErrorKey } from '../sync/syncEngine.js';
import { WmsError } from '../sync/wmsClient.js';
import { createHarness, testJpeg, type Harness } from './harness.test-helper.js';

const GTIN_SHIRT = '0' + completeGtin('490000000001');
const GTIN_LIP = '0' + completeGtin('490000000002');
const GTIN_CAMERA = '0' + completeGtin('490000000004');
const TRACKING = makeTrackingNumber('yamato', '42345678901');
const JPEG = testJpeg();

function seed(db: Db): void {
  const now = '2026-11-01T00:00:00.000Z';
  const p = db.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  p.run('APP-1', GTIN_SHIRT, 'Linen shirt', 'リネンシャツ', 'apparel', 4990, 300, now);
  p.run('COS-1', GTIN_LIP, 'Lipstick', 'リップスティック', 'cosmetics', 2800, 50, now);
  p.run('ELE-1', GTIN_CAMERA, 'Camera', 'カメラ', 'electronics', 80000, 900, now);
  db.prepare(
    'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run('RMA-00000011', 'ORD-0000000011', '伊藤 一郎', 'イトウ イチロウ', '09011112222', 'yamato', TRACKING, 'open', now, now);
  const l = db.prepare('INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES (?, ?, ?, ?, ?, ?, ?)');
  l.run('L1', 'RMA-00000011', 1, 'APP-1', 2, 'size', 'サイズが合わない');
  l.run('L2', 'RMA-00000011', 2, 'COS-1', 1, 'damaged', '破損');
}

function outboxTypes(db: Db): string[] {
  return (db.prepare('SELECT type FROM outbox ORDER BY id').all() as { type: string }[]).map((r) => r.type);
}

function refusal(r: ApiResponse): { code: string; messageKey: string; params: Record<string, string | number> } {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

let h: Harness;
beforeEach(async () => {
  h = await createHarness(seed);
  await h.signIn('staff', 'staff');
  await h.signIn('lead', 'lead');
});
afterEach(() => {
  expect(verifyAuditChain(h.db)).toMatchObject({ ok: true });
  h.close();
});

describe('closing a parcel (point 2)', () => {
  it('refuses to close with unreceived lines unless confirmed, and sends nothing to the WMS until then', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    const e = refusal(await h.handle('staff', 'parcel.close', { parcelId: parcel.parcelId }));
    expect(e).toMatchObject({ code: 'CONFLICT', messageKey: 'error.closeNeedsConfirmation', params: { missing: 3, emptyBox: 1 } });
    expect(outboxTypes(h.db)).not.toContain('parcel.closed');
    const closed = await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });
    expect(closed.status).toBe('closed');
    expect(outboxTypes(h.db)).toContain('parcel.closed');
  });

  it('closes a fully received parcel without a confirmation', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    for (const lineId of ['L1', 'L1']) await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId, grade: 'A' });
    await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'C' });
    const closed = await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId });
    expect(closed.outcomes).toEqual([]);
  });

  it('a lead reopens a parcel closed by mistake; staff may not; the WMS gets parcel.reopened with the withdrawn outcomes', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });

    expect(refusal(await h.handle('staff', 'parcel.reopen', { parcelId: parcel.parcelId }))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
    expect(outboxTypes(h.db)).not.toContain('parcel.reopened');

    const reopened = await h.ok<ParcelView>('lead', 'parcel.reopen', { parcelId: parcel.parcelId, reason: 'closed by Esc' });
    expect(reopened).toMatchObject({ status: 'open', outcomes: [] });
    const row = h.db.prepare("SELECT payload FROM outbox WHERE type = 'parcel.reopened'").get() as { payload: string };
    const event = WmsEventBody.parse({ type: 'parcel.reopened', payload: JSON.parse(row.payload) });
    expect(event.payload).toMatchObject({ parcelId: parcel.parcelId, rmaNumber: 'RMA-00000011', reason: 'closed by Esc', operatorId: 'OP-2001' });
    if (event.type !== 'parcel.reopened') throw new Error('wrong event');
    expect(event.payload.withdrawnOutcomes.map((o) => o.kind).sort()).toEqual(['empty_box', 'missing', 'missing']);
    const audit = h.db.prepare("SELECT operator_id AS op FROM audit_log WHERE action = 'parcel.reopened'").get() as { op: string };
    expect(audit.op).toBe('OP-2001');

    // Work goes on in the same parcel, and it closes again with what really came.
    await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A' });
    const again = await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });
    expect(again.outcomes?.map((o) => o.kind).sort()).toEqual(['missing', 'missing']);
    expect(refusal(await h.handle('lead', 'parcel.reopen', { parcelId: parcel.parcelId, reason: '' }))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('will not reopen a parcel that is open', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    expect(refusal(await h.handle('lead', 'parcel.reopen', { parcelId: parcel.parcelId }))).toMatchObject({ code: 'CONFLICT', messageKey: 'error.parcelNotClosed' });
  });
});

describe('a closed return scanned again (point 3)', () => {
  it('says when, where and by whom it was received instead of opening a second parcel', async () => {
    const first = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    await h.ok<GradedItem>('staff', 'item.grade', { parcelId: first.parcelId, lineId: 'L1', grade: 'A' });
    await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: first.parcelId, confirmUnreceived: true });
    const parcelsBefore = (h.db.prepare('SELECT COUNT(*) AS n FROM parcels').get() as { n: number }).n;
    const eventsBefore = outboxTypes(h.db).length;

    const e = refusal(await h.handle('staff', 'parcel.open', { code: TRACKING }));
    expect(e).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'error.returnAlreadyReceived',
      params: { parcelId: first.parcelId, rma: 'RMA-00000011', bench: 'BENCH-01', operator: '佐藤 花子', receivedAt: '2026-11-10T01:00:00.000Z' },
    });
    expect((h.db.prepare('SELECT COUNT(*) AS n FROM parcels').get() as { n: number }).n).toBe(parcelsBefore);
    expect(outboxTypes(h.db).length).toBe(eventsBefore);
    // The same answer by RMA number; the closed parcel still shows its items for a reprint.
    expect(refusal(await h.handle('staff', 'parcel.open', { code: 'RMA-00000011' })).messageKey).toBe('error.returnAlreadyReceived');
    const shown = await h.ok<ParcelView>('staff', 'parcel.get', { parcelId: first.parcelId });
    expect(shown).toMatchObject({ status: 'closed', stationId: 'BENCH-01', operatorName: '佐藤 花子' });
    expect(shown.items).toHaveLength(1);
  });

  it('opens a second parcel only as an explicit split shipment, which never closes as an empty box', async () => {
    const first = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    await h.ok<GradedItem>('staff', 'item.grade', { parcelId: first.parcelId, lineId: 'L1', grade: 'A' });
    await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: first.parcelId, confirmUnreceived: true });

    const second = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING, splitShipment: true });
    expect(second.parcelId).not.toBe(first.parcelId);
    expect(second.status).toBe('open');
    const closed = await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: second.parcelId, confirmUnreceived: true });
    expect(closed.outcomes?.map((o) => o.kind)).not.toContain('empty_box');
  });
});

describe('the quick grade keys get the same checks as the question walk (point 4)', () => {
  it('an item returned as damaged but graded S by key is flagged and quarantined', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    const item = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'S' });
    expect(item.flags).toContain('reason_condition_mismatch');
    expect(item.routing.disposition).toBe('quarantine');
    expect(item.reviewStatus).toBe('pending');
  });

  it('scrap by key needs the photo the profile requires', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    const e = refusal(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'scrap' }));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', messageKey: 'error.photosRequired', params: { reasons: 'scrap' } });
    const photo = await h.ok<{ sha256: string }>('staff', 'photo.attach', { dataBase64: JPEG.toString('base64') });
    const item = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'scrap', photos: [photo.sha256] });
    expect(item.grade).toBe('scrap');
  });
});

describe('over-receipt (point 5)', () => {
  it('a scan beyond the expected quantity needs a decision, and grading it on the full line is refused', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING });
    for (let i = 0; i < 2; i++) {
      const m = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: GTIN_SHIRT });
      await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: m.line.lineId, grade: 'A' });
    }
    const e = refusal(await h.handle('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: GTIN_SHIRT }));
    expect(e).toMatchObject({ code: 'CONFLICT', messageKey: 'error.overReceipt', params: { sku: 'APP-1', expected: 2, received: 2, gtin: GTIN_SHIRT } });
    const g = refusal(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A' }));
    expect(g).toMatchObject({ code: 'CONFLICT', messageKey: 'error.overReceipt' });
    // Decided: an extra item.
    const extra = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, unexpected: { kind: 'extra', gtin: GTIN_SHIRT }, grade: 'A' });
    expect(extra.kind).toBe('extra');
  });
});

describe('no reference data (point 8)', () => {
  it('a valid tracking number on a station that has pulled nothing and is offline says so, not "no return matches"', async () => {
    const empty = await createHarness(() => undefined);
    try {
      await empty.signIn('s', 'staff');
      const e = refusal(await empty.handle('s', 'parcel.open', { code: TRACKING }));
      expect(e).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.noReferenceDataOffline', params: { code: TRACKING } });
    } finally {
      empty.close();
    }
    // With data, an unknown code is still "no return matches".
    const unknown = refusal(await h.handle('staff', 'parcel.open', { code: makeTrackingNumber('yamato', '99999999991') }));
    expect(unknown.messageKey).toBe('error.noRmaForCode');
  });

  it('a sync failure carries an i18n key for the bar', () => {
    expect(syncErrorKey(new WmsError('network', 'ECONNREFUSED', true), 'http://wms')).toEqual({ key: 'sync.error.network', params: { url: 'http://wms' } });
    expect(syncErrorKey(new WmsError('http', '503', true, 503), 'x')).toEqual({ key: 'sync.error.httpRetry', params: { status: 503 } });
    expect(syncErrorKey(new Error('boom'), 'x').key).toBe('sync.error.other');
  });
});
