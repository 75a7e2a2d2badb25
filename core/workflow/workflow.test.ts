import { afterEach, describe, expect, it, beforeEach } from 'vitest';
import type { Db } from '../../db/connection.js';
import type { createDispatcher } from './dispatch.js';
import { createHarness, type Harness } from './harness.test-helper.js';
import { verifyAuditChain } from '../../db/repositories/audit.js';
import type { ItemLabel } from '../../contract/label.js';
import { completeGtin } from '../../domain/identifiers/gtin.js';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';

const GTIN_SHIRT = '0' + completeGtin('490000000001');
const GTIN_LIP = '0' + completeGtin('490000000002');
const TRACKING = makeTrackingNumber('yamato', '12345678901');

function seed(db: Db): void {
  const now = '2026-11-01T00:00:00.000Z';
  const p = db.prepare('INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  p.run('APP-1', GTIN_SHIRT, 'Linen shirt', 'リネンシャツ', 'apparel', 4990, 300, now);
  p.run('COS-1', GTIN_LIP, 'Lipstick', 'リップスティック', 'cosmetics', 2800, 50, now);
  db.prepare('INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    'RMA-00000001', 'ORD-0000000001', '山田 太郎', 'ヤマダ タロウ', '09012345678', 'yamato', TRACKING, 'open', now, now,
  );
  const l = db.prepare('INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES (?, ?, ?, ?, ?, ?, ?)');
  l.run('L1', 'RMA-00000001', 1, 'APP-1', 1, 'size', 'サイズが合わない');
  l.run('L2', 'RMA-00000001', 2, 'COS-1', 1, 'changed_mind', '気が変わった');
}

describe('the walking-skeleton path through the workflow services', () => {
  let db: Db;
  let printed: ItemLabel[];
  let handle: (session: string, name: string, input: unknown) => ReturnType<ReturnType<typeof createDispatcher>['handle']>;

  let h: Harness;

  beforeEach(async () => {
    h = await createHarness(seed);
    db = h.db;
    printed = h.printed;
    handle = h.handle;
  });
  afterEach(() => h.close());

  it('refuses work before sign-in and with a wrong PIN', async () => {
    expect(await handle('s1', 'parcel.open', { code: TRACKING })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '9999' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('locks a badge after repeated wrong PINs, even for the right PIN', async () => {
    for (let i = 0; i < 3; i++) await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '0000' });
    expect(await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '1234' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });

  it('checks the role before the input, and rejects malformed input before any handler runs', async () => {
    expect(await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: 'abcd' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await handle('s1', 'parcel.open', { code: 'x', extra: 1 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '1234' });
    expect(await handle('s1', 'parcel.open', { code: 'x', extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await handle('s1', 'no.such.call', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('scans a parcel (hyphenated tracking), an item, grades it: item, outbox event and audit commit together and the label prints', async () => {
    expect(await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '1234' })).toMatchObject({ ok: true, value: { role: 'staff' } });
    const hyphenated = `${TRACKING.slice(0, 4)}-${TRACKING.slice(4, 8)}-${TRACKING.slice(8)}`;
    const opened = await handle('s1', 'parcel.open', { code: hyphenated });
    if (!opened.ok) throw new Error(opened.error.message);
    const parcel = opened.value as { parcelId: string; rmaNumber: string; lines: { lineId: string }[] };
    expect(parcel.rmaNumber).toBe('RMA-00000001');
    expect(parcel.lines).toHaveLength(2);

    const match = await handle('s1', 'parcel.matchItem', { parcelId: parcel.parcelId, code: GTIN_SHIRT.slice(1) });
    expect(match).toMatchObject({ ok: true, value: { line: { lineId: 'L1', sku: 'APP-1' } } });

    const graded = await handle('s1', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'B' });
    expect(graded).toMatchObject({
      ok: true,
      value: { lpn: 'LPN-BENCH01-0000001', routing: { disposition: 'resale', ruleId: 'used-to-outlet' }, print: { status: 'printed' } },
    });
    expect(printed.map((l) => l.lpn)).toEqual(['LPN-BENCH01-0000001']);
    const events = db.prepare('SELECT type, aggregate_type, sequence FROM outbox ORDER BY id').all();
    expect(events).toEqual([
      { type: 'parcel.received', aggregate_type: 'parcel', sequence: 1 },
      { type: 'item.graded', aggregate_type: 'item', sequence: 1 },
    ]);
    expect(h.notified()).toBe(2);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });

    const after = await handle('s1', 'parcel.open', { code: TRACKING });
    expect(after).toMatchObject({ ok: true, value: { parcelId: parcel.parcelId, lines: [{ receivedQty: 1 }, { receivedQty: 0 }] } });
  });

  it('item.lookup answers a scanned LPN (any case) with the item, its product, parcel, RMA and who graded it; an unknown LPN is NOT_FOUND', async () => {
    await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '1234' });
    const opened = await handle('s1', 'parcel.open', { code: TRACKING });
    if (!opened.ok) throw new Error(opened.error.message);
    const { parcelId } = opened.value as { parcelId: string };
    const graded = await handle('s1', 'item.grade', { parcelId, lineId: 'L1', grade: 'B' });
    if (!graded.ok) throw new Error(graded.error.message);
    const item = graded.value as { itemId: string; lpn: string };

    const found = await handle('s1', 'item.lookup', { lpn: item.lpn.toLowerCase() });
    expect(found).toMatchObject({
      ok: true,
      value: {
        itemId: item.itemId,
        lpn: item.lpn,
        sku: 'APP-1',
        name: 'Linen shirt',
        nameJa: 'リネンシャツ',
        grade: 'B',
        parcelId,
        parcelStatus: 'open',
        rmaNumber: 'RMA-00000001',
        operatorId: 'OP-1001',
        operatorName: '佐藤 花子',
        reviewStatus: 'none',
        // This harness prints through a fake port, not the print queue: nothing a reprint could find.
        labelPrinted: false,
      },
    });
    expect(await handle('s1', 'item.lookup', { lpn: 'LPN-BENCH01-9999999' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', messageKey: 'error.noItemForLpn' } });
    expect(await handle('s1', 'item.lookup', { lpn: 'RMA-00000001' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', messageKey: 'error.noItemForLpn' } });
    await handle('s1', 'session.signOut', {});
    expect(await handle('s1', 'item.lookup', { lpn: item.lpn })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('grades without drawing the label preview; item.labelPreview draws the label that was printed, in the language asked for', async () => {
    await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '1234' });
    const opened = await handle('s1', 'parcel.open', { code: TRACKING });
    if (!opened.ok) throw new Error(opened.error.message);
    const { parcelId } = opened.value as { parcelId: string };
    const graded = await handle('s1', 'item.grade', { parcelId, lineId: 'L1', grade: 'B', language: 'en' });
    if (!graded.ok) throw new Error(graded.error.message);
    const item = graded.value as { itemId: string; lpn: string };
    expect(item).not.toHaveProperty('labelSvg');
    expect(h.previewed).toEqual([]);

    expect(await handle('s1', 'item.labelPreview', { itemId: item.itemId, language: 'en' })).toEqual({ ok: true, value: { labelSvg: `<svg>${item.lpn}</svg>` } });
    expect(h.previewed).toEqual(printed);
    expect(await handle('s1', 'item.labelPreview', { itemId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', messageKey: 'error.noItem' },
    });
  });

  it('says clearly when a scan matches nothing, and when an item is not on the RMA', async () => {
    await handle('s1', 'session.signIn', { badge: 'OP-1001', pin: '1234' });
    const none = await handle('s1', 'parcel.open', { code: makeTrackingNumber('sagawa', '99999999999') });
    expect(none).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', messageKey: 'error.noRmaForCode' } });
    const opened = await handle('s1', 'parcel.open', { code: 'RMA-00000001' });
    if (!opened.ok) throw new Error('open failed');
    const { parcelId } = opened.value as { parcelId: string };
    const wrong = await handle('s1', 'parcel.matchItem', { parcelId, code: '0' + completeGtin('490000000099') });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', messageKey: 'error.itemNotOnRma' } });
    const garbage = await handle('s1', 'parcel.matchItem', { parcelId, code: 'hello' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
