// A whole station started the way a bench starts it (app/, RS_DEVICES_FILE) with every kind of
// device on its real protocol: a serial scanner and an A&D scale over socat ptys, a Chafon reader
// over a pty, an LLRP reader and a ZPL printer on 127.0.0.1. What the Devices screen and intake
// see comes through station.handle / station.subscribe only.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import tds from 'epc-tds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse, DeviceStatus, ScanEvent, TagRead, WeightReading } from '../../contract/index.js';
import type { DevicesOverview, ReadTagsResult, RecentScan } from '../../contract/calls/devices.js';
import type { EventName } from '../../contract/events.js';
import { demoSample, generateDemoData } from '../../fixtures/demo-data/generate.js';
import { AdScaleSim } from '../../fixtures/device-sims/scaleSim.js';
import { GS, SerialScannerSim } from '../../fixtures/device-sims/scannerSim.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { ChafonSimulator } from '../../fixtures/rfid-sims/chafonSim.js';
import { LlrpReaderSimulator } from '../../fixtures/rfid-sims/llrpSim.js';
import { SocatLink as RfidPty } from '../../fixtures/device-sims/socatLink.js';
import { startDemoApp, type RunningDemoApp } from '../../app/demo.js';

// Generous: the suite must pass on a loaded 2-core machine.
const WAIT_MS = 15_000;

