import { describe, expect, it } from 'vitest';
import { FrameSplitter, visibleBytes, type FrameEvent } from './framing.js';

const frames = (evs: FrameEvent[]): string[] => evs.flatMap((e) => (e.kind === 'frame' ? [e.bytes.toString('latin1')] : []));
const dropped = (evs: FrameEvent[]): number => evs.reduce((n, e) => n + (e.kind === 'overflow' ? e.droppedBytes : 0), 0);

describe('FrameSplitter', () => {
  it('joins a frame that arrives in pieces', () => {
    const s = new FrameSplitter({ terminator: 'CR', maxFrameBytes: 64 });
    expect(frames(s.push(Buffer.from(']C10104')))).toEqual([]);
    expect(frames(s.push(Buffer.from('91234567')))).toEqual([]);
    expect(frames(s.push(Buffer.from('8904\r]E0')))).toEqual([']C10104912345678904']);
    expect(s.pendingBytes).toBe(3);
  });

  it('splits several frames in one chunk and keeps GS inside the data', () => {
    const s = new FrameSplitter({ terminator: 'CR', maxFrameBytes: 64 });
    expect(frames(s.push(Buffer.from('a\x1db\rc\rd')))).toEqual(['a\x1db', 'c']);
  });

  it('handles CRLF split between chunks', () => {
    const s = new FrameSplitter({ terminator: 'CRLF', maxFrameBytes: 64 });
    expect(frames(s.push(Buffer.from('ST,+1.00  g\r')))).toEqual([]);
    expect(frames(s.push(Buffer.from('\nUS')))).toEqual(['ST,+1.00  g']);
  });

  it('CR_OR_LF accepts either and drops the empty frame between CR and LF', () => {
    const s = new FrameSplitter({ terminator: 'CR_OR_LF', maxFrameBytes: 64 });
    expect(frames(s.push(Buffer.from('one\r\ntwo\nthree\r')))).toEqual(['one', 'two', 'three']);
  });

  it('strips STX for STX…ETX framing', () => {
    const s = new FrameSplitter({ terminator: 'ETX', maxFrameBytes: 64 });
    expect(frames(s.push(Buffer.from('\x02ABC\x03\x02DEF\x03')))).toEqual(['ABC', 'DEF']);
  });

  it('bounds a flood without terminator and recovers at the next terminator', () => {
    const s = new FrameSplitter({ terminator: 'CR', maxFrameBytes: 100 });
    let total = 0;
    const junk = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 32; i++) {
      const evs = s.push(junk);
      total += dropped(evs);
      expect(frames(evs)).toEqual([]);
      expect(s.pendingBytes).toBeLessThanOrEqual(100);
    }
    expect(total).toBe(32 * 64 * 1024);
    // The tail of the overlong frame is junk too; the frame after it is fine.
    const evs = s.push(Buffer.from('AAAA\rgood\r'));
    expect(frames(evs)).toEqual(['good']);
    expect(dropped(evs)).toBe(5);
  });

  it('drops a terminated frame that is longer than the maximum', () => {
    const s = new FrameSplitter({ terminator: 'LF', maxFrameBytes: 4 });
    const evs = s.push(Buffer.from('123456\nok\n'));
    expect(frames(evs)).toEqual(['ok']);
    expect(dropped(evs)).toBe(7);
  });

  it('rejects a nonsensical maximum', () => {
    expect(() => new FrameSplitter({ terminator: 'CR', maxFrameBytes: 0 })).toThrow(RangeError);
  });
});

describe('visibleBytes', () => {
  it('names control bytes and cuts long input', () => {
    expect(visibleBytes(Buffer.from('A\x1dB\r\x07'))).toBe('A<GS>B<CR><0x07>');
    expect(visibleBytes(Buffer.alloc(100, 0x41), 3)).toBe('AAA… (100 bytes)');
  });
});
