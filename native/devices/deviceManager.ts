// Starts the drivers a bench's config names, and gives core one place to hear every scan,
// weight, status change and device problem. Drivers get their transports from factories, so
// tests (and simulators) replace the hardware without touching the drivers.
import type { DeviceKind, DeviceStatus, ScanEvent, TagRead, WeightReading } from '../../contract/index.js';
import { ChafonReader } from '../rfid/chafon.js';
import { LineReader } from '../rfid/lineReader.js';
import { LlrpReader, type LlrpReaderOptions } from '../rfid/llrp/client.js';
import { collectParcel, type ParcelRead, type RfidReader } from '../rfid/tagReads.js';
import { AdScale } from '../scale/adScale.js';
import { HidPosScanner, loadNodeHid, usbHotplugSource, type HidApiLike, type HotplugSource } from '../scanners/hidPos.js';
import { SerialScanner } from '../scanners/serialScanner.js';
import { SerialTransport, type ByteTransport, type SerialSettings } from '../transports/serial.js';
import { BenchDevicesConfig, type BenchDevicesConfigInput, type DeviceConfig } from './config.js';
import { detectDevices, type DetectedDevices, type DetectOptions } from './detect.js';
import { Listeners, type DeviceDriver, type DriverStatus, type ScaleDriver, type ScannerDriver } from './driver.js';
import { RfidDevice, type RfidDriver } from './rfidDevice.js';

export interface DeviceProblem {
  deviceId: string;
  message: string;
  at: number;
}

export type DeviceEvent =
  | { type: 'scan'; deviceId: string; scan: ScanEvent }
  | { type: 'weight'; deviceId: string; reading: WeightReading }
  | { type: 'tag'; deviceId: string; read: TagRead }
  | { type: 'status'; status: DeviceStatus }
  | { type: 'problem'; problem: DeviceProblem };

export interface DeviceManagerDeps {
  /** Builds the transport of a serial device (default: a reconnecting SerialTransport). */
  serialTransport?: (settings: SerialSettings, deviceId: string) => ByteTransport;
  /** HID API for HID-POS scanners (default: node-hid, loaded on first use). */
  hidApi?: HidApiLike | (() => Promise<HidApiLike>);
  /** Hot-plug events for HID-POS (default: the `usb` package; null: polling only). */
  hotplug?: HotplugSource | null | (() => Promise<HotplugSource | null>);
  detect?: DetectOptions;
  /** Builds an LLRP reader (default: LlrpReader over TCP). */
  llrpReader?: (options: LlrpReaderOptions, deviceId: string) => RfidReader;
  now?: () => number;
}

const RECENT_SCANS = 20;

function isScanner(d: DeviceDriver): d is ScannerDriver {
  return d.kind === 'scanner' && 'onScan' in d;
}
function isScale(d: DeviceDriver): d is ScaleDriver {
  return d.kind === 'scale' && 'onWeight' in d;
}
function isRfid(d: DeviceDriver): d is RfidDriver {
  return d.kind === 'rfid' && 'onTag' in d && 'onRead' in d;
}

/** Tags of one collection, with the readers that saw each. */
export interface CollectedTags extends ParcelRead {
  deviceIdsByEpc: Map<string, string[]>;
}

export class DeviceManager {
  readonly config: BenchDevicesConfig;
  private readonly drivers = new Map<string, DeviceDriver>();
  private readonly offs: Array<() => void> = [];
  private readonly events = new Listeners<DeviceEvent>();
  private readonly recent = new Map<string, ScanEvent[]>();
  private readonly weights = new Map<string, WeightReading>();
  private readonly now: () => number;
  private started = false;
  private hotplugShared: Promise<HotplugSource | null> | null = null;

  /** Throws a ZodError naming the bad entry when the config is invalid. */
  constructor(
    config: BenchDevicesConfigInput,
    private readonly deps: DeviceManagerDeps = {},
  ) {
    this.config = BenchDevicesConfig.parse(config);
    this.now = deps.now ?? Date.now;
    for (const d of this.config.devices) {
      if (d.enabled) this.register(this.build(d));
    }
  }

