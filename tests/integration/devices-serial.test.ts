// Real serialport over socat pseudo-terminals: the bytes a scanner and a scale send, unplug and
// replug, and devices that misbehave.
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus, ScanEvent, WeightReading } from '../../contract/index.js';
import { AdScaleSim } from '../../fixtures/device-sims/scaleSim.js';
import { GS, SerialScannerSim } from '../../fixtures/device-sims/scannerSim.js';
import { DeviceManager, type DeviceProblem } from '../../native/devices/deviceManager.js';

async function waitFor<T>(what: string, get: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
});

async function bench(devices: ConstructorParameters<typeof DeviceManager>[0]['devices']) {
  const manager = new DeviceManager({ devices }, { hotplug: null });
  const scans: ScanEvent[] = [];
  const weights: WeightReading[] = [];
  const statuses: DeviceStatus[] = [];
  const problems: DeviceProblem[] = [];
  manager.onScan((s) => scans.push(s));
  manager.onWeight((w) => weights.push(w));
  manager.onStatus((s) => statuses.push(s));
  manager.onProblem((p) => problems.push(p));
  cleanup.push(() => manager.dispose());
  manager.start();
  const state = (id: string) => manager.statuses().find((s) => s.deviceId === id);
  return { manager, scans, weights, statuses, problems, state };
}

describe('serial scanner over a pty', () => {
  it('scans arrive as ScanEvents with AIM symbology and GS kept, partial reads joined', async () => {
    const sim = await SerialScannerSim.open();
    cleanup.push(() => sim.close());
    const b = await bench([{ id: 'scanner-1', driver: 'serial-scanner', serial: { path: sim.path, baudRate: 9600 } }]);
    await waitFor('connected', () => b.state('scanner-1')?.state === 'connected');

    await sim.scan(`0104912345678904${GS}10LOT-7${GS}21SN/1`, ']C1');
    await sim.scan('4901234567894', ']E0');
    await sim.scan('A1234-5678-9012A', ']F0', '\r\n');
    // One scan written in three pieces with pauses: the port hands it over in pieces.
    await sim.raw(']d2010491234');
    await new Promise((r) => setTimeout(r, 30));
    await sim.raw(`5678904${GS}17`);
    await new Promise((r) => setTimeout(r, 30));
    await sim.raw('261231\r');

    const got = await waitFor('4 scans', () => b.scans.length >= 4 && b.scans);
    expect(got.map((s) => [s.aim, s.symbology, s.gs1, s.text])).toEqual([
      [']C1', 'gs1-128', true, `0104912345678904${GS}10LOT-7${GS}21SN/1`],
      [']E0', 'ean-13', false, '4901234567894'],
      [']F0', 'codabar', false, 'A1234-5678-9012A'],
      [']d2', 'gs1-datamatrix', true, `0104912345678904${GS}17261231`],
    ]);
    expect(got[0]?.source).toBe(`serial:${sim.path}`);
    expect(b.problems).toEqual([]);
  });

  it('unplug → reconnecting with a reason → replug → connected within 2 s, and scans flow again', async () => {
    const sim = await SerialScannerSim.open();
    cleanup.push(() => sim.close());
    const b = await bench([{ id: 'scanner-1', driver: 'serial-scanner', serial: { path: sim.path } }]);
    await waitFor('connected', () => b.state('scanner-1')?.state === 'connected');
    await sim.scan('4901234567894', ']E0');
    await waitFor('first scan', () => b.scans.length === 1);

    await sim.unplug();
    const down = await waitFor('reconnecting', () => {
      const s = b.state('scanner-1');
      return s?.state === 'reconnecting' && s;
    });
    expect(down.reason).toMatch(/disconnected|not there/);
    // Stay unplugged a while: the backoff must not grow past the point where replug is noticed late.
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.state('scanner-1')?.state).toBe('reconnecting');

    const replugAt = Date.now();
    await sim.replug();
    await waitFor('connected again', () => b.state('scanner-1')?.state === 'connected', 2000);
    expect(Date.now() - replugAt).toBeLessThan(2000);

    await sim.scan(`0104912345678904${GS}10B2`, ']C1');
    await waitFor('scan after replug', () => b.scans.length === 2);
    expect(b.scans[1]?.text).toBe(`0104912345678904${GS}10B2`);
    expect(b.statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['connected', 'reconnecting']));
  });

  it('garbage and a 2 MB flood give clear problems, memory stays bounded, and good scans still work', async () => {
    const sim = await SerialScannerSim.open();
    cleanup.push(() => sim.close());
    const b = await bench([
      { id: 'scanner-1', driver: 'serial-scanner', serial: { path: sim.path }, scanner: { maxFrameBytes: 4096 } },
    ]);
    await waitFor('connected', () => b.state('scanner-1')?.state === 'connected');

    await sim.raw(Buffer.from([0x00, 0x07, 0xff, 0x0d]));
    await waitFor('garbage problem', () => b.problems.length >= 1);
    expect(b.problems[0]?.message).toMatch(/refused/);

    const heapBefore = process.memoryUsage().heapUsed;
    await sim.flood(2 * 1024 * 1024);
    const bad = await waitFor('misbehaving', () => {
      const s = b.state('scanner-1');
      return s?.state === 'error' && s;
    });
    expect(bad.reason).toMatch(/device is misbehaving/);
    // The station is still responsive and did not keep the flood: a generous bound, far below 2 MB × copies.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);

    await sim.raw('\r'); // ends the junk frame
    await sim.scan('4901234567894', ']E0');
    await waitFor('good scan after flood', () => b.scans.length === 1);
    await waitFor('healthy again', () => b.state('scanner-1')?.state === 'connected');
    expect(b.scans[0]?.text).toBe('4901234567894');
  });
});

