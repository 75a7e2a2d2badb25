// The bench's devices as the station sees them: one set of bench devices (core/ports.ts: scanners, scale, RFID
// readers) plus the label printer, their events forwarded to the renderer, and the Devices
// screen's tests (raw scans, test label, weight, tags). Also weighs a parcel when it is opened.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeviceStatus, PrintOutcome, ScanEvent, TagRead, UnreadableScan, WeightReading } from '../../contract/index.js';
import type {
  BenchDeviceEntry,
  deviceCalls,
  DetectResult,
  DevicesConfigView,
  DevicesOverview,
  PrintQueueCounts,
  PrinterView,
  ReadTagsResult,
  RecentScan,
} from '../../contract/calls/devices.js';
import type { PrintJobRow, printerCalls } from '../../contract/calls/printer.js';
import type { PrinterConfig } from '../../contract/printerConfig.js';
import { decodeEpc } from '../../domain/identifiers/epc.js';
import { matchTagsToLines, type MatchLine } from '../../domain/rfid/matchTags.js';
import type { Db } from '../../db/connection.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { findRmaByNumber, rmaLines } from '../../db/repositories/lookup.js';
import { findParcel } from '../../db/repositories/parcels.js';
import { recordParcelWeight } from '../../db/repositories/parcelWeight.js';
import { latestLabelJob } from '../../db/repositories/printJobs.js';
import { sampleLabel } from '../../contract/label.js';
import type { BenchDevices, BenchDevicesPort, BenchPrinter } from '../ports.js';
import { deviceIssueParams } from './deviceIssues.js';
import type { CallsOf, HandlersFor } from './dispatch.js';
import { StationError } from './errors.js';
import type { SignedInOperator } from './session.js';

export interface DeviceEvents {
  scan(scan: ScanEvent): void;
  status(all: DeviceStatus[]): void;
  tag(read: TagRead): void;
  weight(reading: WeightReading): void;
  unreadable(scan: UnreadableScan): void;
  /** The bench printer was replaced (devices.configurePrinter). */
  printer?(config: PrinterConfig): void;
}

export interface DeviceServiceDeps {
  db: Db;
  stationId: string;
  /** The bench printer; null when it is not the station's own (tests replace the label output). */
  printer: BenchPrinter | null;
  /** Device entries from StationConfig.devices. */
  devices: readonly BenchDeviceEntry[];
  /** Where devices.configure saves (RS_DEVICES_FILE or <dataDir>/devices.json); null: not saved. */
  configFile: string | null;
  /** The printer the station started with (StationConfig.printer). */
  printerConfig: PrinterConfig;
  /** RS_PRINTER names the printer: the next start would take it over the file, so the screen may not change it. */
  printerFromEnvironment?: boolean;
  /** Checks and opens device lists (app/ supplies the drivers, tests fakes). */
  bench: BenchDevicesPort;
  events: DeviceEvents;
  log: (msg: string, err?: unknown) => void;
  now?: () => number;
}

/** A stable reading younger than this counts as "the parcel on the scale now". */
const FRESH_WEIGHT_MS = 5000;
const PARCEL_WEIGH_TIMEOUT_MS = 1500;

const CONTROL_NAMES: Record<number, string> = {
  0: 'NUL', 2: 'STX', 3: 'ETX', 4: 'EOT', 9: 'TAB', 10: 'LF', 13: 'CR', 27: 'ESC', 28: 'FS', 29: 'GS', 30: 'RS', 31: 'US', 127: 'DEL',
};

/** Shows what a scanner really sent: control bytes become <GS>, <CR>, <0x01>. */
export function visibleBytes(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || c === 0x7f) out += `<${CONTROL_NAMES[c] ?? `0x${c.toString(16).padStart(2, '0').toUpperCase()}`}>`;
    else out += ch;
  }
  return out;
}

function deviceError(messageKey: string, message: string, params: Record<string, string | number> = {}): StationError {
  return new StationError('DEVICE', messageKey, message, params);
}

