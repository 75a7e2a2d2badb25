import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gs1DateToIso, parseGs1, parseGs1DigitalLink, parseGs1ElementString } from './gs1.js';

const now = new Date('2025-06-01T00:00:00Z');
const GS = '\u001d';

describe('GS1 element strings', () => {
  it('parses GS1-128 with the ]C1 prefix and GS separators', () => {
    const r = parseGs1ElementString(`]C10104912345678904172612311012AB${GS}21XYZ`, { now });
    expect(r).toMatchObject({ ok: true, form: 'element_string', data: { gtin: '04912345678904', expiry: '2026-12-31', lot: '12AB', serial: 'XYZ' } });
  });

  it('parses GS1 DataMatrix (]d2) and GS1 QR (]Q3)', () => {
    expect(parseGs1ElementString(`]d2010491234567890421SN-001${GS}10L1`, { now })).toMatchObject({ ok: true, data: { serial: 'SN-001', lot: 'L1' } });
    expect(parseGs1ElementString(`]Q30104912345678904`, { now })).toMatchObject({ ok: true, data: { gtin: '04912345678904' } });
  });

  it('parses the bracketed human-readable form', () => {
    const r = parseGs1ElementString('(01)09506000134352(21)ABC(10)LOT7(17)270228', { now });
    expect(r).toMatchObject({ ok: true, form: 'hri', data: { gtin: '09506000134352', serial: 'ABC', lot: 'LOT7', expiry: '2027-02-28' } });
  });

  it('ignores the spaces of a typed human-readable line', () => {
    expect(parseGs1ElementString('(01) 04912345678904 (10) LOT 7', { now })).toMatchObject({ ok: true, data: { gtin: '04912345678904', lot: 'LOT7' } });
  });

  it('treats a leading FNC1-as-GS as the GS1 mode marker, not data', () => {
    expect(parseGs1ElementString(`${GS}0104912345678904`, { now })).toMatchObject({ ok: true, data: { gtin: '04912345678904' } });
  });

  it('replaces the default and configured GS stand-ins', () => {
    expect(parseGs1ElementString('010491234567890410LOT<GS>21SER', { now })).toMatchObject({ ok: true, data: { lot: 'LOT', serial: 'SER' } });
    expect(parseGs1ElementString('010491234567890410LOT~21SER', { now, gsStandIns: ['~'] })).toMatchObject({ ok: true, data: { lot: 'LOT', serial: 'SER' } });
    // Without the stand-in configured, "~21SER" is read as part of the lot.
    expect(parseGs1ElementString('010491234567890410LOT~21SER', { now })).toMatchObject({ ok: true, data: { lot: 'LOT~21SER' } });
  });

  it('keeps every element, including ones the station has no field for', () => {
    const r = parseGs1ElementString(`(01)04912345678904(3103)000525`, { now });
    expect(r.ok && r.data.elements).toEqual([
      { ai: '01', value: '04912345678904' },
      { ai: '3103', value: '000525' },
    ]);
  });

  it('rejects a GTIN with a wrong check digit but still reports what it read', () => {
    const r = parseGs1ElementString('(01)04912345678905(21)X', { now });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/check digit/);
    expect(r.data?.serial).toBe('X');
  });

  it('rejects impossible expiry dates the parser library would roll over', () => {
    expect(parseGs1ElementString('(01)04912345678904(17)250631', { now })).toMatchObject({ ok: false, error: expect.stringMatching(/expiry/) });
    expect(parseGs1ElementString('(01)04912345678904(17)251300', { now })).toMatchObject({ ok: false });
  });

  it('validates an SSCC (00)', () => {
    expect(parseGs1ElementString('(00)106141411234567897', { now })).toMatchObject({ ok: true, data: { sscc: '106141411234567897' } });
    expect(parseGs1ElementString('(00)106141411234567890', { now })).toMatchObject({ ok: false });
  });

  it('refuses a non-GS1 symbology prefix and garbage, without throwing', () => {
    expect(parseGs1ElementString(']A0HELLO').ok).toBe(false);
    expect(parseGs1ElementString('hello').ok).toBe(false);
    expect(parseGs1ElementString('').ok).toBe(false);
    expect(parseGs1ElementString('(99').ok).toBe(false);
    fc.assert(fc.property(fc.string(), (s) => void parseGs1ElementString(s)));
  });
});

describe('GS1 dates', () => {
  it('uses the sliding century window relative to now', () => {
    expect(gs1DateToIso('261231', now)).toBe('2026-12-31');
    expect(gs1DateToIso('991231', now)).toBe('1999-12-31'); // 74 years ahead → last century
    expect(gs1DateToIso('740101', now)).toBe('2074-01-01'); // 49 ahead → this century
    expect(gs1DateToIso('760101', now)).toBe('1976-01-01'); // 51 ahead → last century
  });

  it('reads day 00 as the last day of the month, including leap years', () => {
    expect(gs1DateToIso('280200', now)).toBe('2028-02-29');
    expect(gs1DateToIso('270200', now)).toBe('2027-02-28');
  });

  it('rejects impossible dates', () => {
    expect(gs1DateToIso('270230', now)).toBeNull();
    expect(gs1DateToIso('271301', now)).toBeNull();
    expect(gs1DateToIso('27011', now)).toBeNull();
  });
});

describe('GS1 Digital Link', () => {
  it('parses the GS1 example URI with key qualifiers and query attributes', () => {
    const r = parseGs1DigitalLink('https://id.gs1.org/01/09506000134352/10/ABC%2F1/21/12345?17=271231&linkType=gs1:pip', { now });
    expect(r).toMatchObject({ ok: true, form: 'digital_link', data: { gtin: '09506000134352', lot: 'ABC/1', serial: '12345', expiry: '2027-12-31' } });
  });

  it('allows any domain and path prefix and a GTIN-13 in the path', () => {
    expect(parseGs1DigitalLink('https://example.co.jp/p/shop/01/4901234567894/21/S1', { now })).toMatchObject({ ok: true, data: { gtin: '04901234567894', serial: 'S1' } });
  });

  it('understands the Digital Link 1.0 short names', () => {
    expect(parseGs1DigitalLink('https://example.com/gtin/09506000134352/ser/A1', { now })).toMatchObject({ ok: true, data: { gtin: '09506000134352', serial: 'A1' } });
  });

  it('rejects links without a primary key, bad check digits, bad encodings and other schemes', () => {
    expect(parseGs1DigitalLink('https://example.com/products/42').ok).toBe(false);
    expect(parseGs1DigitalLink('https://id.gs1.org/01/09506000134353').ok).toBe(false);
    expect(parseGs1DigitalLink('https://id.gs1.org/01/09506000134352/21/%E0%A4%A').ok).toBe(false);
    expect(parseGs1DigitalLink('ftp://id.gs1.org/01/09506000134352').ok).toBe(false);
    expect(parseGs1DigitalLink('not a url').ok).toBe(false);
  });

  it('parseGs1 dispatches on the URL scheme', () => {
    expect(parseGs1('https://id.gs1.org/01/09506000134352', { now })).toMatchObject({ ok: true, form: 'digital_link' });
    expect(parseGs1('(01)09506000134352', { now })).toMatchObject({ ok: true, form: 'hri' });
  });
});
