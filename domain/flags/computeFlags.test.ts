import { describe, expect, it } from 'vitest';
import { Flag, FlagCode } from '../../contract/index.js';
import { computeFlags, flagCodes, type FlagInput } from './computeFlags.js';
import { checkReturnWindow, jstDate, STATUTORY_RETURN_DAYS } from './returnWindow.js';

const NOW = '2025-06-10T03:00:00.000Z'; // 12:00 in Tokyo
const base: FlagInput = { reason: 'size', now: NOW };
const graded = (grade: 'N' | 'S' | 'A' | 'B' | 'C' | 'D' | 'scrap', condition = 'new' as const, fault = 'none' as const) => ({
  grade,
  condition,
  faultAttribution: fault,
  observations: [],
});
const codes = (input: Partial<FlagInput>, config = {}) => flagCodes(computeFlags({ ...base, ...input }, config));

describe('computeFlags', () => {
  it('raises nothing for an ordinary return, and every flag it raises is valid under the contract', () => {
    expect(computeFlags({ ...base, grade: graded('A'), priceJpy: 3000, customerReturnRate: 0.1, expectedSku: 'A', receivedSku: 'A' })).toEqual([]);
    const all = computeFlags({
      reason: 'damaged',
      grade: { ...graded('N'), observations: ['serial_mismatch'] },
      expectedSku: 'A',
      receivedSku: 'B',
      expectedWeightGrams: 1000,
      measuredWeightGrams: 10,
      priceJpy: 99_000,
      customerReturnRate: 0.9,
      expiry: '2020-01-01',
      expectedLot: 'L1',
      scannedLot: 'L2',
      blindReturn: true,
      now: NOW,
    });
    for (const f of all) Flag.parse(f);
    expect(flagCodes(all)).toEqual(['reason_condition_mismatch', 'wrong_item', 'serial_mismatch', 'lot_mismatch', 'empty_box', 'high_value', 'serial_returner', 'expired_lot', 'blind_return']);
    for (const f of all) expect(f.explanation.ja.length).toBeGreaterThan(0);
  });

  it('declared_condition_mismatch: declared unused with tags but graded B or worse, with the customer photos as evidence', () => {
    const declaration = { condition: 'unused_with_tags' as const, complete: true, photos: ['a'.repeat(64), 'b'.repeat(64)] };
    for (const g of ['B', 'C', 'D', 'scrap'] as const) expect(codes({ declaration, grade: graded(g) }), g).toEqual(['declared_condition_mismatch']);
    for (const g of ['N', 'S', 'A'] as const) expect(codes({ declaration, grade: graded(g) }), g).toEqual([]);
    const [flag] = computeFlags({ ...base, declaration, grade: graded('C') });
    expect(flag?.explanation.en).toBe('Declared unused with tags, but graded C.');
    expect(flag?.explanation.ja).toContain('未使用・タグ付き');
    expect(flag?.detail).toMatchObject({ declaredCondition: 'unused_with_tags', grade: 'C', partMissing: false, customerPhotos: `${'a'.repeat(64)},${'b'.repeat(64)}` });
    // Declared as used or damaged: a worn item is what the customer said it was.
    expect(codes({ declaration: { condition: 'used', complete: true }, grade: graded('C') })).toEqual([]);
    expect(codes({ declaration: { condition: 'damaged', complete: false }, grade: graded('D') })).toEqual([]);
    // Nothing is flagged before grading, nor without a declaration.
    expect(codes({ declaration })).toEqual([]);
    expect(codes({ grade: graded('C') })).toEqual([]);
  });

  it('declared_condition_mismatch: declared complete but graded with a missing part', () => {
    const missing = { ...graded('A'), observations: ['accessories_missing' as const] };
    expect(codes({ declaration: { condition: 'opened', complete: true }, grade: missing })).toEqual(['declared_condition_mismatch']);
    expect(computeFlags({ ...base, declaration: { condition: 'opened', complete: true }, grade: missing })[0]?.detail).toMatchObject({ partMissing: true });
    expect(codes({ declaration: { condition: 'opened', complete: false }, grade: missing })).toEqual([]);
    const both = computeFlags({ ...base, declaration: { condition: 'unused_with_tags', complete: true }, grade: { ...missing, grade: 'B' } });
    expect(both).toHaveLength(1);
    expect(both[0]?.explanation.en).toBe('Declared unused with tags, but graded B. Declared complete, but a part or accessory is missing.');
  });

  it('reason_condition_mismatch: "damaged" but graded N or S', () => {
    expect(codes({ reason: 'damaged', grade: graded('S') })).toEqual(['reason_condition_mismatch']);
    expect(codes({ reason: 'damaged', grade: graded('N') })).toEqual(['reason_condition_mismatch']);
    expect(codes({ reason: 'damaged', grade: graded('A') })).toEqual([]);
    expect(codes({ reason: 'damaged' })).toEqual([]);
  });

  it('reason_condition_mismatch: "changed mind" but customer-caused damage', () => {
    const f = computeFlags({ ...base, reason: 'changed_mind', grade: { ...graded('D'), condition: 'damaged', faultAttribution: 'customer' } });
    expect(flagCodes(f)).toEqual(['reason_condition_mismatch']);
    expect(f[0]?.explanation.en).toMatch(/customer damaged it/);
    expect(codes({ reason: 'changed_mind', grade: { ...graded('D'), condition: 'defective', faultAttribution: 'vendor' } })).toEqual([]);
    expect(codes({ reason: 'changed_mind', grade: { ...graded('B'), condition: 'used_good', faultAttribution: 'customer' } })).toEqual([]);
  });

  it('wrong_item: a different SKU than the line expected, naming both', () => {
    const f = computeFlags({ ...base, expectedSku: 'APP-000001', receivedSku: 'APP-000002' });
    expect(f).toMatchObject([{ code: 'wrong_item', detail: { expectedSku: 'APP-000001', receivedSku: 'APP-000002' } }]);
    expect(codes({ expectedSku: null, receivedSku: 'X' })).toEqual([]);
  });

  it('serial_mismatch: from the scan (ignoring case, spaces and hyphens) or from the grading answer', () => {
    expect(codes({ expectedSerial: 'SN-123 ab', scannedSerial: 'sn123AB' })).toEqual([]);
    expect(computeFlags({ ...base, expectedSerial: 'SN123', scannedSerial: 'SN999' })).toMatchObject([{ code: 'serial_mismatch', detail: { expectedSerial: 'SN123', scannedSerial: 'SN999' } }]);
    expect(codes({ grade: { ...graded('S'), observations: ['serial_mismatch'] } })).toEqual(['serial_mismatch']);
    expect(codes({ expectedSerial: 'SN123' })).toEqual([]);
  });

  it('lot_mismatch: the lot scanned (GS1 AI 10) is not the lot sold on the line, said with both lots', () => {
    expect(codes({ expectedLot: 'L-2406a', scannedLot: 'l2406A ' })).toEqual([]);
    const [flag] = computeFlags({ ...base, expectedLot: 'L2406A', scannedLot: 'L2311C' });
    expect(flag).toMatchObject({ code: 'lot_mismatch', detail: { expectedLot: 'L2406A', scannedLot: 'L2311C' } });
    expect(flag?.explanation.en).toBe('Lot differs: sold L2406A, returned L2311C.');
    expect(flag?.explanation.ja).toBe('ロットが異なります：販売時 L2406A、返品 L2311C。');
    // Only a lot on both sides can differ: a line sold without one, or a scan without AI 10, says nothing.
    expect(codes({ expectedLot: 'L2406A' })).toEqual([]);
    expect(codes({ scannedLot: 'L2406A' })).toEqual([]);
  });

  it('empty_box: only with a scale reading, and only far below the expected weight', () => {
    expect(codes({ expectedWeightGrams: 800, measuredWeightGrams: 150 })).toEqual(['empty_box']);
    expect(codes({ expectedWeightGrams: 800, measuredWeightGrams: 600 })).toEqual([]);
    expect(codes({ expectedWeightGrams: 800 })).toEqual([]);
    expect(codes({ expectedWeightGrams: 800, measuredWeightGrams: 500 }, { emptyBoxWeightRatio: 0.7 })).toEqual(['empty_box']);
  });

  it('high_value: at or above a configurable threshold', () => {
    expect(codes({ priceJpy: 50_000 })).toEqual(['high_value']);
    expect(codes({ priceJpy: 49_999 })).toEqual([]);
    expect(codes({ priceJpy: 20_000 }, { highValueJpy: 10_000 })).toEqual(['high_value']);
    expect(computeFlags({ ...base, priceJpy: 120_000 })[0]?.explanation.en).toContain('¥120,000');
  });

  it('serial_returner: return rate from the WMS at or above a configurable threshold', () => {
    expect(codes({ customerReturnRate: 0.4 })).toEqual(['serial_returner']);
    expect(codes({ customerReturnRate: 0.39 })).toEqual([]);
    expect(codes({ customerReturnRate: 0.2 }, { serialReturnerRate: 0.15 })).toEqual(['serial_returner']);
    expect(codes({})).toEqual([]);
  });

  it('return_window_exceeded: statutory 8 days counted in Japanese calendar days from delivery', () => {
    // Delivered 1 June 23:30 JST; 8 June is day 8, 9 June is day 9.
    const deliveredAt = '2025-06-01T14:30:00.000Z';
    expect(codes({ deliveredAt, requestedAt: '2025-06-08T14:59:00.000Z' })).toEqual([]);
    const late = computeFlags({ ...base, deliveredAt, requestedAt: '2025-06-08T15:00:00.000Z' });
    expect(late).toMatchObject([{ code: 'return_window_exceeded', returnWindow: { basis: 'statutory', days: 8, dayOfReturn: 9, exceeded: true }, detail: { basis: 'statutory' } }]);
    expect(late[0]?.explanation.en).toMatch(/8-day statutory/);
  });

  it('return_window_exceeded: the shop policy replaces the statutory window (RMA first, then config)', () => {
    const deliveredAt = '2025-06-01T01:00:00.000Z';
    const receivedAt = '2025-06-12T01:00:00.000Z'; // day 12
    expect(codes({ deliveredAt, receivedAt, shopReturnPolicyDays: 14 })).toEqual([]);
    expect(computeFlags({ ...base, deliveredAt, receivedAt, shopReturnPolicyDays: 10 })).toMatchObject([
      { code: 'return_window_exceeded', returnWindow: { basis: 'shop_policy', days: 10, dayOfReturn: 12 } },
    ]);
    expect(computeFlags({ ...base, deliveredAt, receivedAt }, { shopReturnPolicyDays: 7 })[0]?.returnWindow).toMatchObject({ basis: 'shop_policy', days: 7 });
    // requestedAt (when the customer asked) wins over the parcel's arrival.
    expect(codes({ deliveredAt, requestedAt: '2025-06-05T01:00:00.000Z', receivedAt })).toEqual([]);
  });

  it('return_window_exceeded: not for damaged or wrong deliveries, nor without a delivery date', () => {
    const late = { deliveredAt: '2025-05-01T00:00:00.000Z', receivedAt: NOW };
    expect(codes({ ...late, reason: 'damaged', grade: graded('D') })).toEqual([]);
    expect(codes({ ...late, reason: 'wrong_item' })).toEqual([]);
    expect(codes({ ...late, reason: 'changed_mind' })).toEqual(['return_window_exceeded']);
    expect(codes({ receivedAt: NOW })).toEqual([]);
  });

  it('expired_lot: expiry before today in Japan', () => {
    expect(codes({ expiry: '2025-06-09' })).toEqual(['expired_lot']);
    expect(codes({ expiry: '2025-06-10' })).toEqual([]);
    // 20:00 UTC on 9 June is already 10 June in Tokyo.
    expect(codes({ expiry: '2025-06-09', now: '2025-06-09T16:00:00.000Z' })).toEqual(['expired_lot']);
    expect(codes({ expiry: '2025-06-09', now: '2025-06-09T14:00:00.000Z' })).toEqual([]);
    expect(() => computeFlags({ ...base, expiry: '250609' })).toThrow(RangeError);
  });

  it('blind_return', () => {
    expect(codes({ reason: null, blindReturn: true })).toEqual(['blind_return']);
  });

  it('has a test above for every flag code', () => {
    // The four site_* codes are raised by the hub, not here: hub/siteFlags.test.ts tests them.
    expect(FlagCode.options.filter((c) => !c.startsWith('site_'))).toHaveLength(11);
  });

  it('rejects a bad config', () => {
    expect(() => computeFlags(base, { highValueJpy: -1 })).toThrow();
  });
});

describe('return window helpers', () => {
  it('counts the delivery day as day 1 and uses the Japanese date', () => {
    expect(checkReturnWindow('2025-06-01T00:00:00.000Z', '2025-06-01T10:00:00.000Z')).toEqual({ basis: 'statutory', days: STATUTORY_RETURN_DAYS, dayOfReturn: 1, exceeded: false });
    expect(jstDate('2025-06-01T15:00:00.000Z')).toBe('2025-06-02');
    expect(checkReturnWindow('2025-06-01T00:00:00.000Z', '2025-06-01T10:00:00.000Z', 0).exceeded).toBe(true);
    expect(() => checkReturnWindow('nope', NOW)).toThrow(RangeError);
  });
});