function readJsonObject(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class DeviceService {
  private manager: BenchDevices;
  private entries: BenchDeviceEntry[];
  private printerConfig: PrinterConfig;
  private readonly now: () => number;
  private offs: Array<() => void> = [];
  private closed = false;

  /** Throws (with a sentence naming the bad entry) when the device config is invalid. */
  constructor(private readonly deps: DeviceServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.entries = [...deps.devices];
    this.printerConfig = deps.printerConfig;
    const checked = deps.bench.check(this.entries);
    if (!checked.ok) throw new Error(`Device config is not valid: ${checked.message}`);
    this.manager = this.build(this.entries);
  }

  start(): void {
    this.manager.start();
  }

  // --- the Devices screen ---

  overview(): DevicesOverview {
    return { devices: this.manager.statuses(), printer: this.printerView() };
  }

  recentScans(deviceId?: string): { scans: RecentScan[] } {
    const scans: RecentScan[] = [];
    for (const status of this.manager.statuses()) {
      if (status.kind !== 'scanner' || (deviceId !== undefined && status.deviceId !== deviceId)) continue;
      for (const s of this.manager.recentScans(status.deviceId)) {
        scans.push({
          deviceId: status.deviceId,
          text: s.text,
          visible: `${s.aim ?? ''}${visibleBytes(s.text)}`,
          symbology: s.symbology,
          aim: s.aim,
          gs1: s.gs1,
          source: s.source,
          at: s.at,
        });
      }
    }
    return { scans: scans.sort((a, b) => b.at - a.at) };
  }

  async detect(): Promise<DetectResult> {
    const found = await this.manager.detect();
    const usedBy = new Map<string, string>();
    for (const d of this.manager.config.devices) if (d.serial) usedBy.set(d.serial.path, d.id);
    return {
      serialPorts: found.serialPorts.map((p) => {
        const user = usedBy.get(p.path) ?? (p.byId ? usedBy.get(p.byId) : undefined);
        return { ...p, ...(user ? { usedBy: user } : {}) };
      }),
      hidPosScanners: found.hidPosScanners.map((h) => {
        const out: DetectResult['hidPosScanners'][number] = { path: h.path, vendorId: h.vendorId, productId: h.productId };
        if (h.product) out.product = h.product;
        if (h.manufacturer) out.manufacturer = h.manufacturer;
        if (h.serialNumber) out.serialNumber = h.serialNumber;
        return out;
      }),
      warnings: found.warnings,
    };
  }

  async testPrint(op: SignedInOperator, language: 'ja' | 'en' = 'ja'): Promise<{ lpn: string; outcome: PrintOutcome }> {
    const printer = this.requirePrinter();
    // A fresh LPN each time: the queue prints a given LPN once unless someone asks for a reprint.
    const lpn = `TEST-${this.now().toString(36).toUpperCase()}`;
    // In the floor's language, as item labels are: a Japanese bench sees its Kanji font print the disposition and destination.
    const outcome = await printer.print(sampleLabel({ lpn, language, stationId: this.deps.stationId, printedAt: new Date(this.now()).toISOString() }));
    appendAudit(this.deps.db, { operatorId: op.id, action: 'device.testPrint', entity: `printer:${printer.name}`, after: { lpn, status: outcome.status } });
    this.deps.bench.refreshPrinter();
    return { lpn, outcome };
  }

  /** One stable reading: a fresh stable one already seen, else asks the scale until one comes. */
  async readWeight(deviceId: string | undefined, timeoutMs: number): Promise<WeightReading> {
    const scaleId = this.scaleId(deviceId);
    const last = this.manager.lastWeight(scaleId);
    if (last && last.stable && !last.overload && this.now() - last.at <= FRESH_WEIGHT_MS) return last;
    const reading = await this.nextStableWeight(scaleId, timeoutMs);
    if (!reading) {
      throw deviceError('error.device.noStableWeight', `The scale gave no stable reading within ${Math.round(timeoutMs / 100) / 10} s. Let the parcel settle and try again.`, {
        deviceId: scaleId,
      });
    }
    return reading;
  }

  async readTags(input: { durationMs: number; parcelId?: string | undefined; deviceId?: string | undefined }): Promise<ReadTagsResult> {
    if (!this.manager.has('rfid')) throw deviceError('error.device.noRfid', 'No RFID reader is configured on this bench.');
    if (input.deviceId !== undefined && this.manager.driver(input.deviceId)?.kind !== 'rfid') {
      throw deviceError('error.device.unknown', `There is no RFID reader "${input.deviceId}" on this bench.`, { deviceId: input.deviceId });
    }
    // Look the parcel up first: a wrong id should not cost the operator a full read.
    const lines = input.parcelId !== undefined ? this.parcelLines(input.parcelId) : null;
    const read = await this.manager.collectTags(input.durationMs, input.deviceId);
    const result: ReadTagsResult = {
      startedAt: read.startedAt,
      endedAt: read.endedAt,
      totalReads: read.totalReads,
      truncated: read.truncated,
      tags: read.tags.map((t) => {
        const decoded = decodeEpc(t.epcHex);
        return {
          epcHex: t.epcHex,
          reads: t.reads,
          antennas: t.antennas,
          ...(t.bestRssi !== undefined ? { bestRssi: t.bestRssi } : {}),
          deviceIds: read.deviceIdsByEpc.get(t.epcHex) ?? [],
          scheme: decoded.ok ? decoded.scheme : null,
          gtin: decoded.ok ? (decoded.gtin ?? null) : null,
          serial: decoded.ok ? (decoded.serial ?? null) : null,
          error: decoded.ok ? null : decoded.error,
        };
      }),
    };
    if (lines) result.match = matchTagsToLines(read.tags, lines);
    return result;
  }

  config(): DevicesConfigView {
    return { devices: this.entries, file: this.deps.configFile, printer: this.printerConfig, printerFromEnvironment: this.deps.printerFromEnvironment === true };
  }

  /** Validates, saves and swaps in the new device set; the old devices are closed first (they hold the ports). */
  async configure(op: SignedInOperator, devices: readonly BenchDeviceEntry[]): Promise<DevicesOverview> {
    const checked = this.deps.bench.check(devices);
    if (!checked.ok) {
      const params = checked.issue ? deviceIssueParams(checked.issue, devices) : {};
      throw new StationError('INVALID_INPUT', 'error.device.badConfig', `The device config is not valid: ${checked.message}`, { ...params, detail: checked.message });
    }
    this.save('devices', devices);
    const before = this.entries;
    this.entries = [...devices];
    await this.restart();
    appendAudit(this.deps.db, { operatorId: op.id, action: 'devices.configure', entity: `station:${this.deps.stationId}`, before: { devices: before }, after: { devices } });
    this.deps.events.status(this.manager.statuses());
    return this.overview();
  }

  /**
   * Saves the label printer (already checked against PrinterConfig by the dispatcher) and puts it in place of the
   * running one; the device list restarts so the printer's status is the new printer's.
   */
  async configurePrinter(op: SignedInOperator, printer: PrinterConfig): Promise<DevicesOverview> {
    if (this.deps.printerFromEnvironment) {
      throw new StationError('CONFLICT', 'error.device.printerFromEnvironment', "The printer is set by RS_PRINTER in the station's environment; change it there.");
    }
    // Tests' stations print through a label output of their own: there is no bench printer to replace.
    if (!this.deps.printer) throw deviceError('error.device.noPrinter', 'No label printer is configured for this bench.');
    this.save('printer', printer);
    const before = this.printerConfig;
    await this.deps.bench.replacePrinter(printer);
    this.printerConfig = printer;
    await this.restart();
    appendAudit(this.deps.db, { operatorId: op.id, action: 'devices.configurePrinter', entity: `station:${this.deps.stationId}`, before: { printer: before }, after: { printer } });
    this.deps.events.printer?.(printer);
    this.deps.events.status(this.manager.statuses());
    return this.overview();
  }

  printerJobs(): { jobs: PrintJobRow[]; queue: PrintQueueCounts } {
    const printer = this.deps.printer;
    if (!printer) return { jobs: [], queue: { pending: 0, uncertain: 0, lastError: null, lastErrorKey: null, lastErrorParams: null, nextAttemptAt: null } };
    const jobs = printer.jobs().map((j) => ({
      id: j.id,
      lpn: j.id.startsWith('label:') ? j.id.slice('label:'.length) : null,
      description: j.description,
      state: j.state,
      attempts: j.attempts,
      lastError: j.lastError,
      lastErrorKey: j.lastErrorKey,
      lastErrorParams: j.lastErrorParams,
      nextAttemptAt: j.nextAttemptAt,
      createdAt: j.createdAt,
    }));
    return { jobs, queue: this.queueCounts(printer) };
  }

  /** An operator asks for an item's label again; audited with who asked and what happened. */
  async reprint(op: SignedInOperator, lpn: string): Promise<PrintOutcome> {
    const printer = this.requirePrinter();
    // The item's newest label: after a re-route at the site hub, the one with the new disposition.
    const job = latestLabelJob(this.deps.db, lpn.toUpperCase());
    if (!job) {
      throw new StationError('NOT_FOUND', 'error.device.noLabel', `No label for ${lpn} was printed at this bench.`, { lpn });
    }
    const outcome = await printer.reprint(job.id);
    appendAudit(this.deps.db, { operatorId: op.id, action: 'label.reprint', entity: `label:${lpn.toUpperCase()}`, after: outcome });
    return outcome;
  }

  // --- intake ---

  /**
   * Called when a parcel is opened: keeps the scale's fresh stable weight with it, or asks the
   * scale once (short timeout) and keeps the answer when it comes. Never throws; no scale, no weight.
   */
  weighParcel(parcelId: string): void {
    if (!this.manager.has('scale')) return;
    const at = (): string => new Date(this.now()).toISOString();
    const last = this.manager.lastWeight();
    if (last && last.stable && !last.overload && last.grams !== null && this.now() - last.at <= FRESH_WEIGHT_MS) {
      recordParcelWeight(this.deps.db, parcelId, last.grams, at());
      return;
    }
    void this.nextStableWeight(undefined, PARCEL_WEIGH_TIMEOUT_MS)
      .then((r) => {
        if (r && r.grams !== null && !this.closed) recordParcelWeight(this.deps.db, parcelId, r.grams, at());
      })
      .catch((e: unknown) => this.deps.log(`weighing parcel ${parcelId} failed`, e));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.teardown();
  }

  // --- internals ---

  private build(devices: readonly BenchDeviceEntry[]): BenchDevices {
    const manager = this.deps.bench.open(devices);
    const ev = this.deps.events;
    this.offs = [
      manager.onScan((s) => ev.scan(s)),
      manager.onTag((t) => ev.tag(t)),
      manager.onWeight((w) => ev.weight(w)),
      manager.onStatus(() => ev.status(manager.statuses())),
      manager.onProblem((p) => {
        this.deps.log(`device ${p.deviceId}: ${p.message}`);
        // A scanner's problems are scans it could not read (drivers throttle them to about one a second).
        const driver = manager.driver(p.deviceId);
        if (driver?.kind === 'scanner') ev.unreadable({ deviceId: p.deviceId, label: driver.label });
      }),
    ];
    return manager;
  }

  /** One key of the devices file, written whole and renamed into place; what else the file says is kept. */
  private save(key: 'devices' | 'printer', value: unknown): void {
    const file = this.deps.configFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ ...readJsonObject(file), [key]: value }, null, 2)}\n`, { mode: 0o644 });
    renameSync(tmp, file);
  }

  /** The old devices are closed first: they hold the ports the new ones open. */
  private async restart(): Promise<void> {
    await this.teardown();
    this.manager = this.build(this.entries);
    this.manager.start();
  }

  private async teardown(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    await this.manager.dispose();
  }

  private requirePrinter(): BenchPrinter {
    const printer = this.deps.printer;
    if (!printer || printer.name === 'none') throw deviceError('error.device.noPrinter', 'No label printer is configured for this bench.');
    return printer;
  }

  private printerView(): PrinterView | null {
    const printer = this.deps.printer;
    if (!printer || printer.name === 'none') return null;
    const s = printer.lastStatus();
    const floorName = this.printerConfig.transport === 'none' ? undefined : this.printerConfig.name;
    return {
      name: printer.name,
      ...(floorName ? { floorName } : {}),
      language: printer.language,
      health: s
        ? {
            state: s.state,
            paperOut: s.paperOut,
            headOpen: s.headOpen,
            paused: s.paused,
            ribbonOut: s.ribbonOut,
            message: s.message,
            messageKey: s.messageKey,
            messageParams: s.messageParams,
            checkedAt: s.checkedAt,
          }
        : null,
      queue: this.queueCounts(printer),
    };
  }

  private queueCounts(printer: BenchPrinter): PrintQueueCounts {
    const q = printer.queueStatus();
    return { pending: q.pending, uncertain: q.uncertain, lastError: q.lastError, lastErrorKey: q.lastErrorKey, lastErrorParams: q.lastErrorParams, nextAttemptAt: q.nextAttemptAt };
  }

  private scaleId(deviceId: string | undefined): string {
    const scales = this.manager.statuses().filter((s) => s.kind === 'scale');
    const scale = deviceId === undefined ? scales[0] : scales.find((s) => s.deviceId === deviceId);
    if (!scale) {
      throw deviceError(
        deviceId === undefined ? 'error.device.noScale' : 'error.device.unknown',
        deviceId === undefined ? 'No scale is configured on this bench.' : `There is no scale "${deviceId}" on this bench.`,
        deviceId === undefined ? {} : { deviceId },
      );
    }
    return scale.deviceId;
  }

  /**
   * Waits for the scale's next stable reading, asking it every half second (scales in command
   * mode only answer when asked; streaming scales ignore the extra questions). Null on timeout.
   */
  private nextStableWeight(scaleId: string | undefined, timeoutMs: number): Promise<WeightReading | null> {
    return new Promise((resolve) => {
      let done = false;
      let asker: NodeJS.Timeout | null = null;
      const finish = (r: WeightReading | null): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (asker) clearTimeout(asker);
        off();
        resolve(r);
      };
      const off = this.manager.onWeight((r, id) => {
        if ((scaleId === undefined || id === scaleId) && r.stable && !r.overload && r.grams !== null) finish(r);
      });
      const timer = setTimeout(() => finish(null), timeoutMs);
      const ask = (): void => {
        if (done) return;
        // The reading arrives through onWeight as well; a failed request just waits for the next.
        this.manager.requestWeight(scaleId, Math.min(1000, timeoutMs)).catch(() => undefined);
        asker = setTimeout(ask, 500);
      };
      ask();
    });
  }

  private parcelLines(parcelId: string): MatchLine[] {
    const parcel = findParcel(this.deps.db, parcelId);
    if (!parcel) throw new StationError('NOT_FOUND', 'error.noParcel', 'That parcel is not open at this bench.');
    if (!parcel.rmaNumber || !findRmaByNumber(this.deps.db, parcel.rmaNumber)) return [];
    return rmaLines(this.deps.db, parcel.rmaNumber)
      .filter((l) => /^\d{8,14}$/.test(l.gtin))
      .map((l) => ({ lineId: l.id, gtin: l.gtin, expectedQty: l.qty }));
  }
}

const operator = (op: SignedInOperator | null): SignedInOperator => {
  if (!op) throw new StationError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.');
  return op;
};

/** A driver's own failure reaches the operator as a device error with its words, never as an internal one. */
const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (e) {
    if (e instanceof StationError) throw e;
    throw deviceError('error.device.failed', messageOf(e));
  }
};

/** The contract's device calls, bound to the service. */
export function deviceHandlers(devices: DeviceService): HandlersFor<CallsOf<typeof deviceCalls>> {
  return {
    'devices.status': () => devices.overview(),
    'devices.recentScans': (_ctx, input) => devices.recentScans(input.deviceId),
    'devices.detect': () => wrap(() => devices.detect()),
    'devices.testPrint': (ctx, input) => wrap(() => devices.testPrint(operator(ctx.operator), input.language)),
    'devices.readWeight': (_ctx, input) => wrap(() => devices.readWeight(input.deviceId, input.timeoutMs)),
    'devices.readTags': (_ctx, input) => wrap(() => devices.readTags(input)),
    'devices.config': () => devices.config(),
    'devices.configure': (ctx, input) => devices.configure(operator(ctx.operator), input.devices),
    'devices.configurePrinter': (ctx, input) => wrap(() => devices.configurePrinter(operator(ctx.operator), input)),
  };
}

/** printer.*: the bench printer belongs to the device service (its status is one of the devices). */
export function printerHandlers(devices: DeviceService): HandlersFor<CallsOf<typeof printerCalls>> {
  return {
    'printer.jobs': () => devices.printerJobs(),
    'printer.reprint': (ctx, input) => wrap(() => devices.reprint(operator(ctx.operator), input.lpn)),
  };
}
