import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanTrackingText, formatTrackingForDisplay, makeTrackingNumber, mod7CheckDigit, parseTracking, s10CheckDigit } from './tracking.js';

describe('domestic 12-digit numbers (7DR: first 11 digits mod 7)', () => {
  it('computes the published Yamato example 1234-5678-901 → 3', () => {
    expect(mod7CheckDigit('12345678901')).toBe(3);
    expect(makeTrackingNumber('yamato', '12345678901')).toBe('123456789013');
  });

  it.each(['444413758703', '405548424886', '512547514334'])('accepts sample waybill %s as any domestic carrier', (n) => {
    const r = parseTracking(n);
    expect(r).toEqual({ ok: true, number: n, format: 'jp12', candidates: ['yamato', 'sagawa', 'japanpost'] });
  });

  it('rejects a wrong check digit and says what it should be', () => {
    const r = parseTracking('123456789012');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('check_digit');
    expect(r.error).toContain('3');
    expect(r.number).toBe('123456789012');
    expect(r.candidates).toEqual(['yamato', 'sagawa', 'japanpost']);
  });

  it('strips hyphens, spaces, full-width digits, Codabar start/stop and AIM prefixes', () => {
    for (const text of ['1234-5678-9013', '1234 5678 9013', ' 123456789013\r\n', 'a123456789013a', 'A123456789013A', 'D123456789013B', ']F0a123456789013a', '１２３４－５６７８－９０１３']) {
      expect(parseTracking(text)).toMatchObject({ ok: true, number: '123456789013' });
    }
  });

  it('keeps Codabar letters when what is inside is not all digits', () => {
    expect(cleanTrackingText('A12B34A')).toBe('A12B34A');
  });

  it('lets the caller put a carrier first', () => {
    const r = parseTracking('123456789013', { domesticOrder: ['japanpost'] });
    expect(r).toMatchObject({ ok: true, candidates: ['japanpost', 'yamato', 'sagawa'] });
  });

  it('catches every single-digit error (mod 7 detects them all except a change of exactly 7)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        fc.pre(delta !== 7);
        const n = makeTrackingNumber('sagawa', body);
        expect(parseTracking(n).ok).toBe(true);
        const d = Number(n[pos]);
        fc.pre(d + delta <= 9);
        const changed = n.slice(0, pos) + String(d + delta) + n.slice(pos + 1);
        expect(parseTracking(changed).ok).toBe(false);
      }),
    );
  });
});

describe('UPU S10', () => {
  it('computes the check digit with weights 8 6 4 2 3 5 9 7', () => {
    expect(s10CheckDigit('12345678')).toBe(5); // EJ123456785JP
    expect(s10CheckDigit('47312482')).toBe(9); // S mod 11 = 2
    expect(s10CheckDigit('28704377')).toBe(5); // C = 11 becomes 5
    expect(s10CheckDigit('10158380')).toBe(0); // C = 10 becomes 0
  });

  it('parses EJ123456785JP as Japan Post international', () => {
    expect(parseTracking('EJ123456785JP')).toEqual({ ok: true, number: 'EJ123456785JP', format: 's10', candidates: ['japanpost_intl'], country: 'JP' });
    expect(parseTracking('ej 123 456 785 jp')).toMatchObject({ ok: true, number: 'EJ123456785JP' });
    expect(parseTracking('RR287043775IN')).toMatchObject({ ok: true, country: 'IN' });
  });

  it('rejects a wrong S10 check digit', () => {
    expect(parseTracking('EJ123456784JP')).toMatchObject({ ok: false, code: 'check_digit', format: 's10' });
  });

  it('makes S10 numbers', () => {
    expect(makeTrackingNumber('japanpost_intl', '12345678')).toBe('EJ123456785JP');
    expect(makeTrackingNumber('japanpost_intl', '12345678', { service: 'CP', country: 'JP' })).toBe('CP123456785JP');
    expect(() => makeTrackingNumber('japanpost_intl', '1234567')).toThrow(RangeError);
  });
});

describe('garbage', () => {
  it.each(['', '   ', '12345', '1234567890123', 'hello', 'EJ12345678JP', '12345678901X'])('rejects %j without throwing', (text) => {
    const r = parseTracking(text);
    expect(r.ok).toBe(false);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseTracking(s)));
  });

  it('refuses to build from a body of the wrong length', () => {
    expect(() => makeTrackingNumber('yamato', '123')).toThrow(RangeError);
  });
});

it('formats for display with the waybill grouping', () => {
  expect(formatTrackingForDisplay('123456789013')).toBe('1234-5678-9013');
  expect(formatTrackingForDisplay('EJ123456785JP')).toBe('EJ123456785JP');
});
