import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DeviceStatus, ScanEvent, WeightReading } from '../../contract/index.js';
import type { HidApiLike, HidDeviceInfo, HidDeviceLike } from '../scanners/hidPos.js';
import { MemoryTransport } from '../transports/memoryTransport.test-helper.js';
import { BenchDevicesConfig } from './config.js';
import { DeviceManager, type DeviceProblem } from './deviceManager.js';

function hidReport(aim: string, data: string): Buffer {
  const r = Buffer.alloc(64);
  r[0] = 2;
  r[1] = data.length;
  r.write(aim, 2, 'latin1');
  r.write(data, 5, 'latin1');
  return r;
}

class FakeHid implements HidApiLike {
  device = new (class extends EventEmitter implements HidDeviceLike {
    close(): void {}
  })();
  list: HidDeviceInfo[] = [{ path: '/dev/hidraw2', vendorId: 0x05e0, productId: 0x1200, product: 'DS2208', usagePage: 0x8c }];
  devices(): HidDeviceInfo[] {
    return this.list;
  }
  open(): HidDeviceLike {
    return this.device;
  }
}

function build() {
  const transports = new Map<string, MemoryTransport>();
  const hid = new FakeHid();
  const manager = new DeviceManager(
    {
      devices: [
        { id: 'scanner-1', driver: 'serial-scanner', serial: { path: '/dev/ttyACM0', baudRate: 115200 } },
        { id: 'scanner-2', driver: 'hidpos-scanner' },
        { id: 'scale-1', driver: 'ad-scale', serial: { path: '/dev/ttyUSB0' } },
        { id: 'scanner-off', driver: 'serial-scanner', enabled: false, serial: { path: '/dev/ttyACM9' } },
      ],
    },
    {
      serialTransport: (settings, id) => {
        const t = new MemoryTransport(settings.path);
        transports.set(id, t);
        return t;
      },
      hidApi: hid,
      hotplug: null,
      detect: { serial: { platform: 'linux', devDir: '/nonexistent', list: () => Promise.reject(new Error('spawn udevadm ENOENT')) } },
      now: () => 100,
    },
  );
  return { manager, transports, hid };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('BenchDevicesConfig', () => {
  it('applies per-driver defaults (A&D scales: 2400 7E1)', () => {
    const cfg = BenchDevicesConfig.parse({ devices: [{ id: 'scale-1', driver: 'ad-scale', serial: { path: '/dev/ttyUSB0' } }] });
    expect(cfg.devices[0]).toMatchObject({ serial: { baudRate: 2400, dataBits: 7, parity: 'even', stopBits: 1 }, scale: { requestCommand: 'Q' } });
  });

  it('refuses duplicate ids and two devices on one port, naming the entry', () => {
    const r = BenchDevicesConfig.safeParse({
      devices: [
        { id: 'a', driver: 'serial-scanner', serial: { path: '/dev/ttyUSB0' } },
        { id: 'a', driver: 'ad-scale', serial: { path: '/dev/ttyUSB0' } },
      ],
    });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(expect.arrayContaining(['devices.1.id: device id "a" is used twice', 'devices.1.serial.path: /dev/ttyUSB0 is already used by "a"']));
  });

  it('refuses unknown drivers and unknown keys', () => {
    expect(BenchDevicesConfig.safeParse({ devices: [{ id: 'x', driver: 'telepathy' }] }).success).toBe(false);
    expect(BenchDevicesConfig.safeParse({ devices: [{ id: 'x', driver: 'hidpos-scanner', baud: 9600 }] }).success).toBe(false);
  });
});

describe('DeviceManager', () => {
  it('starts the enabled drivers and merges their scans, weights, statuses and problems', async () => {
    const { manager, transports, hid } = build();
    const scans: Array<[string, ScanEvent]> = [];
    const weights: WeightReading[] = [];
    const statuses: DeviceStatus[] = [];
    const problems: DeviceProblem[] = [];
    manager.onScan((s, id) => scans.push([id, s]));
    manager.onWeight((w) => weights.push(w));
    manager.onStatus((s) => statuses.push(s));
    manager.onProblem((p) => problems.push(p));
    manager.start();
    await flush();

    expect(transports.has('scanner-off')).toBe(false);
    expect(manager.statuses().map((s) => [s.deviceId, s.kind, s.state])).toEqual([
      ['scanner-1', 'scanner', 'connected'],
      ['scanner-2', 'scanner', 'connected'],
      ['scale-1', 'scale', 'connected'],
    ]);

    transports.get('scanner-1')!.receive(']C10104912345678904\x1d10A\r');
    hid.device.emit('data', hidReport(']E0', '4901234567894'));
    transports.get('scale-1')!.receive('ST,+00850.00  g\r\n');
    transports.get('scanner-1')!.receive('\x07\x07\r');

    expect(scans.map(([id, s]) => [id, s.symbology, s.text])).toEqual([
      ['scanner-1', 'gs1-128', '0104912345678904\x1d10A'],
      ['scanner-2', 'ean-13', '4901234567894'],
    ]);
    expect(weights).toMatchObject([{ grams: 850, stable: true }]);
    expect(manager.lastWeight()).toMatchObject({ grams: 850 });
    expect(manager.recentScans('scanner-2').map((s) => s.text)).toEqual(['4901234567894']);
    expect(problems).toMatchObject([{ deviceId: 'scanner-1', message: expect.stringMatching(/control byte 0x07/) }]);

    transports.get('scale-1')!.setState('reconnecting', '/dev/ttyUSB0 was disconnected');
    expect(statuses.at(-1)).toEqual({
      deviceId: 'scale-1',
      kind: 'scale',
      label: '/dev/ttyUSB0',
      state: 'reconnecting',
      reason: '/dev/ttyUSB0 was disconnected',
      since: expect.any(Number),
    });
    await manager.dispose();
    expect(manager.statuses().every((s) => s.state === 'stopped')).toBe(true);
  });

  it('requestWeight asks the scale', async () => {
    const { manager, transports } = build();
    manager.start();
    transports.get('scale-1')!.onWrite = (b) => {
      if (b.toString() === 'Q\r\n') queueMicrotask(() => transports.get('scale-1')!.receive('US,+0001.200 kg\r\n'));
    };
    await expect(manager.requestWeight()).resolves.toMatchObject({ grams: 1200, stable: false });
    await expect(manager.requestWeight('nope')).rejects.toThrow(/no scale "nope"/);
    await manager.dispose();
  });

  it('accepts drivers built elsewhere (RFID) into the same streams', async () => {
    const { manager } = build();
    const statuses: DeviceStatus[] = [];
    manager.onStatus((s) => statuses.push(s));
    const t = new MemoryTransport('/dev/ttyUSB5');
    const { SerialScanner } = await import('../scanners/serialScanner.js');
    manager.add(new SerialScanner('extra', t));
    expect(() => manager.add(new SerialScanner('extra', t))).toThrow(/already registered/);
    manager.start();
    expect(manager.statuses().find((s) => s.deviceId === 'extra')?.state).toBe('connected');
    await manager.dispose();
  });

  it('detects serial ports and HID-POS scanners, with warnings instead of failures', async () => {
    const { manager } = build();
    const found = await manager.detect();
    expect(found.hidPosScanners).toEqual([
      { source: 'hidpos:05e0:1200', path: '/dev/hidraw2', vendorId: 0x05e0, productId: 0x1200, product: 'DS2208' },
    ]);
    expect(found.serialPorts).toEqual([]);
    expect(found.warnings[0]?.text).toMatch(/udevadm is not installed/);
    expect(found.warnings[0]).toMatchObject({ key: 'devices.warning.serialListNoUdev' });
    await manager.dispose();
  });
});
