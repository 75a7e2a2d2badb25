import { describe, expect, it } from 'vitest';
import { describeAim, splitAim } from './aim.js';
import { decodeScanBytes, scanFromBytes } from './scanText.js';
import iconv from 'iconv-lite';

describe('AIM symbology identifiers', () => {
  it.each([
    [']C1', 'gs1-128', true],
    [']C0', 'code128', false],
    [']d2', 'gs1-datamatrix', true],
    [']d1', 'datamatrix', false],
    [']E0', 'ean-13', false],
    [']E4', 'ean-8', false],
    [']E3', 'ean-addon', false],
    [']Q3', 'gs1-qr', true],
    [']Q1', 'qr', false],
    [']A0', 'code39', false],
    [']F0', 'codabar', false],
    [']I1', 'itf', false],
    [']e0', 'gs1-databar', true],
    [']L2', 'pdf417', false],
    [']z0', 'aztec', false],
    [']X0', 'other', false],
    [']W9', 'other', false],
  ])('%s is %s', (aim, symbology, gs1) => {
    expect(describeAim(aim)).toEqual({ symbology, gs1 });
  });

  it('splits identifier and data, keeping GS', () => {
    expect(splitAim(']C1010491234567890410LOT\x1d21SN1')).toEqual({
      aim: ']C1',
      data: '010491234567890410LOT\x1d21SN1',
      symbology: 'gs1-128',
      gs1: true,
    });
  });

  it('text without identifier is unknown and kept whole', () => {
    expect(splitAim('1234-5678-9012')).toEqual({ aim: null, data: '1234-5678-9012', symbology: 'unknown', gs1: false });
    expect(splitAim(']')).toMatchObject({ aim: null, data: ']' });
  });
});

describe('scanFromBytes', () => {
  const opts = { source: 'serial:/dev/ttyUSB0', encoding: 'auto' as const, at: 1000 };

  it('makes a ScanEvent with GS preserved', () => {
    const r = scanFromBytes(Buffer.from(']d201049123456789041724123110AB\x1d21XYZ'), opts);
    expect(r).toEqual({
      ok: true,
      scan: { text: '01049123456789041724123110AB\x1d21XYZ', symbology: 'gs1-datamatrix', aim: ']d2', gs1: true, source: opts.source, at: 1000 },
    });
  });

  it('keeps Codabar start/stop and hyphens as scanned', () => {
    const r = scanFromBytes(Buffer.from(']F0A1234-5678-9012A'), opts);
    expect(r.ok && r.scan.text).toBe('A1234-5678-9012A');
  });

  it('refuses control bytes with a hint about baud rate', () => {
    const r = scanFromBytes(Buffer.from([0x5d, 0x45, 0x30, 0x31, 0x07, 0x32]), opts);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(/control byte 0x07.*baud rate/);
  });

  it('refuses an identifier with no data', () => {
    const r = scanFromBytes(Buffer.from(']E0'), opts);
    expect(!r.ok && r.problem).toMatch(/no data after \]E0/);
  });

  it('decodes Shift_JIS QR content when the bytes are not UTF-8', () => {
    const sjis = iconv.encode('返品センター', 'Shift_JIS');
    expect(decodeScanBytes(sjis, 'auto')).toBe('返品センター');
    expect(decodeScanBytes(Buffer.from('返品', 'utf8'), 'auto')).toBe('返品');
    const r = scanFromBytes(Buffer.concat([Buffer.from(']Q1'), sjis]), opts);
    expect(r.ok && r.scan.text).toBe('返品センター');
  });

  it('refuses invalid UTF-8 when UTF-8 is forced', () => {
    const r = scanFromBytes(Buffer.from([0x41, 0xff, 0xfe]), { ...opts, encoding: 'utf8' });
    expect(!r.ok && r.problem).toMatch(/not valid text/);
  });
});
