import { describe, expect, it } from 'vitest';
import { Rma as RmaSchema, type Rma } from '../../contract/index.js';
import { openDatabase } from '../connection.js';
import { getLocalRma, listOpenRmaConflicts, upsertRmas } from './referenceData.js';

const plain: Rma = {
  rmaNumber: 'RMA-00000001',
  orderNumber: 'ORD-1000000001',
  customerName: '伊藤 蓮',
  customerKana: 'イトウ レン',
  customerPhone: '090-1234-5678',
  carrier: 'yamato',
  trackingNumber: '400141741263',
  status: 'open',
  createdAt: '2025-05-09T07:06:41.208Z',
  updatedAt: '2025-05-09T21:49:48.095Z',
  returnChannel: 'home_pickup',
  lines: [{ id: 'L1', sku: 'APP-1', qty: 1, reason: 'size', reasonText: 'サイズ' }],
};
// Keys deliberately in a different order from the table's columns, as a WMS might send them.
const detailed: Rma = {
  shopReturnPolicyDays: 14,
  customerReturnRate: 0.45,
  customerId: 'CUST-000084',
  deliveredAt: '2025-05-07T20:58:25.377Z',
  ...plain,
  lines: [
    { lot: 'L2405087', resolution: 'refund', id: 'L1', sku: 'COS-1', qty: 2, reason: 'changed_mind', reasonText: '不要' },
    { id: 'L2', sku: 'ELE-1', qty: 1, reason: 'damaged', reasonText: '初期不良', resolution: 'exchange', serialNumber: 'SN86BFK22DH8' },
  ],
};

describe('RMA details (migration 005)', () => {
  it('stores and returns the optional RMA and line details', () => {
    const db = openDatabase(':memory:');
    upsertRmas(db, [detailed]);
    expect(getLocalRma(db, detailed.rmaNumber)).toEqual(detailed);
    expect(db.prepare('SELECT rma_number AS n FROM rma_lines JOIN rmas USING (rma_number) WHERE serial_number = ?').get('SN86BFK22DH8')).toEqual({ n: 'RMA-00000001' });
    db.close();
  });

  it('leaves absent details out instead of returning nulls, and clears them when the WMS drops them', () => {
    const db = openDatabase(':memory:');
    upsertRmas(db, [plain]);
    expect(getLocalRma(db, plain.rmaNumber)).toEqual(plain);
    upsertRmas(db, [detailed]);
    upsertRmas(db, [{ ...plain, updatedAt: '2025-05-10T00:00:00.000Z' }]);
    expect(getLocalRma(db, plain.rmaNumber)).toEqual({ ...plain, updatedAt: '2025-05-10T00:00:00.000Z' });
    db.close();
  });

  it('refuses values the contract forbids', () => {
    const db = openDatabase(':memory:');
    upsertRmas(db, [plain]);
    expect(() => db.prepare("UPDATE rma_lines SET resolution = 'cash'").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE rmas SET customer_return_rate = 1.5').run()).toThrow(/CHECK/);
    db.close();
  });

  it('an unchanged RMA with details is not a conflict for an open parcel, whatever the key order', () => {
    const db = openDatabase(':memory:');
    upsertRmas(db, [detailed]);
    db.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES ('OP-1', 'OP-1', 'x', 'staff', 'h')").run();
    db.prepare(
      "INSERT INTO parcels (id, rma_number, scanned_code, carrier, status, operator_id, station_id, received_at) VALUES ('P1', ?, 'x', NULL, 'open', 'OP-1', 'S1', '2025-05-10T00:00:00Z')",
    ).run(detailed.rmaNumber);
    const again = upsertRmas(db, [{ ...detailed, updatedAt: '2025-05-11T00:00:00.000Z' }]);
    expect(again).toEqual({ applied: 1, conflicts: [] });
    const changed = upsertRmas(db, [{ ...detailed, customerReturnRate: 0.9 }]);
    expect(changed.conflicts).toEqual([detailed.rmaNumber]);
    expect(listOpenRmaConflicts(db)[0]?.incoming.customerReturnRate).toBe(0.9);
    db.close();
  });
});

describe('return channel and declaration (migration 008)', () => {
  const sha = (c: string): string => c.repeat(64);

  it('an RMA from an older WMS with no channel counts as a home pickup', () => {
    const db = openDatabase(':memory:');
    const { returnChannel: _omitted, ...older } = plain;
    upsertRmas(db, [RmaSchema.parse(older)]);
    expect(getLocalRma(db, plain.rmaNumber)?.returnChannel).toBe('home_pickup');
    expect(() => db.prepare("UPDATE rmas SET return_channel = 'drone'").run()).toThrow(/CHECK/);
    db.close();
  });

  it('stores the channel and the declaration, and queues the customer photos for download once', () => {
    const db = openDatabase(':memory:');
    const declared: Rma = {
      ...plain,
      returnChannel: 'store_dropoff',
      declaration: { condition: 'unused_with_tags', complete: true, text: 'タグ付きのままです', photos: [sha('a'), sha('b')] },
    };
    upsertRmas(db, [declared]);
    expect(getLocalRma(db, plain.rmaNumber)).toEqual(declared);
    upsertRmas(db, [{ ...declared, updatedAt: '2025-05-10T00:00:00.000Z' }]);
    expect(db.prepare('SELECT sha256, status FROM customer_photos ORDER BY sha256').all()).toEqual([
      { sha256: sha('a'), status: 'pending' },
      { sha256: sha('b'), status: 'pending' },
    ]);
    upsertRmas(db, [{ ...plain, updatedAt: '2025-05-11T00:00:00.000Z' }]);
    expect(getLocalRma(db, plain.rmaNumber)?.declaration).toBeUndefined();
    db.close();
  });
});