  /** Adds a driver built elsewhere (RFID readers, printers with status) to the same streams. */
  add(driver: DeviceDriver): void {
    if (this.drivers.has(driver.id)) throw new Error(`device id "${driver.id}" is already registered`);
    this.register(driver);
    if (this.started) driver.start();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const d of this.drivers.values()) d.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.drivers.values()].map((d) => d.stop().catch(() => undefined)));
  }

  /** Stops and unsubscribes everything; the manager cannot be started again. */
  async dispose(): Promise<void> {
    await this.stop();
    for (const off of this.offs) off();
    this.events.clear();
  }

  driver(id: string): DeviceDriver | undefined {
    return this.drivers.get(id);
  }

  statuses(): DeviceStatus[] {
    return [...this.drivers.values()].map((d) => this.toStatus(d, d.status()));
  }

  /** Newest first, at most 20 per device (the Devices screen's "last raw scans"). */
  recentScans(deviceId?: string): ScanEvent[] {
    const all = deviceId ? (this.recent.get(deviceId) ?? []) : [...this.recent.values()].flat();
    return [...all].sort((a, b) => b.at - a.at);
  }

  lastWeight(deviceId?: string): WeightReading | undefined {
    if (deviceId) return this.weights.get(deviceId);
    return [...this.weights.values()].sort((a, b) => b.at - a.at)[0];
  }

  /** True when at least one scale (or RFID reader) is configured. */
  has(kind: DeviceKind): boolean {
    return [...this.drivers.values()].some((d) => d.kind === kind);
  }

  /**
   * Collects every tag the RFID readers (all, or `deviceId`) see for `durationMs`: one entry per
   * EPC with its read count, antennas and strongest RSSI. Rejects when there is no such reader.
   */
  collectTags(durationMs: number, deviceId?: string): Promise<CollectedTags> {
    const readers = [...this.drivers.values()].filter(isRfid).filter((r) => deviceId === undefined || r.id === deviceId);
    if (readers.length === 0) {
      return Promise.reject(new Error(deviceId ? `no RFID reader "${deviceId}" on this bench` : 'no RFID reader is configured on this bench'));
    }
    const deviceIdsByEpc = new Map<string, string[]>();
    const source = {
      onRead: (listener: (read: TagRead) => void): (() => void) => {
        const offs = readers.map((r) =>
          r.onRead((read) => {
            const ids = deviceIdsByEpc.get(read.epcHex) ?? [];
            if (!ids.includes(r.id)) ids.push(r.id);
            deviceIdsByEpc.set(read.epcHex, ids);
            listener(read);
          }),
        );
        return () => offs.forEach((off) => off());
      },
    };
    return collectParcel(source, { durationMs, now: this.now }).then((read) => ({ ...read, deviceIdsByEpc }));
  }

  /** Asks a scale (the only one, or `deviceId`) for a reading. */
  requestWeight(deviceId?: string, timeoutMs?: number): Promise<WeightReading> {
    const scales = [...this.drivers.values()].filter(isScale);
    const scale = deviceId ? scales.find((s) => s.id === deviceId) : scales[0];
    if (!scale) return Promise.reject(new Error(deviceId ? `no scale "${deviceId}" on this bench` : 'no scale is configured on this bench'));
    return scale.requestWeight(timeoutMs);
  }

  detect(): Promise<DetectedDevices> {
    const opts: DetectOptions = { ...this.deps.detect };
    if (this.deps.hidApi && !opts.hidApi) opts.hidApi = this.deps.hidApi;
    return detectDevices(opts);
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    return this.events.add(listener);
  }
  onScan(listener: (scan: ScanEvent, deviceId: string) => void): () => void {
    return this.events.add((e) => e.type === 'scan' && listener(e.scan, e.deviceId));
  }
  onWeight(listener: (reading: WeightReading, deviceId: string) => void): () => void {
    return this.events.add((e) => e.type === 'weight' && listener(e.reading, e.deviceId));
  }
  /** New tags (deduplicated per reader). */
  onTag(listener: (read: TagRead, deviceId: string) => void): () => void {
    return this.events.add((e) => e.type === 'tag' && listener(e.read, e.deviceId));
  }
  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.events.add((e) => e.type === 'status' && listener(e.status));
  }
  onProblem(listener: (problem: DeviceProblem) => void): () => void {
    return this.events.add((e) => e.type === 'problem' && listener(e.problem));
  }

  private toStatus(d: DeviceDriver, s: DriverStatus): DeviceStatus {
    const out: DeviceStatus = { deviceId: d.id, kind: d.kind as DeviceKind, label: d.label, state: s.state, since: s.since };
    if (s.reason !== undefined) out.reason = s.reason;
    if (s.reason !== undefined && s.code !== undefined) {
      out.reasonCode = s.code;
      if (s.params) out.reasonParams = s.params;
    }
    return out;
  }

  private register(driver: DeviceDriver): void {
    this.drivers.set(driver.id, driver);
    this.offs.push(
      driver.onStatus((s) => this.events.emit({ type: 'status', status: this.toStatus(driver, s) })),
      driver.onProblem((message) => this.events.emit({ type: 'problem', problem: { deviceId: driver.id, message, at: this.now() } })),
    );
    if (isScanner(driver)) {
      this.offs.push(
        driver.onScan((scan) => {
          const list = this.recent.get(driver.id) ?? [];
          list.unshift(scan);
          list.length = Math.min(list.length, RECENT_SCANS);
          this.recent.set(driver.id, list);
          this.events.emit({ type: 'scan', deviceId: driver.id, scan });
        }),
      );
    }
    if (isRfid(driver)) {
      this.offs.push(driver.onTag((read) => this.events.emit({ type: 'tag', deviceId: driver.id, read })));
    }
    if (isScale(driver)) {
      this.offs.push(
        driver.onWeight((reading) => {
          this.weights.set(driver.id, reading);
          this.events.emit({ type: 'weight', deviceId: driver.id, reading });
        }),
      );
    }
  }

  private serialTransport(settings: SerialSettings, id: string): ByteTransport {
    return this.deps.serialTransport ? this.deps.serialTransport(settings, id) : new SerialTransport(settings);
  }

  private hotplug(): Promise<HotplugSource | null> {
    const h = this.deps.hotplug;
    if (h === null) return Promise.resolve(null);
    if (h && typeof h !== 'function') return Promise.resolve(h);
    this.hotplugShared ??= (h ?? usbHotplugSource)();
    return this.hotplugShared;
  }

  private build(d: DeviceConfig): DeviceDriver {
    switch (d.driver) {
      case 'serial-scanner':
        return new SerialScanner(d.id, this.serialTransport(d.serial, d.id), d.scanner, this.now);
      case 'ad-scale':
        return new AdScale(d.id, this.serialTransport(d.serial, d.id), d.scale, this.now);
      case 'chafon-rfid': {
        const transport = this.serialTransport(d.serial, d.id);
        const reader = new ChafonReader({ transport, dialect: d.rfid.dialect, adr: d.rfid.adr, pollIntervalMs: d.rfid.pollIntervalMs, now: this.now });
        return new RfidDevice(d.id, d.serial.path, reader, { dedupeWindowMs: d.rfid.dedupeWindowMs, now: this.now });
      }
      case 'line-rfid': {
        const reader = new LineReader({ transport: this.serialTransport(d.serial, d.id), now: this.now });
        return new RfidDevice(d.id, d.serial.path, reader, { dedupeWindowMs: d.rfid.dedupeWindowMs, now: this.now });
      }
      case 'llrp-rfid': {
        const options: LlrpReaderOptions = { host: d.llrp.host, port: d.llrp.port, keepaliveMs: d.llrp.keepaliveMs, now: this.now };
        if (d.llrp.antennas && d.llrp.antennas.length > 0) options.antennas = d.llrp.antennas;
        const reader = this.deps.llrpReader ? this.deps.llrpReader(options, d.id) : new LlrpReader(options);
        return new RfidDevice(d.id, `llrp://${d.llrp.host}:${d.llrp.port}`, reader, { dedupeWindowMs: d.rfid.dedupeWindowMs, now: this.now });
      }
      case 'hidpos-scanner': {
        const hidApi = this.deps.hidApi ?? loadNodeHid;
        // Hot-plug is optional: the driver polls enumeration whether or not events arrive.
        const hotplugReady = this.hotplug();
        const hotplug: HotplugSource = {
          subscribe: (onChange) => {
            let off: (() => void) | null = null;
            let cancelled = false;
            void hotplugReady.then((src) => {
              if (!cancelled && src) off = src.subscribe(onChange);
            });
            return () => {
              cancelled = true;
              off?.();
            };
          },
        };
        return new HidPosScanner(d.id, { api: hidApi, settings: d.hidpos, hotplug, now: this.now });
      }
    }
  }
}
