// The RFID and printer members of the device manager, and the bench config's error sentences.
import { describe, expect, it } from 'vitest';
import type { DeviceStatus, TagRead } from '../../contract/index.js';
import type { LabelPrinter } from '../printers/labelPrinter.js';
import { statusFromError, statusFromFlags, unknownStatus, type PrinterStatus } from '../printers/printerStatus.js';
import { PrinterError } from '../printers/errors.js';
import { MemoryTransport } from '../transports/memoryTransport.test-helper.js';
import { parseBenchDevicesConfig } from './config.js';
import { DeviceManager } from './deviceManager.js';
import { PrinterDevice, printerDeviceState } from './printerDevice.js';

const EPC_A = '30340242201D8840009EFA42';
const EPC_B = '30340242201D8840009EFA43';

function lineRfidBench(now: () => number) {
  const transports = new Map<string, MemoryTransport>();
  const manager = new DeviceManager(
    { devices: [{ id: 'rfid-1', driver: 'line-rfid', serial: { path: '/dev/ttyUSB7' }, rfid: { dedupeWindowMs: 2000 } }] },
    {
      hotplug: null,
      now,
      serialTransport: (s, id) => {
        const t = new MemoryTransport(s.path);
        transports.set(id, t);
        return t;
      },
    },
  );
  const tags: TagRead[] = [];
  const statuses: DeviceStatus[] = [];
  manager.onTag((t) => tags.push(t));
  manager.onStatus((s) => statuses.push(s));
  manager.start();
  const transport = transports.get('rfid-1');
  if (!transport) throw new Error('no transport built');
  transport.setState('connected');
  return { manager, transport, tags, statuses };
}

describe('RFID readers in the device manager', () => {
  it('reports a tag once while it stays in the field, and again after it was gone for the window', () => {
    let t = 1_000;
    const b = lineRfidBench(() => t);
    b.transport.receive(`${EPC_A}\r\n`);
    t += 500;
    b.transport.receive(`${EPC_A},-52\r\n${EPC_B}\r\n`);
    t += 500;
    b.transport.receive(`${EPC_A}\r\n`);
    expect(b.tags.map((r) => r.epcHex)).toEqual([EPC_A, EPC_B]);
    t += 2500;
    b.transport.receive(`${EPC_A}\r\n`);
    expect(b.tags.map((r) => r.epcHex)).toEqual([EPC_A, EPC_B, EPC_A]);
    expect(b.manager.statuses()).toEqual([expect.objectContaining({ deviceId: 'rfid-1', kind: 'rfid', label: '/dev/ttyUSB7', state: 'connected' })]);
    void b.manager.dispose();
  });

  it('collectTags counts every raw read per EPC and names the reader', async () => {
    const b = lineRfidBench(Date.now);
    const collecting = b.manager.collectTags(50);
    b.transport.receive(`${EPC_A} -60 1\r\n${EPC_A} -48 2\r\n${EPC_B}\r\n`);
    const r = await collecting;
    expect(r.totalReads).toBe(3);
    expect(r.tags).toEqual([
      expect.objectContaining({ epcHex: EPC_A, reads: 2, antennas: [1, 2], bestRssi: -48 }),
      expect.objectContaining({ epcHex: EPC_B, reads: 1 }),
    ]);
    expect(r.deviceIdsByEpc.get(EPC_A)).toEqual(['rfid-1']);
    await expect(b.manager.collectTags(10, 'rfid-9')).rejects.toThrow(/no RFID reader "rfid-9"/);
    await b.manager.dispose();
  });

  it('a reader that stops sending usable lines reports problems, not exceptions', () => {
    const b = lineRfidBench(Date.now);
    const problems: string[] = [];
    b.manager.onProblem((p) => problems.push(p.message));
    b.transport.receive('not-an-epc\r\n');
    expect(problems).toHaveLength(1);
    expect(b.tags).toHaveLength(0);
    void b.manager.dispose();
  });
});

