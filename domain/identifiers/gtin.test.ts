import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { completeGtin, gs1CheckDigit, gtin14ToGtin13, hasValidGs1CheckDigit, isValidGtin, toGtin14 } from './gtin.js';

describe('GS1 mod-10 check digit', () => {
  it.each([
    ['96385074', 'EAN-8'],
    ['036000291452', 'UPC-A / GTIN-12'],
    ['4006381333931', 'EAN-13'],
    ['4901234567894', 'JAN (49 prefix)'],
    ['09506000134352', 'GTIN-14 from the GS1 Digital Link examples'],
    ['80614141123458', 'GTIN-14 with indicator 8'],
  ])('accepts %s (%s)', (code) => {
    expect(isValidGtin(code)).toBe(true);
  });

  it.each(['96385075', '036000291453', '4006381333932', '4901234567890', '09506000134353'])('rejects a wrong check digit in %s', (code) => {
    expect(isValidGtin(code)).toBe(false);
  });

  it('rejects lengths GTIN does not have and non-digits', () => {
    expect(isValidGtin('1234567')).toBe(false);
    expect(isValidGtin('12345678901')).toBe(false);
    expect(isValidGtin('490123456789A')).toBe(false);
    expect(isValidGtin('')).toBe(false);
  });

  it('computes the digit that completes a code', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(completeGtin('490123456789')).toBe('4901234567894');
    expect(() => completeGtin('12345')).toThrow(RangeError);
  });

  it('any single-digit change is caught', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const code = completeGtin(body);
        const changed = code.slice(0, pos) + String((Number(code[pos]) + delta) % 10) + code.slice(pos + 1);
        expect(hasValidGs1CheckDigit(changed)).toBe(false);
      }),
    );
  });
});

describe('toGtin14', () => {
  it('pads valid GTIN-8/12/13 with zeros, keeping the check digit valid', () => {
    expect(toGtin14('4901234567894')).toBe('04901234567894');
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(toGtin14('96385074')).toBe('00000096385074');
    expect(toGtin14('80614141123458')).toBe('80614141123458');
    expect(isValidGtin(toGtin14('96385074') ?? '')).toBe(true);
  });

  it('returns null for an invalid GTIN', () => {
    expect(toGtin14('4901234567890')).toBeNull();
    expect(toGtin14('hello')).toBeNull();
  });

  it('converts back to GTIN-13 only when the indicator is 0', () => {
    expect(gtin14ToGtin13('04901234567894')).toBe('4901234567894');
    expect(gtin14ToGtin13('80614141123458')).toBeNull();
  });
});
