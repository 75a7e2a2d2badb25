// Hostile input: every device parser returns a typed result for any bytes, never throws,
// and framing does not depend on how the port happened to chunk the stream.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAdLine } from '../scale/adScale.js';
import { HidPosAssembler, parseScanReport } from '../scanners/hidPos.js';
import { scanFromBytes } from '../scanners/scanText.js';
import { FrameSplitter } from '../transports/framing.js';

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const RUNS = { numRuns: 2000 };

describe('device parsers under arbitrary bytes', () => {
  it('framing is independent of chunking and bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0x0d, 0x41, 0x1d, 0x00, 0x5d), { maxLength: 400 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (stream, cuts) => {
        const data = Buffer.from(stream);
        const whole = new FrameSplitter({ terminator: 'CR', maxFrameBytes: 32 });
        const expected = whole.push(data);
        const pieces = new FrameSplitter({ terminator: 'CR', maxFrameBytes: 32 });
        const got: ReturnType<FrameSplitter['push']> = [];
        let at = 0;
        let i = 0;
        while (at < data.length) {
          const n = cuts[i++ % cuts.length] ?? 1;
          got.push(...pieces.push(data.subarray(at, at + n)));
          expect(pieces.pendingBytes).toBeLessThanOrEqual(32);
          at += n;
        }
        const framesOf = (evs: typeof got) => evs.flatMap((e) => (e.kind === 'frame' ? [e.bytes.toString('latin1')] : []));
        expect(framesOf(got)).toEqual(framesOf(expected));
        expect(pieces.pendingBytes).toBe(whole.pendingBytes);
      }),
      RUNS,
    );
  });

  it('scanFromBytes never throws and only accepts frames without stray control bytes', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const r = scanFromBytes(b, { source: 'fuzz', encoding: 'auto', at: 0 });
        if (r.ok) expect(r.scan.text).not.toMatch(/[\x00-\x03\x05-\x1b\x1f\x7f]/);
        else expect(r.problem).toMatch(/refused/);
      }),
      RUNS,
    );
  });

  it('parseAdLine never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('ST,', 'OL', 'US,+', 'ST,+00012.34  g')), (line) => {
        const r = parseAdLine(line);
        if (r.ok && !r.overload) expect(Number.isFinite(r.grams)).toBe(true);
      }),
      RUNS,
    );
  });

  it('HID-POS report parsing and joining never throw and stay bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 70 }), { maxLength: 30 }), (reports) => {
        const a = new HidPosAssembler(256);
        for (const r of reports) {
          const buf = Buffer.from(r);
          if (buf.length > 0) buf[0] = 2;
          parseScanReport(buf);
          const out = a.push(buf);
          if (out.kind === 'scan') expect(out.bytes.length).toBeLessThanOrEqual(256 + 3);
        }
      }),
      RUNS,
    );
  });
});
