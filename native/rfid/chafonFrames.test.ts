import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChafonFrameDecoder,
  buildChafonCommand,
  buildChafonResponse,
  buildInventoryCommand,
  encodeInventoryData,
  parseInventoryResponse,
  type ChafonFrame,
} from './chafonFrames.js';

// CI runs a few thousand cases per parser; FUZZ_RUNS=100000 for a long fuzz.
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

const RESPONSE_CMDS = new Set([0x00, 0x01, 0x21, 0xee]);
const frame = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

/** Response frames captured from a UHFReader288-generation reader (Ant, Num, Len+EPC+RSSI). */
const CAPTURED = [
  '15 00 01 03 01 01 0c e28068940000500a9d2298c6 48 257e',
  '15 00 01 03 01 01 0c 3034b708ac397e0000000649 42 1ab7',
  '0d 00 01 03 01 01 04 111000a4 43 ad25',
];

describe('Chafon command frames', () => {
  it('builds "get reader info" exactly as sent to a real reader', () => {
    expect(buildChafonCommand(0xff, 0x21).toString('hex')).toBe('04ff211995');
  });

  it('builds the UHFReader18 inventory: Len 4, no data', () => {
    const cmd = buildInventoryCommand({ dialect: 'uhfreader18', adr: 0 });
    expect([...cmd.subarray(0, 3)]).toEqual([0x04, 0x00, 0x01]);
    expect(cmd.length).toBe(5);
  });

  it('builds the UHFReader288 inventory with Q, session and optional target/antenna/scan time', () => {
    const plain = buildInventoryCommand({ dialect: 'uhfreader288', q: 4, session: 0 });
    expect([...plain.subarray(0, 5)]).toEqual([0x06, 0x00, 0x01, 0x04, 0x00]);
    const full = buildInventoryCommand({ dialect: 'uhfreader288', q: 6, session: 1, antenna: 2, scanTime: 10 });
    expect([...full.subarray(0, 8)]).toEqual([0x09, 0x00, 0x01, 0x06, 0x01, 0x00, 0x81, 0x0a]);
    const decoded = new ChafonFrameDecoder({ kind: 'command' }).push(full);
    expect(decoded.errors).toEqual([]);
    expect(decoded.frames).toEqual([{ adr: 0, cmd: 1, data: Uint8Array.from([6, 1, 0, 0x81, 10]) }]);
  });

  it('rejects out-of-range inventory parameters', () => {
    expect(() => buildInventoryCommand({ dialect: 'uhfreader288', q: 16 })).toThrow(RangeError);
    expect(() => buildInventoryCommand({ dialect: 'uhfreader288', antenna: 9, scanTime: 10 })).toThrow(RangeError);
  });
});

