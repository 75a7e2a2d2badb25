import { describe, expect, it } from 'vitest';
import type { WeightReading } from '../../contract/index.js';
import { MemoryTransport } from '../transports/memoryTransport.test-helper.js';
import { AdScale, parseAdLine } from './adScale.js';

describe('parseAdLine', () => {
  it('reads stable, unstable and kg lines', () => {
    expect(parseAdLine('ST,+00012.34  g')).toEqual({ ok: true, stable: true, overload: false, value: 12.34, unit: 'g', grams: 12.34 });
    expect(parseAdLine('US,+00012.30  g')).toMatchObject({ stable: false, value: 12.3 });
    expect(parseAdLine('ST,+0001.250 kg')).toMatchObject({ unit: 'kg', value: 1.25, grams: 1250 });
    expect(parseAdLine('ST,+0000.100 kg')).toMatchObject({ grams: 100 });
    expect(parseAdLine('ST,-00000.50  g')).toMatchObject({ value: -0.5, grams: -0.5 });
  });

  it('reads overload with the last unit seen', () => {
    expect(parseAdLine('OL,+9999999E+19', 'kg')).toEqual({ ok: true, stable: false, overload: true, value: null, unit: 'kg', grams: null });
  });

  it('refuses counting mode, unknown units and garbage with a reason', () => {
    expect(parseAdLine('QT,+00000012PCS')).toMatchObject({ ok: false, problem: expect.stringMatching(/counting mode/) });
    expect(parseAdLine('ST,+00012.34 lb')).toMatchObject({ ok: false, problem: expect.stringMatching(/"lb".*g or kg/) });
    expect(parseAdLine('ST,+12.3.4  g')).toMatchObject({ ok: false });
    expect(parseAdLine('OLD NEWS')).toMatchObject({ ok: false, problem: expect.stringMatching(/not an A&D weight line/) });
    expect(parseAdLine('OL')).toMatchObject({ ok: false });
    expect(parseAdLine('\x07\x00zz')).toMatchObject({ ok: false, problem: expect.stringMatching(/not an A&D weight line.*<0x07>/) });
  });
});

describe('AdScale', () => {
  it('emits readings from streamed lines split across reads', async () => {
    const t = new MemoryTransport('/dev/ttyUSB1');
    const scale = new AdScale('scale-1', t, {}, () => 42);
    const got: WeightReading[] = [];
    scale.onWeight((r) => got.push(r));
    scale.start();
    t.receive('US,+00010.0');
    t.receive('0  g\r\nST,+00012.34  g\r\n');
    expect(got).toEqual([
      { stable: false, overload: false, value: 10, unit: 'g', grams: 10, source: 'serial:/dev/ttyUSB1', at: 42 },
      { stable: true, overload: false, value: 12.34, unit: 'g', grams: 12.34, source: 'serial:/dev/ttyUSB1', at: 42 },
    ]);
    await scale.stop();
  });

  it('requestWeight sends Q CR LF and resolves with the answer', async () => {
    const t = new MemoryTransport('/dev/ttyUSB1');
    t.onWrite = (b) => {
      if (b.toString() === 'Q\r\n') queueMicrotask(() => t.receive('ST,+0002.500 kg\r\n'));
    };
    const scale = new AdScale('scale-1', t);
    scale.start();
    await expect(scale.requestWeight(500)).resolves.toMatchObject({ stable: true, grams: 2500, unit: 'kg' });
    await scale.stop();
  });

  it('requestWeight fails clearly when the scale is not connected', async () => {
    const t = new MemoryTransport('/dev/ttyUSB1');
    const scale = new AdScale('scale-1', t);
    await expect(scale.requestWeight(100)).rejects.toThrow(/not connected/);
  });

  it('marks a scale sending garbage as misbehaving and recovers on a good line', async () => {
    const t = new MemoryTransport('/dev/ttyUSB1');
    const scale = new AdScale('scale-1', t);
    const problems: string[] = [];
    scale.onProblem((p) => problems.push(p));
    scale.start();
    for (let i = 0; i < 5; i++) t.receive('#@!garbage\r\n');
    expect(scale.status()).toMatchObject({ state: 'error', reason: expect.stringMatching(/misbehaving: 5 unreadable frames/) });
    expect(problems[0]).toMatch(/not an A&D weight line/);
    t.receive('ST,+00001.00  g\r\n');
    expect(scale.status().state).toBe('connected');
    await scale.stop();
  });
});
