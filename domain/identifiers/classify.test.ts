import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecodedCode } from '../../contract/index.js';
import { classifyCode } from './classify.js';

const now = new Date('2025-06-01T00:00:00Z');
const decode = (s: string, o: Parameters<typeof classifyCode>[1] = {}) => classifyCode(s, { now, ...o });

describe('classifyCode', () => {
  it.each([
    ['123456789013', { kind: 'tracking', valid: true, carrier: 'yamato', carrierCandidates: ['yamato', 'sagawa', 'japanpost'] }],
    ['1234-5678-9013', { kind: 'tracking', valid: true, normalized: '123456789013' }],
    ['a123456789013a', { kind: 'tracking', valid: true, normalized: '123456789013' }],
    ['123456789014', { kind: 'tracking', valid: false, error: expect.stringMatching(/check digit/) }],
    ['123456789012', { kind: 'gtin', valid: true }], // wrong mod-7 digit but a valid UPC-A
    ['EJ123456785JP', { kind: 'tracking', valid: true, carrier: 'japanpost_intl' }],
    ['EJ123456784JP', { kind: 'tracking', valid: false, carrier: 'japanpost_intl' }],
    ['4901234567894', { kind: 'gtin', valid: true, gtin: '04901234567894' }],
    [']E04901234567894', { kind: 'gtin', valid: true, gtin: '04901234567894' }],
    ['4901234567890', { kind: 'gtin', valid: false }],
    ['96385074', { kind: 'gtin', valid: true, gtin: '00000096385074' }],
    ['80614141123458', { kind: 'gtin', valid: true, gtin: '80614141123458' }],
    ['036000291452', { kind: 'gtin', valid: true, gtin: '00036000291452' }],
    ['RMA-00012345', { kind: 'rma', valid: true, normalized: 'RMA-00012345' }],
    ['ｒｍａ－０００１２３４５', { kind: 'rma', valid: true, normalized: 'RMA-00012345' }],
    ['RMA-123', { kind: 'rma', valid: false }],
    ['ORD-0000012345', { kind: 'order', valid: true }],
    ['LPN-BENCH01-0000042', { kind: 'lpn', valid: true, stationId: 'BENCH01' }],
    ['LPN-BENCH01-42', { kind: 'lpn', valid: false }],
    [']C10104912345678904172612311012AB\u001d21XYZ', { kind: 'gs1', valid: true, gtin: '04912345678904', expiry: '2026-12-31', lot: '12AB', serial: 'XYZ' }],
    ['(01)04912345678904(21)ABC', { kind: 'gs1', valid: true, serial: 'ABC', normalized: '(01)04912345678904(21)ABC' }],
    ['0104912345678904', { kind: 'gs1', valid: true, gtin: '04912345678904' }],
    ['010491234567890421ABC', { kind: 'gs1', valid: true, serial: 'ABC' }],
    ['https://id.gs1.org/01/09506000134352/21/ABC', { kind: 'gs1', valid: true, form: 'digital_link', gtin: '09506000134352', serial: 'ABC' }],
    ['https://example.com/about', { kind: 'unknown', valid: false }],
    ['3074257BF7194E4000001A85', { kind: 'epc', valid: true, epcScheme: 'SGTIN-96', gtin: '80614141123458', serial: '6789' }],
    ['3074257bf7194e4000001a85', { kind: 'epc', valid: true, normalized: '3074257BF7194E4000001A85' }],
    ['urn:epc:tag:sgtin-96:3.0614141.812345.6789', { kind: 'epc', valid: true, gtin: '80614141123458' }],
    ['000000000000000000000A00', { kind: 'epc', valid: false }],
    ['', { kind: 'unknown', valid: false, error: 'empty input' }],
    ['hello', { kind: 'unknown', valid: false }],
    ['1234567', { kind: 'unknown', valid: false }],
  ])('%j → %o', (input, expected) => {
    const r = decode(input);
    expect(r).toMatchObject({ input, ...expected });
    expect(DecodedCode.safeParse(r).success).toBe(true);
  });

  it('a 12-digit code valid as both tracking (mod 7) and UPC-A (mod 10) is a tracking number, unless an item is expected', () => {
    // 000000000000 satisfies both checks.
    expect(decode('000000000000').kind).toBe('tracking');
    expect(decode('000000000000', { expect: 'item' }).kind).toBe('gtin');
    expect(decode('123456789013', { expect: 'item' }).kind).toBe('tracking'); // not a valid UPC-A
  });

  it('passes the carrier order through', () => {
    expect(decode('123456789013', { domesticOrder: ['sagawa'] })).toMatchObject({ carrier: 'sagawa', carrierCandidates: ['sagawa', 'yamato', 'japanpost'] });
  });

  it('uses the configured GS stand-in to recognise a GS1 string', () => {
    expect(decode('010491234567890410LOT|21SER', { gsStandIns: ['|'] })).toMatchObject({ kind: 'gs1', valid: true, lot: 'LOT', serial: 'SER' });
  });

  it('reports the wrong check digit of a GTIN inside a GS1 string as gs1, invalid', () => {
    expect(decode('(01)04912345678905')).toMatchObject({ kind: 'gs1', valid: false, error: expect.stringMatching(/check digit/) });
  });

  it('rejects overlong input', () => {
    expect(decode('9'.repeat(5000))).toMatchObject({ kind: 'unknown', valid: false });
  });

  it('never throws and always returns a valid DecodedCode', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[\]A-Za-z0-9()\-\u001d ]{0,40}$/), fc.stringMatching(/^(RMA|ORD|LPN|EJ|\(01\)|\]C1|https:\/\/x\/01\/)[0-9A-Z%\/]{0,30}$/)), (s) => {
        const r = decode(s);
        expect(DecodedCode.safeParse(r).success).toBe(true);
        expect(r.input).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});
