import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialTransport, describeSerialError, listSerialPorts, type TransportStatus } from './serial.js';

const MockBinding = SerialPortMock.binding;

afterEach(() => MockBinding.reset());

describe('SerialTransport (mock binding)', () => {
  it('connects, delivers data and writes', async () => {
    MockBinding.createPort('/dev/ttyMOCK0', { echo: true, record: true });
    const t = new SerialTransport({ path: '/dev/ttyMOCK0', baudRate: 9600 }, { binding: MockBinding });
    const got: Buffer[] = [];
    t.onData((c) => got.push(c));
    t.start();
    await t.whenConnected(1000);
    await t.write('Q\r\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(Buffer.concat(got).toString()).toBe('Q\r\n'); // echo port sends back what was written
    await t.close();
    expect(t.status().state).toBe('stopped');
  });

  it('waits in "reconnecting" while the port is missing and connects when it appears', async () => {
    const t = new SerialTransport({ path: '/dev/ttyMOCK1' }, { binding: MockBinding, reconnect: { initialDelayMs: 10, maxDelayMs: 20 } });
    const states: TransportStatus[] = [];
    t.onStatus((s) => states.push(s));
    t.start();
    await new Promise((r) => setTimeout(r, 30));
    expect(t.status().state).not.toBe('connected');
    MockBinding.createPort('/dev/ttyMOCK1');
    await t.whenConnected(2000);
    expect(states[0]?.state).toBe('connecting');
    expect(states.at(-1)?.state).toBe('connected');
    await t.close();
  });

  it('refuses writes while not connected, with the reason', async () => {
    const t = new SerialTransport({ path: '/dev/nothing' }, { binding: MockBinding });
    await expect(t.write('x')).rejects.toThrow(/not connected/);
  });

  it('rejects invalid settings at the boundary', () => {
    expect(() => new SerialTransport({ path: '' })).toThrow();
    expect(() => new SerialTransport({ path: '/dev/x', dataBits: 9 as 8 })).toThrow();
  });
});

describe('describeSerialError', () => {
  it('turns errno into words an operator can act on', () => {
    expect(describeSerialError('/dev/ttyUSB0', new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'))).toEqual({
      state: 'reconnecting',
      reason: expect.stringMatching(/not there.*waiting/),
      code: 'portAbsent',
      params: { port: '/dev/ttyUSB0' },
    });
    expect(describeSerialError('/dev/ttyUSB0', new Error('Error: Permission denied, cannot open /dev/ttyUSB0'))).toEqual({
      state: 'error',
      reason: expect.stringMatching(/dialout/),
      code: 'portPermission',
      params: { port: '/dev/ttyUSB0' },
    });
    expect(describeSerialError('/dev/ttyUSB0', new Error('Error Resource temporarily unavailable Cannot lock port'))).toMatchObject({
      state: 'error',
      reason: expect.stringMatching(/in use by another program/),
      code: 'portBusy',
    });
    // A path that is a file or another device (a typo, /dev/null): said so, not as the ioctl's words.
    expect(describeSerialError('/etc/hostname', new Error('Error: Inappropriate ioctl for device setting custom baud rate of 9600'))).toEqual({
      state: 'error',
      reason: '/etc/hostname is not a serial port (check the device\'s path in the device file)',
      code: 'portNotSerial',
      params: { port: '/etc/hostname' },
    });
    // Anything else still has a code, so the screen says it in the operator's language around the system's words.
    expect(describeSerialError('/dev/ttyUSB0', new Error('Input/output error'))).toEqual({
      state: 'error',
      reason: '/dev/ttyUSB0: Input/output error',
      code: 'portFailed',
      params: { port: '/dev/ttyUSB0', detail: 'Input/output error' },
    });
  });
});

describe('listSerialPorts', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = '';
  });

  it('falls back to scanning /dev when udevadm is missing, and says so', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rs-dev-'));
    await writeFile(join(dir, 'ttyUSB0'), '');
    await writeFile(join(dir, 'ttyACM1'), '');
    await writeFile(join(dir, 'ttyS0'), '');
    await writeFile(join(dir, 'ttyUSB10'), '');
    await mkdir(join(dir, 'serial', 'by-id'), { recursive: true });
    await symlink(join(dir, 'ttyUSB0'), join(dir, 'serial', 'by-id', 'usb-Honeywell_1450g-if00'));
    const listing = await listSerialPorts({
      devDir: dir,
      platform: 'linux',
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
    });
    expect(listing.ports.map((p) => p.path)).toEqual([join(dir, 'ttyACM1'), join(dir, 'ttyUSB0'), join(dir, 'ttyUSB10')]);
    expect(listing.ports[1]?.byId).toBe(join(dir, 'serial', 'by-id', 'usb-Honeywell_1450g-if00'));
    expect(listing.warning?.text).toMatch(/udevadm is not installed/);
    expect(listing.warning).toMatchObject({ key: 'devices.warning.serialListNoUdev', params: { dir } });
  });

  it('passes through the full listing when it works', async () => {
    const listing = await listSerialPorts({
      devDir: '/nonexistent',
      platform: 'linux',
      list: () => Promise.resolve([{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }]),
    });
    expect(listing).toEqual({ ports: [{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }] });
  });

  it('never throws elsewhere either', async () => {
    const listing = await listSerialPorts({ platform: 'win32', list: () => Promise.reject(new Error('boom')) });
    expect(listing).toEqual({ ports: [], warning: { text: expect.stringMatching(/boom/), key: 'devices.warning.serialListFailed', params: { why: 'boom' } } });
  });
});

describe('SerialTransport close during open', () => {
  it('does not leave the port open when closed while opening', async () => {
    MockBinding.createPort('/dev/ttyMOCK2');
    const t = new SerialTransport({ path: '/dev/ttyMOCK2' }, { binding: MockBinding });
    t.start();
    await t.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.status().state).toBe('stopped');
    // A second transport can open the same mock port only if the first one released it.
    const t2 = new SerialTransport({ path: '/dev/ttyMOCK2' }, { binding: MockBinding });
    t2.start();
    await t2.whenConnected(1000);
    await t2.close();
  });
});
