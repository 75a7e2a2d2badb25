import { describe, expect, it } from 'vitest';
import { LPN_RE, ORDER_NUMBER_RE, RMA_NUMBER_RE, formatLpn, formatOrderNumber, formatRmaNumber, lpnStationPart, parseLpn, parseOrderNumber, parseRmaNumber } from './rma.js';

describe('RMA numbers', () => {
  it('formats and parses RMA- + 8 digits', () => {
    expect(formatRmaNumber(12345)).toBe('RMA-00012345');
    expect(RMA_NUMBER_RE.test('RMA-00012345')).toBe(true);
    expect(parseRmaNumber('RMA-00012345')).toEqual({ ok: true, value: 'RMA-00012345', sequence: 12345 });
  });

  it('accepts lowercase, full-width, a missing hyphen and surrounding whitespace', () => {
    for (const t of ['rma-00012345', 'ＲＭＡ－０００１２３４５', 'RMA00012345', ' RMA 00012345\n', 'RMAー00012345']) {
      expect(parseRmaNumber(t)).toMatchObject({ ok: true, value: 'RMA-00012345' });
    }
  });

  it('rejects the wrong digit count and other prefixes', () => {
    expect(parseRmaNumber('RMA-0012345')).toMatchObject({ ok: false });
    expect(parseRmaNumber('RMA-000123456')).toMatchObject({ ok: false });
    expect(parseRmaNumber('ORD-00012345')).toMatchObject({ ok: false });
    expect(parseRmaNumber('RMA-0001234X')).toMatchObject({ ok: false });
  });

  it('refuses to format numbers that do not fit', () => {
    expect(() => formatRmaNumber(123_456_789)).toThrow(RangeError);
    expect(() => formatRmaNumber(-1)).toThrow(RangeError);
  });
});

describe('order numbers', () => {
  it('formats and parses ORD- + 10 digits', () => {
    expect(formatOrderNumber(42)).toBe('ORD-0000000042');
    expect(ORDER_NUMBER_RE.test('ORD-0000000042')).toBe(true);
    expect(parseOrderNumber('ord-0000000042')).toEqual({ ok: true, value: 'ORD-0000000042', sequence: 42 });
    expect(parseOrderNumber('ORD-000000042')).toMatchObject({ ok: false });
  });
});

describe('LPNs', () => {
  it('formats LPN-<station>-<7 digits>, dropping punctuation from the station id', () => {
    expect(formatLpn('BENCH-01', 42)).toBe('LPN-BENCH01-0000042');
    expect(formatLpn('bench 02', 1)).toBe('LPN-BENCH02-0000001');
    expect(LPN_RE.test('LPN-BENCH01-0000042')).toBe(true);
    expect(() => lpnStationPart('---')).toThrow(RangeError);
  });

  it('parses LPNs with their station and sequence', () => {
    expect(parseLpn('LPN-BENCH01-0000042')).toEqual({ ok: true, value: 'LPN-BENCH01-0000042', stationId: 'BENCH01', sequence: 42 });
    expect(parseLpn('lpn-bench01-0000042')).toMatchObject({ ok: true, value: 'LPN-BENCH01-0000042' });
    expect(parseLpn('LPN-BENCH01-42')).toMatchObject({ ok: false });
    expect(parseLpn('LPN--0000042')).toMatchObject({ ok: false });
    expect(parseLpn('LPN-BENCH-01-0000042')).toMatchObject({ ok: false });
  });
});
