import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import tds from 'epc-tds';
import { decodeEpc, decodeEpcUri } from './epc.js';
import { isValidGtin } from './gtin.js';

describe('decodeEpc', () => {
  it('decodes SGTIN-96 to GTIN and serial', () => {
    expect(decodeEpc('3074257BF7194E4000001A85')).toEqual({
      ok: true,
      scheme: 'SGTIN-96',
      hex: '3074257BF7194E4000001A85',
      tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.6789',
      idUri: 'urn:epc:id:sgtin:0614141.812345.6789',
      gtin: '80614141123458',
      serial: '6789',
    });
  });

  it('accepts lowercase hex and spaces', () => {
    expect(decodeEpc('3074 257b f719 4e40 0000 1a85')).toMatchObject({ ok: true, scheme: 'SGTIN-96' });
  });

  it('round-trips an SGTIN-96 we encode for a JAN code', () => {
    const hex = new tds.Sgtin96().setFilter(1).setPartition(6).setGtin('04901234567894').setSerial(12345).toHexString();
    const r = decodeEpc(hex);
    expect(r).toMatchObject({ ok: true, gtin: '04901234567894', serial: '12345' });
    expect(r.ok && isValidGtin(r.gtin ?? '')).toBe(true);
  });

  it('decodes SSCC-96 and GRAI-170', () => {
    expect(decodeEpc('3178E61C883950F59A000000')).toMatchObject({ ok: true, scheme: 'SSCC-96', sscc: '323563453213454346' });
    expect(decodeEpc('377A6BB0C1BDA6D9B664D1AB266D1AB266D1AB266D00')).toMatchObject({ ok: true, scheme: 'GRAI-170' });
  });

  it('insists on the length of the scheme (the library would decode anything)', () => {
    expect(decodeEpc('30')).toMatchObject({ ok: false });
    expect(decodeEpc('3074257BF7194E4000001A8')).toMatchObject({ ok: false, error: expect.stringMatching(/24 hex/) });
    expect(decodeEpc('3074257BF7194E4000001A8500')).toMatchObject({ ok: false });
  });

  it('rejects unknown headers, invalid partitions and non-hex without throwing', () => {
    expect(decodeEpc('000000000000000000000000')).toMatchObject({ ok: false });
    expect(decodeEpc('30FC257BF7194E4000001A85')).toMatchObject({ ok: false }); // partition 7
    expect(decodeEpc('ZZZ')).toMatchObject({ ok: false });
    expect(decodeEpc('')).toMatchObject({ ok: false });
    fc.assert(fc.property(fc.stringMatching(/^[0-9A-F]{0,60}$/), (s) => void decodeEpc(s)));
  });
});

describe('decodeEpcUri', () => {
  it('decodes tag URIs through epc-tds', () => {
    expect(decodeEpcUri('urn:epc:tag:sgtin-96:3.0614141.812345.6789')).toMatchObject({ ok: true, hex: '3074257BF7194E4000001A85', gtin: '80614141123458' });
  });

  it('decodes pure-identity SGTIN and SSCC URIs', () => {
    expect(decodeEpcUri('urn:epc:id:sgtin:0614141.812345.6789')).toMatchObject({ ok: true, gtin: '80614141123458', serial: '6789' });
    expect(decodeEpcUri('urn:epc:id:sgtin:4912345.067890.A%2F1')).toMatchObject({ ok: true, gtin: '04912345678904', serial: 'A/1' });
    expect(decodeEpcUri('urn:epc:id:sscc:0614141.1234567890')).toMatchObject({ ok: true, sscc: '106141412345678908' });
  });

  it('rejects malformed URIs', () => {
    expect(decodeEpcUri('urn:epc:id:sgtin:0614141.81234.6789')).toMatchObject({ ok: false });
    expect(decodeEpcUri('urn:epc:id:giai:0614141.1')).toMatchObject({ ok: false });
    expect(decodeEpcUri('urn:epc:tag:sgtin-96:x')).toMatchObject({ ok: false });
  });
});
