import { describe, expect, it } from 'vitest';
import { isLpnScan } from './ItemFound.js';

describe('isLpnScan: which scans ask about an item rather than open a parcel', () => {
  it('an item label, as scanned or typed in any case', () => {
    expect(isLpnScan('LPN-BENCH01-0000001')).toBe(true);
    expect(isLpnScan('lpn-bench01-0000001')).toBe(true);
    expect(isLpnScan('  LPN-SEED-0000042 ')).toBe(true);
  });

  it('not parcel labels, nor something that only starts like an LPN', () => {
    for (const code of ['RMA-00000001', 'ORD-0000000001', '4900000000012', 'LPN-BENCH01-12', 'LPN', 'TOTE-0001']) expect(isLpnScan(code)).toBe(false);
  });
});