describe('A&D scale over a pty', () => {
  it('answers Q with a reading; stream, overload and unit changes come through; survives unplug', async () => {
    const sim = await AdScaleSim.open();
    cleanup.push(() => sim.close());
    const b = await bench([{ id: 'scale-1', driver: 'ad-scale', serial: { path: sim.path } }]);
    await waitFor('connected', () => b.state('scale-1')?.state === 'connected');

    sim.set({ value: 12.34, unit: 'g', stable: true });
    await expect(b.manager.requestWeight('scale-1')).resolves.toMatchObject({ stable: true, value: 12.34, unit: 'g', grams: 12.34 });
    expect(sim.commands).toEqual(['Q']);

    sim.set({ value: 1.25, unit: 'kg', stable: false });
    await sim.send();
    sim.set({ value: 0, unit: 'kg', stable: false, overload: true });
    await sim.send();
    await sim.raw('ST,+0001.2');
    await sim.raw('50 kg\r\n');
    const w = await waitFor('3 more readings', () => b.weights.length >= 4 && b.weights);
    expect(w.slice(1).map((r) => [r.stable, r.overload, r.grams, r.unit])).toEqual([
      [false, false, 1250, 'kg'],
      [false, true, null, 'kg'],
      [true, false, 1250, 'kg'],
    ]);

    await sim.unplug();
    await waitFor('reconnecting', () => b.state('scale-1')?.state === 'reconnecting');
    await expect(b.manager.requestWeight('scale-1', 200)).rejects.toThrow(/not connected/);
    await sim.replug();
    await waitFor('connected again', () => b.state('scale-1')?.state === 'connected', 2000);
    sim.set({ value: 500, unit: 'g', stable: true });
    await expect(b.manager.requestWeight('scale-1')).resolves.toMatchObject({ grams: 500 });
  });

  it('a scale set to the wrong mode says so instead of reporting nonsense', async () => {
    const sim = await AdScaleSim.open();
    cleanup.push(() => sim.close());
    const b = await bench([{ id: 'scale-1', driver: 'ad-scale', serial: { path: sim.path } }]);
    await waitFor('connected', () => b.state('scale-1')?.state === 'connected');
    await sim.raw('QT,+00000012PCS\r\n');
    await waitFor('problem', () => b.problems.length >= 1);
    expect(b.problems[0]?.message).toMatch(/counting mode/);
    expect(b.weights).toEqual([]);
  });
});
