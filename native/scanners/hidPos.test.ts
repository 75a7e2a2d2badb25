import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ScanEvent } from '../../contract/index.js';
import type { DriverStatus } from '../devices/driver.js';
import {
  HidPosAssembler,
  HidPosScanner,
  findHidPosDevices,
  parseScanReport,
  permissionMessage,
  type HidApiLike,
  type HidDeviceInfo,
  type HidDeviceLike,
  type HotplugSource,
} from './hidPos.js';

/** A 64-byte scanned-data report as a HID-POS scanner sends it (report ID first). */
function report(aim: string, data: Buffer | string, more: boolean): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const r = Buffer.alloc(64);
  r[0] = 0x02;
  r[1] = bytes.length;
  r.write(aim, 2, 'latin1');
  bytes.copy(r, 5);
  r[61] = 0x64; // vendor code id, ignored
  r[63] = more ? 1 : 0;
  return r;
}

/** Splits a long scan into reports of 56 data bytes, as the scanner does. */
function reports(aim: string, data: string): Buffer[] {
  const bytes = Buffer.from(data, 'latin1');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 56) out.push(report(aim, bytes.subarray(i, i + 56), i + 56 < bytes.length));
  return out;
}

// Recorded from an EAN-13 scan (]E0 4901234567894), 64 bytes.
const RECORDED_EAN13 = Buffer.from(
  '020d5d4530343930313233343536373839340000000000000000000000000000' +
    '0000000000000000000000000000000000000000000000000000006400000000',
  'hex',
);

describe('parseScanReport', () => {
  it('reads a recorded single-report scan', () => {
    expect(parseScanReport(RECORDED_EAN13)).toEqual({ kind: 'part', aim: ']E0', data: Buffer.from('4901234567894'), more: false });
  });

  it('ignores other report IDs', () => {
    expect(parseScanReport(Buffer.from([0x04, 1, 2, 3]))).toEqual({ kind: 'other', reportId: 4 });
  });

  it('refuses a length larger than the report can hold', () => {
    const r = report(']E0', '123', false);
    r[1] = 57;
    expect(parseScanReport(r)).toMatchObject({ kind: 'malformed', problem: expect.stringMatching(/57 data bytes/) });
  });

  it('refuses a short report', () => {
    expect(parseScanReport(Buffer.from([0x02, 3, 0x5d, 0x45, 0x30]))).toMatchObject({ kind: 'malformed' });
  });

  it('gives aim null when the scanner sends no identifier', () => {
    const r = report('\0\0\0', 'ABC', false);
    expect(parseScanReport(r)).toMatchObject({ aim: null, data: Buffer.from('ABC') });
  });
});

describe('HidPosAssembler', () => {
  it('joins a multi-report GS1 DataMatrix scan and keeps GS', () => {
    const data = `0104912345678904${'\x1d'}21${'S'.repeat(100)}${'\x1d'}10LOT42`;
    const parts = reports(']d2', data);
    expect(parts).toHaveLength(3);
    const a = new HidPosAssembler();
    expect(a.push(parts[0]!)).toEqual({ kind: 'pending' });
    expect(a.push(parts[1]!)).toEqual({ kind: 'pending' });
    const done = a.push(parts[2]!);
    expect(done.kind === 'scan' && done.bytes.toString('latin1')).toBe(`]d2${data}`);
  });

  it('drops a scan whose last report never came when a new scan starts', () => {
    const a = new HidPosAssembler();
    a.push(report(']d2', 'X'.repeat(56), true));
    const r = a.push(report(']E0', '4901234567894', false));
    expect(r).toMatchObject({ kind: 'scan', cut: expect.stringMatching(/cut short/) });
    expect(r.kind === 'scan' && r.bytes.toString()).toBe(']E04901234567894');
  });

  it('bounds a device that keeps saying "more data"', () => {
    const a = new HidPosAssembler(200);
    const results = Array.from({ length: 10 }, () => a.push(report(']X0', 'Z'.repeat(56), true)));
    expect(results.some((r) => r.kind === 'problem' && /misbehaving/.test(r.problem))).toBe(true);
  });
});

