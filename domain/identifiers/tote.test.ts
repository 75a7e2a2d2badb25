import { describe, expect, it } from 'vitest';
import { DecodedCode } from '../../contract/index.js';
import { classifyCode } from './classify.js';
import { parseBagCode, parseToteId } from './tote.js';

describe('tote labels and bag codes', () => {
  it.each([
    ['TOTE-S0001', { kind: 'tote', valid: true, normalized: 'TOTE-S0001' }],
    ['cage-d0003', { kind: 'tote', valid: true, normalized: 'CAGE-D0003' }],
    ['ＴＯＴＥ－Ｓ０００１', { kind: 'tote', valid: true, normalized: 'TOTE-S0001' }],
    ['TOTE0001', { kind: 'tote', valid: true, normalized: 'TOTE-0001' }],
    ['  TOTE—S0001 ', { kind: 'tote', valid: true, normalized: 'TOTE-S0001' }],
    ['TOTE-AB', { kind: 'tote', valid: false }],
    ['TOTE-S0001?', { kind: 'tote', valid: false }],
    ['BAG-3000000001', { kind: 'bag', valid: true, normalized: 'BAG-3000000001' }],
    ['bag_3000000001', { kind: 'bag', valid: true, normalized: 'BAG-3000000001' }],
    ['BAG3000000001', { kind: 'bag', valid: true, normalized: 'BAG-3000000001' }],
    ['BAG-12', { kind: 'bag', valid: false }],
  ])('%s', (input, expected) => {
    const r = classifyCode(input);
    expect(r).toMatchObject(expected);
    expect(DecodedCode.safeParse(r).success).toBe(true);
    if (!r.valid) expect(r.error).toBeTruthy();
  });

  it('leaves words that merely start with the letters to the other kinds', () => {
    expect(classifyCode('BAGGAGE').kind).toBe('unknown');
    expect(classifyCode('TOTEBAG').kind).toBe('unknown');
    expect(classifyCode('RMA-00012345').kind).toBe('rma');
    expect(classifyCode('LPN-BENCH01-0000042').kind).toBe('lpn');
  });

  it('parsers say why a code is refused', () => {
    expect(parseToteId('TOTE-')).toEqual({ ok: false, error: expect.stringMatching(/tote or cage/) });
    expect(parseToteId('CAGE-D0003')).toEqual({ ok: true, value: 'CAGE-D0003', container: 'cage' });
    expect(parseBagCode('BAG-ABCDEFGHIJKLMNOPQRSTU')).toEqual({ ok: false, error: expect.stringMatching(/6 to 20/) });
  });
});
