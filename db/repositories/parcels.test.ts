import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.js';
import { findParcel, insertParcel } from './parcels.js';
import { insertResolution, releaseResolution, resolutionOfItem } from './resolutions.js';

describe('parcel and resolution rows', () => {
  it('reads a parcel as one camelCase shape with its JSON parsed, so services need no casts', () => {
    const db = openDatabase(':memory:');
    // The row's shape is the point here, not the operator it refers to.
    db.pragma('foreign_keys = OFF');
    insertParcel(db, {
      id: 'p-1',
      rmaNumber: null,
      scannedCode: '123456789012',
      carrier: 'yamato',
      operatorId: 'OP-1',
      stationId: 'BENCH-01',
      receivedAt: '2026-11-10T00:00:00.000Z',
      blindReturn: true,
      known: { orderNumber: 'ORD-9', customerName: '山田' },
    });
    expect(findParcel(db, 'p-1')).toEqual({
      id: 'p-1',
      rmaNumber: null,
      scannedCode: '123456789012',
      carrier: 'yamato',
      status: 'open',
      operatorId: 'OP-1',
      stationId: 'BENCH-01',
      receivedAt: '2026-11-10T00:00:00.000Z',
      closedAt: null,
      blindReturn: true,
      known: { orderNumber: 'ORD-9', customerName: '山田' },
    });
    // Older data may name a carrier this build does not know: the parcel still opens, without a carrier.
    db.prepare("UPDATE parcels SET carrier = 'fukutsu' WHERE id = 'p-1'").run();
    expect(findParcel(db, 'p-1')?.carrier).toBeNull();
    db.close();
  });

  it('keeps a resolution recommendation as an object and releases a held one once', () => {
    const db = openDatabase(':memory:');
    // The row's shape is the point here, not the item it refers to.
    db.pragma('foreign_keys = OFF');
    insertResolution(db, { id: 'r-1', itemId: 'i-1', rmaNumber: 'RMA-1', rmaLineId: 'L1', recommendation: { action: 'refund', amountJpy: 1200 }, status: 'held', createdAt: 't0' });
    expect(resolutionOfItem(db, 'i-1')).toMatchObject({ itemId: 'i-1', recommendation: { action: 'refund', amountJpy: 1200 }, status: 'held', releasedAt: null });
    expect(releaseResolution(db, 'i-1', 't1')).toBe(true);
    expect(releaseResolution(db, 'i-1', 't2')).toBe(false);
    expect(resolutionOfItem(db, 'i-1')).toMatchObject({ status: 'released', releasedAt: 't1' });
    db.close();
  });
});