async function waitFor<T>(what: string, get: () => T | undefined | false | null, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function waitForAsync<T>(what: string, get: () => Promise<T | undefined | false | null>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sgtin = (gtin14: string, serial: number): string =>
  new tds.Sgtin96().setFilter(1).setPartition(6).setGtin(gtin14).setSerial(serial).toHexString().toUpperCase();

const sample = demoSample(generateDemoData({ seed: 42, rmas: 30 }));

let dir: string;
let app: RunningDemoApp;
let scanner: SerialScannerSim;
let scale: AdScaleSim;
let chafonPty: RfidPty;
let chafon: ChafonSimulator;
let llrp: LlrpReaderSimulator;
let printer: TcpPrinterSim;
const events: Array<{ event: EventName; payload: unknown }> = [];
/** The printer the devices file names now (devices.configurePrinter may have changed it). */
const configuredPrinterPort = (): unknown => (JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as { printer?: { port?: unknown } }).printer?.port;

async function call<T>(session: string, name: string, input: unknown = {}): Promise<T> {
  const r = await app.station.handle(session, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const raw = (session: string, name: string, input: unknown = {}): Promise<ApiResponse> => app.station.handle(session, name, input);
const state = async (id: string): Promise<DeviceStatus | undefined> =>
  (await call<DevicesOverview>('staff', 'devices.status')).devices.find((d) => d.deviceId === id);

const ITEM_TAG = sgtin(sample.firstLine.gtin, 1001);
const STRANGER_TAG = sgtin(sample.productNotOnRma.gtin, 7);
const SSCC_TAG = '3178E61C883950F59A000000';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-devices-station-'));
  scanner = await SerialScannerSim.open();
  scale = await AdScaleSim.open();
  scale.set({ value: 1234.5, unit: 'g', stable: true });
  chafonPty = new RfidPty();
  await chafonPty.open();
  chafon = new ChafonSimulator({ path: chafonPty.simPath });
  await chafon.start();
  chafon.tags = [{ epcHex: ITEM_TAG, antenna: 1, rssi: 200 }];
  llrp = new LlrpReaderSimulator({ reportIntervalMs: 50 });
  await llrp.start();
  llrp.tags = [{ epcHex: STRANGER_TAG, antenna: 2, peakRssi: -51 }, { epcHex: SSCC_TAG, antenna: 1, peakRssi: -60 }];
  printer = await startTcpPrinterSim({ mode: 'zpl' });

  const devicesFile = join(dir, 'bench.json');
  writeFileSync(
    devicesFile,
    JSON.stringify({
      printer: { transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zpl', timeoutMs: 2000 },
      devices: [
        { id: 'scanner-1', driver: 'serial-scanner', serial: { path: scanner.path, baudRate: 9600 } },
        { id: 'scale-1', driver: 'ad-scale', serial: { path: scale.path } },
        { id: 'rfid-desk', driver: 'chafon-rfid', serial: { path: chafonPty.devPath }, rfid: { pollIntervalMs: 50 } },
        { id: 'rfid-door', driver: 'llrp-rfid', llrp: { host: '127.0.0.1', port: llrp.port, keepaliveMs: 1000 } },
      ],
    }),
  );
  app = await startDemoApp({ dataDir: dir, env: { RS_DEVICES_FILE: devicesFile }, demoRmas: 30, log: () => undefined });
  app.station.subscribe((event, payload) => {
    events.push({ event, payload });
  });
  await call('staff', 'session.signIn', { badge: sample.operators.staff.badge, pin: sample.operators.staff.pin });
  await call('lead', 'session.signIn', { badge: sample.operators.lead.badge, pin: sample.operators.lead.pin });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await scanner?.close();
  await scale?.close();
  await chafon?.stop();
  await chafonPty?.dispose();
  await llrp?.stop();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('devices in a running station', () => {
  it('lists every configured device, the printer included, as connected', async () => {
    const ids = ['scanner-1', 'scale-1', 'rfid-desk', 'rfid-door', 'printer'];
    const overview = await waitForAsync('all devices connected', async () => {
      const o = await call<DevicesOverview>('staff', 'devices.status');
      return ids.every((id) => o.devices.find((d) => d.deviceId === id)?.state === 'connected') && o;
    });
    expect(overview.devices.map((d) => [d.deviceId, d.kind]).sort()).toEqual(
      [
        ['printer', 'printer'],
        ['rfid-desk', 'rfid'],
        ['rfid-door', 'rfid'],
        ['scale-1', 'scale'],
        ['scanner-1', 'scanner'],
      ].sort(),
    );
    expect(overview.printer).toMatchObject({ name: `tcp://127.0.0.1:${printer.port}`, language: 'zpl', queue: { pending: 0, uncertain: 0 } });
    await waitForAsync('printer health', async () => (await call<DevicesOverview>('staff', 'devices.status')).printer?.health?.state === 'ready');
  });

  it('a scan from the serial scanner arrives as a device.scan event, GS kept, and shows up in the raw scans', async () => {
    const data = `0104912345678904${GS}10LOT-7`;
    await scanner.scan(data, ']C1');
    const got = await waitFor('device.scan', () => events.find((e) => e.event === 'device.scan' && (e.payload as ScanEvent).text === data));
    expect(got.payload).toMatchObject({ text: data, aim: ']C1', symbology: 'gs1-128', gs1: true });
    const { scans } = await call<{ scans: RecentScan[] }>('staff', 'devices.recentScans', { deviceId: 'scanner-1' });
    expect(scans[0]).toMatchObject({ deviceId: 'scanner-1', text: data, visible: ']C10104912345678904<GS>10LOT-7' });
  });

  it('pushes a tag that enters a reader\'s field as one device.tags event', async () => {
    // Tags already in the field were announced before this test subscribed; a new one is news.
    const arriving = sgtin(sample.firstLine.gtin, 2002);
    chafon.tags = [...chafon.tags, { epcHex: arriving, antenna: 1, rssi: 180 }];
    const tag = await waitFor('device.tags', () => events.find((e) => e.event === 'device.tags' && (e.payload as TagRead).epcHex === arriving));
    expect((tag.payload as TagRead).source).toMatch(/^chafon:/);
    // The reader keeps seeing it every poll; the stream does not repeat it.
    await waitForAsync('more raw reads of the tag', async () => {
      const r = await call<ReadTagsResult>('staff', 'devices.readTags', { durationMs: 300, deviceId: 'rfid-desk' });
      return (r.tags.find((t) => t.epcHex === arriving)?.reads ?? 0) >= 2;
    });
    expect(events.filter((e) => e.event === 'device.tags' && (e.payload as TagRead).epcHex === arriving)).toHaveLength(1);
    chafon.tags = chafon.tags.filter((t) => t.epcHex !== arriving);
  });

  it('devices.readTags collects from both readers and decodes the EPCs', async () => {
    const r = await call<ReadTagsResult>('staff', 'devices.readTags', { durationMs: 1500 });
    const byEpc = new Map(r.tags.map((t) => [t.epcHex, t]));
    expect(byEpc.get(ITEM_TAG)).toMatchObject({ scheme: 'SGTIN-96', gtin: sample.firstLine.gtin.padStart(14, '0'), serial: '1001', deviceIds: ['rfid-desk'], error: null });
    expect(byEpc.get(STRANGER_TAG)).toMatchObject({ scheme: 'SGTIN-96', gtin: sample.productNotOnRma.gtin.padStart(14, '0'), deviceIds: ['rfid-door'] });
    expect(byEpc.get(SSCC_TAG)).toMatchObject({ scheme: 'SSCC-96', gtin: null });
    expect(r.totalReads).toBeGreaterThanOrEqual(3);
    expect(r.match).toBeUndefined();
  });

  it('devices.readWeight returns the scale simulator\'s stable weight', async () => {
    scale.set({ value: 2345.6, unit: 'g', stable: true });
    const w = await waitForAsync('the new weight', async () => {
      const r = await call<WeightReading>('staff', 'devices.readWeight', { timeoutMs: 3000 });
      return r.grams === 2345.6 && r;
    });
    expect(w).toMatchObject({ stable: true, overload: false, unit: 'g', value: 2345.6 });
    expect(scale.commands.length).toBeGreaterThan(0);
  });

  it('opening a parcel keeps the scale weight with it; readTags with the parcel matches tags to its RMA lines', async () => {
    scale.set({ value: 980, unit: 'g', stable: true });
    await scale.send();
    await waitFor('the 980 g reading', () => events.find((e) => e.event === 'device.weight' && (e.payload as WeightReading).grams === 980));
    const parcel = await call<{ parcelId: string; weightGrams?: number }>('staff', 'parcel.open', { code: sample.trackingNumber });
    const weighed = await waitForAsync('parcel weight', async () => {
      const v = await call<{ weightGrams?: number }>('staff', 'parcel.get', { parcelId: parcel.parcelId });
      return v.weightGrams !== undefined && v;
    });
    expect(weighed.weightGrams).toBe(980);

    const r = await call<ReadTagsResult>('staff', 'devices.readTags', { durationMs: 1500, parcelId: parcel.parcelId });
    const line = r.match?.lines.find((l) => l.lineId === sample.firstLine.lineId);
    expect(line?.tags.map((t) => t.epcHex)).toEqual([ITEM_TAG]);
    expect(r.match?.unexpected.map((t) => t.epcHex)).toEqual([STRANGER_TAG]);
    expect(r.match?.nonItem.map((t) => t.epcHex)).toEqual([SSCC_TAG]);
  });

  it('devices.testPrint lands in the printer simulator', async () => {
    const before = printer.jobs.length;
    const r = await call<{ lpn: string; outcome: { status: string } }>('lead', 'devices.testPrint');
    expect(r.outcome.status).toBe('printed');
    const jobs = await printer.waitForJobs(before + 1, WAIT_MS);
    expect(jobs.at(-1)?.toString('utf8')).toContain(r.lpn);
    // Each test print is a new label, not a silent no-op of the previous one.
    const again = await call<{ lpn: string; outcome: { status: string } }>('lead', 'devices.testPrint');
    expect(again.lpn).not.toBe(r.lpn);
    await printer.waitForJobs(before + 2, WAIT_MS);
  });

  it('devices.testPrint prints in the operator\'s language: Japanese names on a Japanese bench, English on request', async () => {
    const before = printer.jobs.length;
    const ja = await call<{ lpn: string; outcome: { status: string } }>('lead', 'devices.testPrint', { language: 'ja' });
    expect(ja.outcome.status).toBe('printed');
    const jaJob = (await printer.waitForJobs(before + 1, WAIT_MS)).at(-1)?.toString('utf8') ?? '';
    expect(jaJob).toContain(ja.lpn);
    expect(jaJob).toContain('再販売');
    expect(jaJob).toContain('行き先');
    expect(jaJob).not.toMatch(/\^FDRESALE\^FS|->/);
    const en = await call<{ lpn: string; outcome: { status: string } }>('lead', 'devices.testPrint', { language: 'en' });
    const enJob = (await printer.waitForJobs(before + 2, WAIT_MS)).at(-1)?.toString('utf8') ?? '';
    expect(enJob).toContain(en.lpn);
    expect(enJob).toMatch(/\^FDRESALE\^FS/);
    expect(enJob).not.toContain('再販売');
  });

  it('printer.jobs lists the queue; printer.reprint of an unknown LPN is NOT_FOUND', async () => {
    const jobs = await call<{ jobs: unknown[]; queue: { pending: number } }>('staff', 'printer.jobs');
    expect(jobs.queue.pending).toBe(0);
    const r = await raw('staff', 'printer.reprint', { lpn: 'NO-SUCH-LPN' });
    expect(r.ok ? null : r.error.code).toBe('NOT_FOUND');
  });

  it('refuses the LEADS-only calls to staff', async () => {
    for (const name of ['devices.detect', 'devices.testPrint', 'devices.config', 'devices.configure']) {
      const input = name === 'devices.configure' ? { devices: [] } : {};
      const r = await raw('staff', name, input);
      expect(r.ok ? `${name} allowed` : r.error.code).toBe('FORBIDDEN');
    }
    const lead = await raw('lead', 'devices.config');
    expect(lead.ok).toBe(true);
  });

  it('unplugging the scanner shows reconnecting, plugging it back shows connected and scans flow again', async () => {
    await scanner.unplug();
    const gone = await waitForAsync('scanner reconnecting', async () => {
      const s = await state('scanner-1');
      return s && s.state !== 'connected' && s;
    });
    expect(gone.state).toBe('reconnecting');
    expect(gone.reason).toMatch(/unplugged|not there|waiting/i);
    // The renderer hears it without asking: device.status carries every device's status.
    await waitFor('device.status event', () =>
      events.find((e) => e.event === 'device.status' && (e.payload as DeviceStatus[]).some((d) => d.deviceId === 'scanner-1' && d.state === 'reconnecting')),
    );
    await scanner.replug();
    await waitForAsync('scanner connected again', async () => (await state('scanner-1'))?.state === 'connected');
    await scanner.scan('4901234567894', ']E0');
    await waitFor('scan after replug', () => events.find((e) => e.event === 'device.scan' && (e.payload as ScanEvent).text === '4901234567894'));
  });
});

describe('devices.configurePrinter: a lead points the bench at another printer while it runs', () => {
  let second: TcpPrinterSim;
  beforeAll(async () => {
    second = await startTcpPrinterSim({ mode: 'zpl' });
  });
  afterAll(async () => {
    await second?.close();
  });
  const file = () => join(dir, 'bench.json');
  const secondPrinter = () => ({ transport: 'tcp', host: '127.0.0.1', port: second.port, language: 'zpl', name: 'ラベルプリンター 2番', timeoutMs: 2000 });

  it('refuses staff, and refuses a bad printer by field and problem with nothing changed', async () => {
    const fileBefore = readFileSync(file(), 'utf8');
    const configBefore = await call<{ printer: unknown }>('lead', 'devices.config');
    const staff = await raw('staff', 'devices.configurePrinter', secondPrinter());
    expect(staff.ok ? 'allowed' : staff.error.code).toBe('FORBIDDEN');
    const refusals = [
      [{ ...secondPrinter(), host: '' }, { field: 'host', problem: 'empty' }],
      [{ ...secondPrinter(), port: 0 }, { field: 'port', problem: 'tooSmall', minimum: 1, given: '0' }],
      [{ ...secondPrinter(), port: '91OO' }, { field: 'port', problem: 'type', expected: 'number' }],
      [{ ...secondPrinter(), transport: 'usb' }, { field: 'transport', problem: 'oneOf', values: 'tcp, serial, device, none', given: 'usb' }],
      [{ transport: 'serial', path: '/dev/ttyUSB2', baudRate: 0, language: 'zpl' }, { field: 'baudRate', problem: 'moreThan' }],
    ] as const;
    for (const [input, params] of refusals) {
      const r = await raw('lead', 'devices.configurePrinter', input);
      expect(r.ok ? 'saved' : r.error).toMatchObject({ code: 'INVALID_INPUT', messageKey: 'error.device.badPrinter', params });
    }
    expect(readFileSync(file(), 'utf8')).toBe(fileBefore);
    expect(await call<{ printer: unknown }>('lead', 'devices.config')).toEqual(configBefore);
    expect((await call<DevicesOverview>('staff', 'devices.status')).printer?.name).toBe(`tcp://127.0.0.1:${printer.port}`);
    expect(second.jobs).toHaveLength(0);
  });

  it('a label waiting for the old printer prints once, on the new one; new labels and the status follow the new printer', async () => {
    // The old printer is out of labels: a test label waits in the queue, held by the status check before each job.
    printer.setStatus({ paperOut: true });
    await waitForAsync('old printer out of labels', async () => (await state('printer'))?.reasonCode === 'printerFault');
    const oldJobs = printer.jobs.length;
    const waiting = await call<{ lpn: string; outcome: { status: string } }>('lead', 'devices.testPrint');
    expect(waiting.outcome.status).toBe('queued');
    expect((await call<DevicesOverview>('staff', 'devices.status')).printer?.queue.pending).toBe(1);

    const overview = await call<DevicesOverview>('lead', 'devices.configurePrinter', secondPrinter());
    expect(overview.printer?.name).toBe(`tcp://127.0.0.1:${second.port}`);
    const [moved] = await second.waitForJobs(1, WAIT_MS);
    expect(moved?.toString('utf8')).toContain(waiting.lpn);

    // A new label goes to the new printer, byte for byte a ZPL job with its LPN.
    const fresh = await call<{ lpn: string; outcome: { status: string; printerName?: string } }>('lead', 'devices.testPrint');
    expect(fresh.outcome).toMatchObject({ status: 'printed', printerName: 'ラベルプリンター 2番' });
    const jobs = await second.waitForJobs(2, WAIT_MS);
    expect(jobs[1]?.toString('utf8')).toContain(fresh.lpn);
    expect(jobs[1]?.toString('utf8')).toMatch(/^\^XA/);

    // The old printer back with labels: it gets nothing more (the queued label was printed once, on the new one).
    printer.setStatus({ paperOut: false });
    await new Promise((r) => setTimeout(r, 1500));
    expect(printer.jobs.length).toBe(oldJobs);
    expect(second.jobs.filter((j) => j.toString('utf8').includes(waiting.lpn))).toHaveLength(1);

    // The Devices screen and the header's alert follow the new printer: ready, its queue empty, the push says so.
    const now = await waitForAsync('new printer ready', async () => {
      const o = await call<DevicesOverview>('staff', 'devices.status');
      return o.printer?.health?.state === 'ready' && o.devices.find((d) => d.deviceId === 'printer')?.state === 'connected' && o;
    });
    expect(now.printer).toMatchObject({ name: `tcp://127.0.0.1:${second.port}`, floorName: 'ラベルプリンター 2番', language: 'zpl', queue: { pending: 0, uncertain: 0 } });
    expect(now.devices.find((d) => d.deviceId === 'printer')?.label).toBe(`ZPL tcp://127.0.0.1:${second.port}`);
    await waitFor('device.status of the new printer', () =>
      events.find((e) => e.event === 'device.status' && (e.payload as DeviceStatus[]).some((d) => d.deviceId === 'printer' && d.label.endsWith(`:${second.port}`))),
    );
  });

  it('keeps the device list in the file, saves the printer there and audits the change', async () => {
    const saved = JSON.parse(readFileSync(file(), 'utf8')) as { printer?: unknown; devices: Array<{ id: string }> };
    expect(saved.printer).toEqual({ transport: 'tcp', host: '127.0.0.1', port: second.port, language: 'zpl', name: 'ラベルプリンター 2番', timeoutMs: 2000 });
    expect(saved.devices.map((d) => d.id)).toEqual(['scanner-1', 'scale-1', 'rfid-desk', 'rfid-door']);
    expect((await call<{ printer: unknown }>('lead', 'devices.config')).printer).toEqual(saved.printer);
    const db = new Database(join(dir, 'station.sqlite'), { readonly: true });
    try {
      const row = db.prepare("SELECT operator_id AS operatorId, before_json AS before, after_json AS after FROM audit_log WHERE action = 'devices.configurePrinter'").get() as
        | { operatorId: string; before: string; after: string }
        | undefined;
      expect(row?.operatorId).toBe(sample.operators.lead.id);
      expect(JSON.parse(row?.before ?? '{}')).toMatchObject({ printer: { port: printer.port } });
      expect(JSON.parse(row?.after ?? '{}')).toMatchObject({ printer: { port: second.port } });
    } finally {
      db.close();
    }
    // The scanner restarted with the printer's device list: scans still arrive.
    await waitForAsync('scanner connected after the printer change', async () => (await state('scanner-1'))?.state === 'connected');
    await scanner.scan('AFTER-PRINTER', null);
    await waitFor('scan after the printer change', () => events.find((e) => e.event === 'device.scan' && (e.payload as ScanEvent).text === 'AFTER-PRINTER'));
  });
});

describe('devices.configure (last: it changes the bench)', () => {
  it('refuses a bad entry by name, saves a good config into the file (keeping the printer) and restarts the devices', async () => {
    const bad = await raw('lead', 'devices.configure', { devices: [{ id: 'scale-1', driver: 'ad-scale', serial: { baudRate: 2400 } }] });
    expect(bad.ok ? null : bad.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/device 1 \("scale-1"\): serial\.path/) });
    // The same as codes, so the Devices screen names the entry and field in the lead's language.
    expect(bad.ok ? null : bad.error.params).toMatchObject({ entry: 1, deviceId: 'scale-1', field: 'serial.path', problem: 'missing' });
    const slow = await raw('lead', 'devices.configure', { devices: [{ id: 'scale-1', driver: 'ad-scale', serial: { path: '/dev/ttyS9', baudRate: 0 } }] });
    expect(slow.ok ? null : slow.error.params).toMatchObject({ entry: 1, field: 'serial.baudRate', problem: 'moreThan', minimum: 0, given: '0' });
    const twice = await raw('lead', 'devices.configure', {
      devices: [
        { id: 'scale-1', driver: 'ad-scale', serial: { path: '/dev/ttyS9' } },
        { id: 'scanner-9', driver: 'serial-scanner', serial: { path: '/dev/ttyS9' } },
      ],
    });
    expect(twice.ok ? null : twice.error.params).toMatchObject({ entry: 2, deviceId: 'scanner-9', field: 'serial.path', problem: 'portTwice', other: 'scale-1' });

    const current = await call<{ devices: Array<{ id: string }>; file: string }>('lead', 'devices.config');
    expect(current.file).toBe(join(dir, 'bench.json'));
    const keep = current.devices.filter((d) => d.id !== 'rfid-door');
    const after = await call<DevicesOverview>('lead', 'devices.configure', { devices: keep });
    expect(after.devices.map((d) => d.deviceId).sort()).toEqual(['printer', 'rfid-desk', 'scale-1', 'scanner-1']);
    const saved = JSON.parse(readFileSync(current.file, 'utf8')) as { printer?: unknown; devices: Array<{ id: string }> };
    expect(saved.printer).toMatchObject({ transport: 'tcp', port: configuredPrinterPort() });
    expect(saved.devices.map((d) => d.id)).toEqual(['scanner-1', 'scale-1', 'rfid-desk']);
    // The restarted scanner reopens its port and scans flow again.
    await waitForAsync('scanner connected after configure', async () => (await state('scanner-1'))?.state === 'connected');
    await scanner.scan('AFTER-CONFIGURE', null);
    await waitFor('scan after configure', () => events.find((e) => e.event === 'device.scan' && (e.payload as ScanEvent).text === 'AFTER-CONFIGURE'));
  });
});

describe('a printer named by RS_PRINTER', () => {
  it('is shown to the form as set by the environment, and the screen may not replace it', async () => {
    const own = mkdtempSync(join(tmpdir(), 'rs-devices-env-printer-'));
    const envApp = await startDemoApp({ dataDir: own, env: { RS_PRINTER: `tcp://127.0.0.1:${printer.port}` }, demoRmas: 5, log: () => undefined });
    try {
      const ask = (name: string, input: unknown = {}) => envApp.station.handle('lead', name, input);
      expect((await ask('session.signIn', { badge: sample.operators.lead.badge, pin: sample.operators.lead.pin })).ok).toBe(true);
      const view = await ask('devices.config');
      expect(view.ok ? view.value : view.error).toMatchObject({ printerFromEnvironment: true, printer: { transport: 'tcp', port: printer.port } });
      const r = await ask('devices.configurePrinter', { transport: 'none' });
      expect(r.ok ? 'saved' : r.error).toMatchObject({ code: 'CONFLICT', messageKey: 'error.device.printerFromEnvironment' });
      expect(existsSync(join(own, 'devices.json'))).toBe(false);
    } finally {
      await envApp.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('a bad device file', () => {
  it('stops start-up with one sentence naming the entry', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'rs-devices-bad-'));
    try {
      const file = join(bad, 'devices.json');
      writeFileSync(file, JSON.stringify({ devices: [{ id: 'scanner-1', driver: 'serial-scanner', serial: { path: '/dev/ttyACM0' } }, { id: 'scale-1', driver: 'ad-scale', serial: {} }] }));
      await expect(startDemoApp({ dataDir: bad, env: { RS_DEVICES_FILE: file }, demoRmas: 5, log: () => undefined })).rejects.toThrow(
        /^Device file .+devices\.json is not valid: device 2 \("scale-1"\): serial\.path: .+\.$/,
      );
      writeFileSync(file, '{ not json');
      await expect(startDemoApp({ dataDir: bad, env: { RS_DEVICES_FILE: file }, demoRmas: 5, log: () => undefined })).rejects.toThrow(/is not valid JSON/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
