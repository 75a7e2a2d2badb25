import { describe, expect, it, vi } from 'vitest';
import type { ScanEvent } from '../../contract/index.js';
import type { DriverStatus } from '../devices/driver.js';
import { MemoryTransport } from '../transports/memoryTransport.test-helper.js';
import { SerialScanner } from './serialScanner.js';

function setup(settings: ConstructorParameters<typeof SerialScanner>[2] = {}) {
  const t = new MemoryTransport('/dev/ttyACM0');
  const scanner = new SerialScanner('scanner-1', t, settings, () => 7);
  const scans: ScanEvent[] = [];
  const problems: string[] = [];
  const statuses: DriverStatus[] = [];
  scanner.onScan((s) => scans.push(s));
  scanner.onProblem((p) => problems.push(p));
  scanner.onStatus((s) => statuses.push(s));
  scanner.start();
  return { t, scanner, scans, problems, statuses };
}

describe('SerialScanner', () => {
  it('turns AIM-prefixed frames into ScanEvents, joining partial reads', async () => {
    const { t, scanner, scans } = setup();
    t.receive(']C10104912345678904');
    t.receive('\x1d10LOT1\r]E049012345');
    t.receive('67894\r');
    expect(scans).toEqual([
      { text: '0104912345678904\x1d10LOT1', symbology: 'gs1-128', aim: ']C1', gs1: true, source: 'serial:/dev/ttyACM0', at: 7 },
      { text: '4901234567894', symbology: 'ean-13', aim: ']E0', gs1: false, source: 'serial:/dev/ttyACM0', at: 7 },
    ]);
    await scanner.stop();
  });

  it('uses the configured terminator', async () => {
    const { t, scanner, scans } = setup({ terminator: 'ETX' });
    t.receive('\x02]Q1https://id.example.jp/01/04912345678904\x03');
    expect(scans.map((s) => [s.symbology, s.text])).toEqual([['qr', 'https://id.example.jp/01/04912345678904']]);
    await scanner.stop();
  });

  it('a flood without terminator is bounded and makes the device "misbehaving", then it recovers', async () => {
    const { t, scanner, scans, problems } = setup({ maxFrameBytes: 1024 });
    for (let i = 0; i < 64; i++) t.receive(Buffer.alloc(16 * 1024, 0x5a)); // 1 MiB
    expect(scanner.status()).toMatchObject({
      state: 'error',
      reason: expect.stringMatching(/device is misbehaving: .*without a CR or LF terminator/),
      // For the screen to say it in the operator's language.
      code: 'noTerminator',
      params: { bytes: expect.any(Number) },
    });
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.length).toBeLessThan(5);
    t.receive('ZZZ\r]E04901234567894\r');
    expect(scans.map((s) => s.text)).toEqual(['4901234567894']);
    expect(scanner.status().state).toBe('connected');
    await scanner.stop();
  });

  it('a scanner that misbehaved and is unplugged and plugged back in is connected again, not still misbehaving', async () => {
    const { t, scanner } = setup({ maxFrameBytes: 1024 });
    t.receive(Buffer.alloc(4096, 0x5a));
    expect(scanner.status()).toMatchObject({ state: 'error', code: 'noTerminator' });
    t.setState('reconnecting', '/dev/ttyACM0 is not there');
    expect(scanner.status().state).toBe('reconnecting');
    t.setState('connected');
    expect(scanner.status()).toMatchObject({ state: 'connected' });
    expect(scanner.status().reason).toBeUndefined();
    await scanner.stop();
  });

  it('garbage frames are refused with a reason and never become scans', async () => {
    const { t, scanner, scans, problems } = setup();
    t.receive(Buffer.from([0xff, 0x00, 0x13, 0x0d]));
    expect(scans).toEqual([]);
    expect(problems[0]).toMatch(/refused: it contains (control byte|bytes that are not valid text).*<0xff><0x00><0x13>/);
    await scanner.stop();
  });

  it('mirrors transport status with its reason, and a frame cut by an unplug is dropped', async () => {
    const { t, scanner, scans, statuses } = setup();
    t.receive(']E0490123');
    t.setState('reconnecting', '/dev/ttyACM0 was disconnected');
    t.setState('connected');
    t.receive('4567894\r');
    // The half frame from before the unplug is not glued to the new data.
    expect(scans.map((s) => [s.aim, s.text])).toEqual([[null, '4567894']]);
    expect(statuses.map((s) => s.state)).toEqual(['connected', 'reconnecting', 'connected']);
    expect(statuses[1]?.reason).toBe('/dev/ttyACM0 was disconnected');
    await scanner.stop();
  });

  it('a scan whose terminator never comes is dropped and reported, and is not glued to the next scan', async () => {
    vi.useFakeTimers();
    try {
      const { t, scanner, scans, problems } = setup();
      // Scanner programmed without a suffix, or a CR lost on the line.
      t.receive(']E04901234567894');
      vi.advanceTimersByTime(999);
      expect(problems).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(problems).toEqual([expect.stringMatching(/^16 bytes arrived without a CR or LF terminator and nothing followed for 1 s; they were dropped/)]);
      t.receive(']E04512345678906\r');
      expect(scans.map((s) => s.text)).toEqual(['4512345678906']);
      // Pieces of one scan a few milliseconds apart are still one scan.
      t.receive(']E0490');
      vi.advanceTimersByTime(50);
      t.receive('1234567894\r');
      expect(scans.map((s) => s.text)).toEqual(['4512345678906', '4901234567894']);
      vi.advanceTimersByTime(5000);
      expect(problems).toHaveLength(1);
      await scanner.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a throwing subscriber does not break the driver', async () => {
    const { t, scanner, scans } = setup();
    scanner.onScan(() => {
      throw new Error('boom');
    });
    t.receive(']E04901234567894\r]E04901234567894\r');
    expect(scans).toHaveLength(2);
    await scanner.stop();
  });
});