class FakeDevice extends EventEmitter implements HidDeviceLike {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

class FakeHid implements HidApiLike {
  list: HidDeviceInfo[] = [];
  opened: FakeDevice[] = [];
  openError: Error | null = null;
  devices(): HidDeviceInfo[] {
    return this.list;
  }
  open(path: string): HidDeviceLike {
    if (this.openError) throw this.openError;
    if (!this.list.some((d) => d.path === path)) throw new Error(`cannot open device with path ${path}`);
    const d = new FakeDevice();
    this.opened.push(d);
    return d;
  }
}

const SCANNER: HidDeviceInfo = {
  path: '/dev/hidraw3',
  vendorId: 0x0c2e,
  productId: 0x0b8f,
  manufacturer: 'Honeywell',
  product: 'Voyager 1450g',
  usagePage: 0x8c,
  usage: 0x02,
};
const KEYBOARD: HidDeviceInfo = { path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc31c, usagePage: 0x01, usage: 0x06 };

class ManualHotplug implements HotplugSource {
  private l: (() => void) | null = null;
  subscribe(onChange: () => void): () => void {
    this.l = onChange;
    return () => (this.l = null);
  }
  fire(): void {
    this.l?.();
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup(hid: FakeHid, hotplug: HotplugSource | null = null) {
  const scanner = new HidPosScanner('scanner-hid', {
    api: hid,
    hotplug,
    settings: { pollMs: 10_000 },
    udevRulePath: '/opt/rs/udev/99-returns-station-hidpos.rules',
    isAccessDenied: (_p, e) => /EACCES/.test(String(e)),
    now: () => 5000,
  });
  const scans: ScanEvent[] = [];
  const statuses: DriverStatus[] = [];
  const problems: string[] = [];
  scanner.onScan((s) => scans.push(s));
  scanner.onStatus((s) => statuses.push(s));
  scanner.onProblem((p) => problems.push(p));
  return { scanner, scans, statuses, problems };
}

describe('findHidPosDevices', () => {
  it('finds scanners by usage page 0x8C only', () => {
    const hid = new FakeHid();
    hid.list = [KEYBOARD, SCANNER];
    expect(findHidPosDevices(hid)).toEqual([SCANNER]);
  });
});

describe('HidPosScanner', () => {
  it('opens the HID-POS device and turns reports into ScanEvents', async () => {
    const hid = new FakeHid();
    hid.list = [KEYBOARD, SCANNER];
    const { scanner, scans } = setup(hid);
    scanner.start();
    await flush();
    expect(scanner.status().state).toBe('connected');
    expect(scanner.label).toBe('Honeywell Voyager 1450g');
    const dev = hid.opened[0]!;
    dev.emit('data', RECORDED_EAN13);
    for (const r of reports(']C1', `0104912345678904${'\x1d'}10${'L'.repeat(60)}`)) dev.emit('data', r);
    expect(scans).toEqual([
      { text: '4901234567894', symbology: 'ean-13', aim: ']E0', gs1: false, source: 'hidpos:0c2e:0b8f', at: 5000 },
      { text: `0104912345678904\x1d10${'L'.repeat(60)}`, symbology: 'gs1-128', aim: ']C1', gs1: true, source: 'hidpos:0c2e:0b8f', at: 5000 },
    ]);
    await scanner.stop();
    expect(dev.closed).toBe(true);
  });

  it('reports malformed reports as problems and keeps going', async () => {
    const hid = new FakeHid();
    hid.list = [SCANNER];
    const { scanner, scans, problems } = setup(hid);
    scanner.start();
    await flush();
    const bad = report(']E0', '1', false);
    bad[1] = 200;
    hid.opened[0]!.emit('data', bad);
    hid.opened[0]!.emit('data', RECORDED_EAN13);
    expect(problems[0]).toMatch(/200 data bytes/);
    expect(scans).toHaveLength(1);
    await scanner.stop();
  });

  it('goes to reconnecting on unplug and reconnects on a hot-plug event', async () => {
    const hid = new FakeHid();
    hid.list = [SCANNER];
    const hotplug = new ManualHotplug();
    const { scanner, scans, statuses } = setup(hid, hotplug);
    scanner.start();
    await flush();
    hid.list = [];
    hid.opened[0]!.emit('error', new Error('could not read from HID device'));
    expect(scanner.status()).toMatchObject({ state: 'reconnecting', reason: expect.stringMatching(/disconnected/) });
    hotplug.fire(); // something else plugged in: still not our scanner
    expect(scanner.status().state).toBe('reconnecting');
    hid.list = [SCANNER];
    hotplug.fire();
    expect(scanner.status().state).toBe('connected');
    hid.opened[1]!.emit('data', RECORDED_EAN13);
    expect(scans).toHaveLength(1);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    await scanner.stop();
  });

  it('says how to install the udev rule when hidraw access is denied', async () => {
    const hid = new FakeHid();
    hid.list = [SCANNER];
    hid.openError = new Error('EACCES: cannot open device with path /dev/hidraw3');
    const { scanner } = setup(hid);
    scanner.start();
    await flush();
    const s = scanner.status();
    expect(s.state).toBe('error');
    expect(s.reason).toContain('sudo cp /opt/rs/udev/99-returns-station-hidpos.rules /etc/udev/rules.d/');
    expect(s.reason).toContain('udevadm control --reload-rules');
    await scanner.stop();
  });

  it('says when no HID-POS scanner is plugged in', async () => {
    const hid = new FakeHid();
    hid.list = [KEYBOARD];
    const { scanner } = setup(hid);
    scanner.start();
    await flush();
    expect(scanner.status()).toMatchObject({ state: 'reconnecting', reason: expect.stringMatching(/no HID-POS scanner found.*not keyboard/) });
    await scanner.stop();
  });

  it('reports when the HID module cannot load instead of crashing', async () => {
    const scanner = new HidPosScanner('s', { api: () => Promise.reject(new Error('libudev.so.1: cannot open')), hotplug: null });
    scanner.start();
    await flush();
    expect(scanner.status()).toMatchObject({ state: 'error', reason: expect.stringMatching(/HID support could not load.*libudev/) });
    await scanner.stop();
  });
});

describe('permissionMessage', () => {
  it('is platform-aware', () => {
    expect(permissionMessage('/dev/hidraw1', '/x.rules', 'linux')).toMatch(/udev rule/);
    expect(permissionMessage('\\\\?\\hid#vid', '/x.rules', 'win32')).not.toMatch(/udev/);
  });
});
