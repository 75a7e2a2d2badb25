import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { MemoryTransport } from '../transports/memoryTransport.test-helper.js';
import type { RfidError } from './errors.js';
import { LineReader, LineSplitter, parseTagLine } from './lineReader.js';
import type { TagRead } from './tagReads.js';

// CI runs a few thousand cases per parser; FUZZ_RUNS=100000 for a long fuzz.
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

describe('parseTagLine', () => {
  it.each([
    ['E2801160600002054F2A1B3C', { epcHex: 'E2801160600002054F2A1B3C' }],
    ['e2801160600002054f2a1b3c', { epcHex: 'E2801160600002054F2A1B3C' }],
    ['E2801160600002054F2A1B3C,-52', { epcHex: 'E2801160600002054F2A1B3C', rssi: -52 }],
    ['E2801160600002054F2A1B3C -52.5 2', { epcHex: 'E2801160600002054F2A1B3C', rssi: -52.5, antenna: 2 }],
    ['EPC:E2801160600002054F2A1B3C RSSI:-61 ANT:4', { epcHex: 'E2801160600002054F2A1B3C', rssi: -61, antenna: 4 }],
    ['  3034B708;  -40  ', { epcHex: '3034B708', rssi: -40 }],
  ])('reads %j', (line, tag) => {
    expect(parseTagLine(line)).toEqual({ ok: true, tag });
  });

  it('does not take a second hex word as an RSSI', () => {
    const r = parseTagLine('EPC: 3034 B708');
    expect(!r.ok && r.error.reason).toBe('bad_rssi');
  });

  it.each([
    ['', 'bad_epc'],
    ['XYZ123', 'bad_epc'],
    ['E28011606', 'bad_epc'], // not whole 16-bit words
    ['E2801160600002054F2A1B3C,loud', 'bad_rssi'],
    ['E2801160600002054F2A1B3C,-300', 'bad_rssi'],
    ['E2801160600002054F2A1B3C,-50,0', 'protocol'],
    ['E2801160600002054F2A1B3C,-50,1,extra', 'protocol'],
    ['A'.repeat(300), 'bad_length'],
  ])('rejects %j as %s', (line, reason) => {
    const r = parseTagLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe(reason);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseTagLine(s);
        if (r.ok) expect(r.tag.epcHex).toMatch(/^(?:[0-9A-F]{4})+$/);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('LineSplitter', () => {
  it('splits on CR, LF and CRLF and keeps a partial line for the next chunk', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('AAAA\r\nBBBB\nCC')).lines).toEqual(['AAAA', 'BBBB']);
    expect(s.push(Buffer.from('CC\rDDDD\r\n')).lines).toEqual(['CCCC', 'DDDD']);
  });

  it('drops an over-long line whole and recovers at the next terminator', () => {
    const s = new LineSplitter({ maxLineLength: 32 });
    const first = s.push(Buffer.alloc(1000, 0x41));
    expect(first.errors.map((e) => e.reason)).toEqual(['overflow']);
    expect(s.push(Buffer.alloc(1000, 0x41)).lines).toEqual([]);
    expect(s.push(Buffer.from('AAAA\nBBBB\n')).lines).toEqual(['BBBB']);
  });

  it('never throws and never keeps more than the line limit, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 10 }), (chunks) => {
        const s = new LineSplitter({ maxLineLength: 64 });
        for (const c of chunks) {
          const r = s.push(c);
          for (const l of r.lines) {
            expect(l.length).toBeLessThanOrEqual(64);
            parseTagLine(l);
          }
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('LineReader', () => {
  it('drops a line whose end never comes instead of gluing it to the next tag (two EPCs read as one)', async () => {
    vi.useFakeTimers();
    try {
      const transport = new MemoryTransport('/dev/ttyUSB1');
      const reader = new LineReader({ transport, now: () => 5 });
      const reads: TagRead[] = [];
      const errors: RfidError[] = [];
      reader.onRead((r) => reads.push(r));
      reader.onError((e) => errors.push(e));
      reader.start();
      transport.receive('E2801160600002054F2A1B3C'); // its LF lost on the line
      vi.advanceTimersByTime(1000);
      expect(errors.map((e) => [e.reason, e.message])).toEqual([['truncated', expect.stringMatching(/^24 characters arrived without a line end/)]]);
      transport.receive('E2801160600002054F2A1B4D\n');
      expect(reads.map((r) => r.epcHex)).toEqual(['E2801160600002054F2A1B4D']);
      // A line in two pieces a moment apart is still one line.
      transport.receive('E280116060000205');
      vi.advanceTimersByTime(20);
      transport.receive('4F2A1B5E\r\n');
      expect(reads.map((r) => r.epcHex)).toEqual(['E2801160600002054F2A1B4D', 'E2801160600002054F2A1B5E']);
      vi.advanceTimersByTime(5000);
      expect(errors).toHaveLength(1);
      await reader.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