describe('ChafonFrameDecoder', () => {
  const decoder = () => new ChafonFrameDecoder({ kind: 'response', cmds: RESPONSE_CMDS });

  it('decodes captured reader frames', () => {
    const r = decoder().push(Buffer.concat(CAPTURED.map(frame)));
    expect(r.errors).toEqual([]);
    expect(r.frames.map((f) => [f.cmd, f.status, f.data.length])).toEqual([
      [1, 3, 16],
      [1, 3, 16],
      [1, 3, 8],
    ]);
  });

  it('reassembles a frame delivered one byte at a time', () => {
    const d = decoder();
    const bytes = frame(CAPTURED[0] ?? '');
    const frames: ChafonFrame[] = [];
    for (const b of bytes) {
      const r = d.push(Uint8Array.of(b));
      expect(r.errors).toEqual([]);
      frames.push(...r.frames);
    }
    expect(frames).toHaveLength(1);
    expect(d.pending).toBe(0);
  });

  it('reports a bad CRC and still decodes the next good frame', () => {
    const bad = frame(CAPTURED[0] ?? '');
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x01;
    const r = decoder().push(Buffer.concat([bad, frame(CAPTURED[1] ?? '')]));
    expect(r.errors[0]?.reason).toBe('bad_crc');
    expect(r.frames).toHaveLength(1);
    expect(Buffer.from(r.frames[0]?.data ?? []).toString('hex')).toContain('3034b708ac397e0000000649');
  });

  it('reports a length below the minimum as bad_length and resyncs', () => {
    const r = decoder().push(Buffer.concat([Buffer.from([0x02, 0x03]), frame(CAPTURED[2] ?? '')]));
    expect(r.errors.map((e) => e.reason)).toEqual(['bad_length']);
    expect(r.frames).toHaveLength(1);
  });

  it('skips leading garbage, even when a garbage byte looks like a long length', () => {
    const d = decoder();
    // 0xFF would announce a 256-byte frame; the real frame behind it must not wait for 256 bytes.
    const r = d.push(Buffer.concat([Buffer.from([0xff, 0x00, 0x01, 0x42]), frame(CAPTURED[2] ?? '')]));
    expect(r.frames).toHaveLength(1);
    expect(r.errors.map((e) => e.reason)).toEqual(['garbage']);
  });

  it('keeps a partial frame and bounds what it keeps under a flood', () => {
    const d = new ChafonFrameDecoder({ kind: 'response', maxBuffer: 512 });
    d.push(Buffer.from([0x15, 0x00, 0x01]));
    expect(d.pending).toBe(3);
    d.push(Buffer.alloc(100_000, 0xff));
    expect(d.pending).toBeLessThanOrEqual(512);
  });

  it('never throws and never grows without bound on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 8 }), (chunks) => {
        const d = new ChafonFrameDecoder({ kind: 'response' });
        for (const c of chunks) {
          const r = d.push(c);
          for (const f of r.frames) {
            parseInventoryResponse(f, 'uhfreader288');
            parseInventoryResponse(f, 'uhfreader18');
          }
          expect(d.pending).toBeLessThanOrEqual(16_384);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('finds every valid frame hidden in random noise', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (before, after) => {
        const good = frame(CAPTURED[0] ?? '');
        const r = new ChafonFrameDecoder({ kind: 'response', cmds: RESPONSE_CMDS, adr: 0 }).push(Buffer.concat([before, good, after, good]));
        // Noise could itself contain a valid frame only by a 1-in-65536 CRC accident.
        expect(r.frames.filter((f) => f.data.length === 16 && f.data[3] === 0xe2).length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseInventoryResponse', () => {
  const decode = (hex: string): ChafonFrame => {
    const f = new ChafonFrameDecoder({ kind: 'response' }).push(frame(hex)).frames[0];
    if (!f) throw new Error('no frame');
    return f;
  };

  it('reads antenna, EPC and RSSI from a captured UHFReader288 frame', () => {
    const r = parseInventoryResponse(decode(CAPTURED[0] ?? ''), 'uhfreader288');
    expect(r).toEqual({ ok: true, value: { status: 3, more: true, tags: [{ epcHex: 'E28068940000500A9D2298C6', antenna: 1, rssi: 0x48 }] } });
  });

  it('reads several tags from a UHFReader18 frame (Num, Len+EPC, no RSSI)', () => {
    const data = encodeInventoryData('uhfreader18', [{ epcHex: '300833B2DDD9014000000001' }, { epcHex: 'E2001234' }]);
    expect([...data.subarray(0, 2)]).toEqual([2, 12]);
    const f = decode(buildChafonResponse(0, 1, 0x01, data).toString('hex'));
    expect(parseInventoryResponse(f, 'uhfreader18')).toEqual({
      ok: true,
      value: { status: 1, more: false, tags: [{ epcHex: '300833B2DDD9014000000001' }, { epcHex: 'E2001234' }] },
    });
  });

  it('maps the antenna bit mask to the antenna number', () => {
    const data = encodeInventoryData('uhfreader288', [{ epcHex: 'AAAA', rssi: 70 }], 3);
    expect(data[0]).toBe(0x04);
    const r = parseInventoryResponse(decode(buildChafonResponse(0, 1, 1, data).toString('hex')), 'uhfreader288');
    expect(r.ok && r.value.tags[0]?.antenna).toBe(3);
  });

  it('treats 0xFB as an empty round and 0xF8 as an antenna error', () => {
    expect(parseInventoryResponse(decode(buildChafonResponse(0, 1, 0xfb).toString('hex')), 'uhfreader288')).toEqual({ ok: true, value: { status: 0xfb, more: false, tags: [] } });
    const r = parseInventoryResponse(decode(buildChafonResponse(0, 1, 0xf8).toString('hex')), 'uhfreader288');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe('bad_status');
  });

  it('rejects a tag count the data does not hold', () => {
    const f = decode(buildChafonResponse(0, 1, 1, [0x01, 0x02, 0x04, 0xaa, 0xbb, 0xcc, 0xdd, 0x40]).toString('hex'));
    const r = parseInventoryResponse(f, 'uhfreader288');
    expect(!r.ok && r.error.reason).toBe('truncated');
  });

  it('rejects an EPC length that runs past the frame', () => {
    const f = decode(buildChafonResponse(0, 1, 1, [0x01, 0x01, 0x20, 0xaa, 0xbb]).toString('hex'));
    const r = parseInventoryResponse(f, 'uhfreader288');
    expect(!r.ok && r.error.reason).toBe('truncated');
  });

  it('rejects bytes left over after the declared tags', () => {
    const f = decode(buildChafonResponse(0, 1, 1, [0x01, 0x01, 0x02, 0xaa, 0xbb, 0x40, 0x99]).toString('hex'));
    const r = parseInventoryResponse(f, 'uhfreader288');
    expect(!r.ok && r.error.reason).toBe('bad_length');
  });

  it('round-trips any tag population through encode and parse', () => {
    const tag = fc.record({
      epcHex: fc.uint8Array({ minLength: 2, maxLength: 12 }).map((b) => Buffer.from(b).toString('hex').toUpperCase()),
      rssi: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(fc.array(tag, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 8 }), (tags, antenna) => {
        const f = decode(buildChafonResponse(0, 1, 1, encodeInventoryData('uhfreader288', tags, antenna)).toString('hex'));
        const r = parseInventoryResponse(f, 'uhfreader288');
        expect(r).toEqual({ ok: true, value: { status: 1, more: false, tags: tags.map((t) => ({ ...t, antenna })) } });
      }),
      { numRuns: 500 },
    );
  });
});