describe('bench config sentences', () => {
  it('names the entry by position and id, and the field', () => {
    const r = parseBenchDevicesConfig({
      devices: [
        { id: 'scanner-1', driver: 'serial-scanner', serial: { path: '/dev/ttyACM0' } },
        { id: 'door', driver: 'llrp-rfid', llrp: { port: 5084 } },
      ],
    });
    // The issue goes with the sentence: the Devices screen says the same in the lead's language.
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^device 2 \("door"\): llrp\.host: /), issue: expect.objectContaining({ path: ['devices', 1, 'llrp', 'host'] }) });
  });

  it('refuses two devices on one port and accepts the RFID drivers with their defaults', () => {
    const clash = parseBenchDevicesConfig({
      devices: [
        { id: 'a', driver: 'chafon-rfid', serial: { path: '/dev/ttyUSB0' } },
        { id: 'b', driver: 'line-rfid', serial: { path: '/dev/ttyUSB0' } },
      ],
    });
    expect(clash).toEqual({
      ok: false,
      message: 'device 2 ("b"): serial.path: /dev/ttyUSB0 is already used by "a"',
      issue: expect.objectContaining({ code: 'custom', path: ['devices', 1, 'serial', 'path'], params: { reason: 'portTwice', other: 'a' } }),
    });
    const ok = parseBenchDevicesConfig({
      devices: [
        { id: 'a', driver: 'chafon-rfid', serial: { path: '/dev/ttyUSB0' } },
        { id: 'door', driver: 'llrp-rfid', llrp: { host: '10.0.0.5' } },
      ],
    });
    expect(ok.ok && ok.config.devices).toEqual([
      expect.objectContaining({ serial: expect.objectContaining({ baudRate: 57600 }), rfid: { dialect: 'uhfreader288', adr: 0, pollIntervalMs: 100, dedupeWindowMs: 2000 } }),
      expect.objectContaining({ llrp: { host: '10.0.0.5', port: 5084, keepaliveMs: 5000 } }),
    ]);
  });
});

describe('the printer as a device', () => {
  it('says what is wrong in plain words', () => {
    const flags = { paperOut: false, headOpen: false, paused: false, ribbonOut: false };
    expect(printerDeviceState(null)).toMatchObject({ state: 'connecting' });
    expect(printerDeviceState(statusFromFlags(flags))).toEqual({ state: 'connected' });
    expect(printerDeviceState(statusFromFlags({ ...flags, paperOut: true }))).toEqual({ state: 'error', reason: 'out of labels', code: 'printerFault', params: { faults: 'paperOut' } });
    expect(printerDeviceState(statusFromFlags({ ...flags, headOpen: true, paused: true }))).toEqual({
      state: 'error',
      reason: 'print head is open, printer is paused',
      code: 'printerFault',
      params: { faults: 'headOpen,paused' },
    });
    expect(printerDeviceState(statusFromError(new PrinterError('refused', 'connect ECONNREFUSED 10.0.0.5:9100')))).toMatchObject({
      state: 'reconnecting',
      reason: expect.stringMatching(/^printer is unreachable .*ECONNREFUSED/),
    });
    expect(printerDeviceState(statusFromError(new PrinterError('no_status_reply', 'no reply')))).toMatchObject({ state: 'error', reason: expect.stringMatching(/does not answer/) });
    expect(printerDeviceState(unknownStatus())).toMatchObject({ state: 'connected', reason: expect.stringMatching(/cannot report/) });
  });

  it('asks the printer on start and publishes each change once', async () => {
    let reply: PrinterStatus = statusFromFlags({ paperOut: true, headOpen: false, paused: false, ribbonOut: false });
    let last: PrinterStatus | null = null;
    const printer = {
      name: 'tcp://10.0.0.5:9100',
      language: 'zpl',
      status: async () => (last = reply),
      lastStatus: () => last,
      onChange: () => () => undefined,
    } as unknown as LabelPrinter;
    const device = new PrinterDevice(printer, { pollMs: 60_000 });
    const seen: string[] = [];
    device.onStatus((s) => seen.push(`${s.state}:${s.reason ?? ''}`));
    device.start();
    await device.refresh();
    expect(device.status()).toMatchObject({ state: 'error', reason: 'out of labels' });
    reply = statusFromFlags({ paperOut: false, headOpen: false, paused: false, ribbonOut: false });
    await device.refresh();
    await device.refresh();
    await device.stop();
    expect(seen).toEqual(['connecting:checking the printer', 'error:out of labels', 'connected:', 'stopped:']);
    expect(device.label).toBe('ZPL tcp://10.0.0.5:9100');
  });
});
