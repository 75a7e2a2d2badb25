import tds from 'epc-tds';
import { describe, expect, it } from 'vitest';
import { matchTagsToLines } from './matchTags.js';

/** SGTIN-96 for GTIN 0 4912345 12345 9 (company prefix 4912345, item 012345) with a serial. */
const sgtin = (item: number, serial: number): string =>
  new tds.Sgtin96().setFilter(1).setPartition(5).setCompanyPrefix(4912345).setItemReference(item).setSerial(serial).toHexString().toUpperCase();

const GTIN_A = '04912345123459';
const GTIN_B = '04912345543219';

describe('matchTagsToLines', () => {
  it('uses a known SGTIN-96 vector', () => {
    expect(sgtin(12345, 1001)).toBe('30352BD3640C0E40000003E9');
  });

  it('assigns each tag to the line with its GTIN, once per physical tag', () => {
    const b = sgtin(54321, 7);
    expect(matchTagsToLines([{ epcHex: b }], [{ lineId: 'x', gtin: GTIN_B, expectedQty: 1 }]).lines[0]?.tags[0]?.gtin).toBe(GTIN_B);
    const tags = [sgtin(12345, 1), sgtin(12345, 2), sgtin(12345, 1).toLowerCase(), b];
    const r = matchTagsToLines(tags.map((epcHex) => ({ epcHex })), [
      { lineId: 'L1', gtin: GTIN_A, expectedQty: 2 },
      { lineId: 'L2', gtin: GTIN_B, expectedQty: 1 },
    ]);
    expect(r.lines.map((l) => [l.lineId, l.tags.map((t) => t.serial), l.missing])).toEqual([
      ['L1', ['1', '2'], 0],
      ['L2', ['7'], 0],
    ]);
    expect(r.complete).toBe(true);
  });

  it('reports missing units, surplus tags, unexpected GTINs, non-item and undecodable EPCs', () => {
    const sscc = new tds.Sscc96().setFilter(0).setPartition(5).setCompanyPrefix(4912345).setSerialReference(1234567890).toHexString();
    const r = matchTagsToLines(
      [sgtin(12345, 1), sgtin(12345, 2), sgtin(99999, 1), sscc, 'E2801160600002054F2A1B3C', 'ZZ'].map((epcHex) => ({ epcHex })),
      [
        { lineId: 'L1', gtin: GTIN_A, expectedQty: 1 },
        { lineId: 'L2', gtin: GTIN_B, expectedQty: 2 },
      ],
    );
    expect(r.lines.map((l) => l.missing)).toEqual([0, 2]);
    expect(r.surplus.map((t) => t.serial)).toEqual(['2']);
    expect(r.unexpected).toHaveLength(1);
    expect(r.nonItem.map((n) => n.scheme)).toEqual(['SSCC-96']);
    expect(r.undecodable.map((u) => u.epcHex)).toEqual(['E2801160600002054F2A1B3C', 'ZZ']);
    expect(r.complete).toBe(false);
  });

  it('fills two lines of the same GTIN in RMA order', () => {
    const r = matchTagsToLines([1, 2, 3].map((s) => ({ epcHex: sgtin(12345, s) })), [
      { lineId: 'first', gtin: GTIN_A, expectedQty: 1 },
      { lineId: 'second', gtin: GTIN_A.replace(/^0/, ''), expectedQty: 2 },
    ]);
    expect(r.lines.map((l) => l.tags.length)).toEqual([1, 2]);
    expect(r.complete).toBe(true);
  });
});
