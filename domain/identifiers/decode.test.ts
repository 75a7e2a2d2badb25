import { describe, expect, it } from 'vitest';
import { decodeToJsonLines, parseDecodeArgs } from './decode.js';

describe('parseDecodeArgs', () => {
  it('collects inputs and options', () => {
    expect(parseDecodeArgs(['--gs', '~', '--gs', '<FNC1>', '--expect', 'item', '--strict', 'A', 'B'])).toEqual({
      inputs: ['A', 'B'],
      options: { gsStandIns: ['~', '<FNC1>'], expect: 'item' },
      strict: true,
      help: false,
    });
  });

  it('treats "-" as stdin and everything after "--" as inputs', () => {
    expect(parseDecodeArgs(['-'])).toMatchObject({ inputs: [] });
    expect(parseDecodeArgs(['--', '--strict', '-x'])).toMatchObject({ inputs: ['--strict', '-x'], strict: false });
  });

  it('rejects unknown options and missing or bad values', () => {
    expect(parseDecodeArgs(['--nope'])).toHaveProperty('error');
    expect(parseDecodeArgs(['--gs'])).toHaveProperty('error');
    expect(parseDecodeArgs(['--expect', 'pallet'])).toHaveProperty('error');
  });
});

describe('decodeToJsonLines', () => {
  it('gives one parseable JSON line per input, kind first, and says whether all were valid', () => {
    const { lines, allValid } = decodeToJsonLines(['4901234567894', 'RMA-1']);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.startsWith('{"kind":"gtin"')).toBe(true);
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ kind: 'rma', valid: false });
    expect(allValid).toBe(false);
    expect(decodeToJsonLines(['4901234567894']).allValid).toBe(true);
  });
});
