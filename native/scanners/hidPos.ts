// USB HID-POS barcode scanners (HID usage page 0x8C, "Bar Code Scanner"). Faster and safer than
// keyboard wedge: the scan arrives as a report, never as keystrokes into a focused field.
//
// Scanned-data input report (report ID 2) as Honeywell, Zebra and Datalogic scanners send it in
// "HID POS" mode, 64 bytes with the report ID first (as node-hid hands it over):
//   [0]      report ID 0x02
//   [1]      number of data bytes in this report (0…56)
//   [2..4]   AIM symbology identifier, e.g. "]C1" (zeros when the scanner sends none)
//   [5..60]  decoded data, zero padded
//   [61..62] vendor symbology code / reserved
//   [63]     "decoded data continued": 1 = more reports follow for this scan, 0 = last one
// A scan longer than 56 bytes (a 2D code) comes as several reports that must be joined.
import { constants as fsConstants, accessSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ScanEvent } from '../../contract/index.js';
import { Listeners, ProblemThrottle, type DriverStatus, type ScannerDriver } from '../devices/driver.js';
import { ScanEncoding, scanFromBytes } from './scanText.js';

export const HID_POS_USAGE_PAGE = 0x8c;

/** What node-hid's Device record carries (the fields used here). */
export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  product?: string | undefined;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
}

/** The slice of node-hid's HID object the driver uses; tests feed recorded reports through it. */
export interface HidDeviceLike {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(): unknown;
  close(): void;
}

export interface HidApiLike {
  devices(): HidDeviceInfo[];
  /** Throws when the device cannot be opened. */
  open(path: string): HidDeviceLike;
}

/** Loads the real node-hid lazily, so nothing that only parses reports touches the native module. */
export async function loadNodeHid(): Promise<HidApiLike> {
  // node-hid is CommonJS: its exports sit on `default` under ESM.
  const hid = (await import('node-hid')).default;
  return {
    devices: () => hid.devices(),
    open: (path) => new hid.HID(path) as unknown as HidDeviceLike,
  };
}

export function findHidPosDevices(api: HidApiLike): HidDeviceInfo[] {
  return api.devices().filter((d) => d.usagePage === HID_POS_USAGE_PAGE && typeof d.path === 'string');
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** "hidpos:0c2e:0b8f" (plus serial when known): stable across replugs, unlike the hidraw path. */
export function hidPosSource(d: HidDeviceInfo): string {
  return `hidpos:${hex4(d.vendorId)}:${hex4(d.productId)}${d.serialNumber ? `:${d.serialNumber}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Report parsing (pure)

export interface HidPosReportLayout {
  reportId: number;
  lengthOffset: number;
  aimOffset: number;
  dataOffset: number;
  dataCapacity: number;
  moreFlagOffset: number;
}

export const HID_POS_LAYOUT: HidPosReportLayout = {
  reportId: 0x02,
  lengthOffset: 1,
  aimOffset: 2,
  dataOffset: 5,
  dataCapacity: 56,
  moreFlagOffset: 63,
};

export type ScanReport =
  | { kind: 'part'; aim: string | null; data: Buffer; more: boolean }
  /** Another report (status, attributes…): not a scan. */
  | { kind: 'other'; reportId: number }
  | { kind: 'malformed'; problem: string };

export function parseScanReport(report: Buffer, layout: HidPosReportLayout = HID_POS_LAYOUT): ScanReport {
  if (report.length === 0) return { kind: 'malformed', problem: 'empty HID report' };
  const id = report[0] ?? 0;
  if (id !== layout.reportId) return { kind: 'other', reportId: id };
  if (report.length <= layout.moreFlagOffset) {
    return { kind: 'malformed', problem: `scan report too short: ${report.length} bytes, expected ${layout.moreFlagOffset + 1}` };
  }
  const length = report[layout.lengthOffset] ?? 0;
  if (length > layout.dataCapacity) {
    return { kind: 'malformed', problem: `scan report says ${length} data bytes, but a report holds at most ${layout.dataCapacity}` };
  }
  const aimBytes = report.subarray(layout.aimOffset, layout.aimOffset + 3);
  const aimText = aimBytes.toString('latin1');
  const aim = /^\][A-Za-z][0-9A-Za-z]$/.test(aimText) ? aimText : null;
  const data = Buffer.from(report.subarray(layout.dataOffset, layout.dataOffset + length));
  const flag = report[layout.moreFlagOffset] ?? 0;
  return { kind: 'part', aim, data, more: (flag & 0x01) === 0x01 };
}

/** Joins the reports of one scan. Bounded: a device that never sends the last report cannot grow memory. */
export class HidPosAssembler {
  private parts: Buffer[] = [];
  private size = 0;
  private aim: string | null = null;

  constructor(
    private readonly maxScanBytes = 8192,
    private readonly layout: HidPosReportLayout = HID_POS_LAYOUT,
  ) {}

  /** Returns the whole scan (AIM prefix + data) once its last report arrived. */
  push(
    report: Buffer,
  ): { kind: 'scan'; bytes: Buffer; cut?: string } | { kind: 'pending' } | { kind: 'ignored' } | { kind: 'problem'; problem: string } {
    const r = parseScanReport(report, this.layout);
    if (r.kind === 'other') return { kind: 'ignored' };
    if (r.kind === 'malformed') {
      this.reset();
      return { kind: 'problem', problem: r.problem };
    }
    let cut: string | null = null;
    if (this.parts.length > 0 && r.aim !== this.aim) {
      // A new symbology in the middle of a multi-report scan: the previous one lost its end.
      cut = 'a multi-report scan was cut short (its last report never came) and was dropped';
      this.reset();
    }
    if (this.parts.length === 0) this.aim = r.aim;
    this.size += r.data.length;
    if (this.size > this.maxScanBytes) {
      this.reset();
      return { kind: 'problem', problem: `device is misbehaving: a scan grew past ${this.maxScanBytes} bytes without its last report; dropped` };
    }
    this.parts.push(r.data);
    if (r.more) return cut ? { kind: 'problem', problem: cut } : { kind: 'pending' };
    const bytes = Buffer.concat([Buffer.from(this.aim ?? '', 'latin1'), ...this.parts]);
    this.reset();
    // The new scan is whole even when the one before it was cut.
    return cut ? { kind: 'scan', bytes, cut } : { kind: 'scan', bytes };
  }

  reset(): void {
    this.parts = [];
    this.size = 0;
    this.aim = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Hot-plug

/** Calls `onChange` when USB devices come or go. */
export interface HotplugSource {
  subscribe(onChange: () => void): () => void;
}

/** Hot-plug through the `usb` package; null when it cannot load or listen here (then: polling). */
export async function usbHotplugSource(): Promise<HotplugSource | null> {
  try {
    const { usb } = await import('usb');
    // addEventListener enumerates devices internally and leaves the failure as an unhandled
    // rejection (which ends a Node process) where there is no USB bus, e.g. in a container:
    // enumerate once here, where the failure can be caught.
    await usb.getDevices();
    return {
      subscribe(onChange) {
        const l = (): void => onChange();
        usb.addEventListener('connect', l);
        usb.addEventListener('disconnect', l);
        return () => {
          usb.removeEventListener('connect', l);
          usb.removeEventListener('disconnect', l);
        };
      },
    };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Driver

export const HidPosMatch = z
  .object({
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    serialNumber: z.string().min(1).optional(),
  })
  .strict();
export type HidPosMatch = z.infer<typeof HidPosMatch>;

export const HidPosSettings = z
  .object({
    match: HidPosMatch.default({}),
    encoding: ScanEncoding.default('auto'),
    maxScanBytes: z.number().int().min(64).max(65536).default(8192),
    /** Enumeration interval while no device is open (also the fallback when hot-plug events are unavailable). */
    pollMs: z.number().int().min(100).max(10_000).default(1000),
  })
  .strict();
export type HidPosSettings = z.infer<typeof HidPosSettings>;

export const UDEV_RULE_FILE = '99-returns-station-hidpos.rules';

export function defaultUdevRulePath(): string {
  return fileURLToPath(new URL(`../udev/${UDEV_RULE_FILE}`, import.meta.url));
}

export function permissionMessage(devicePath: string, rulePath: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'linux') {
    return (
      `no permission to open the HID-POS scanner at ${devicePath}. Install the udev rule once, then unplug and replug the scanner: ` +
      `sudo cp ${rulePath} /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger`
    );
  }
  return `the operating system denied access to the HID-POS scanner at ${devicePath}; close other programs using it and check its permissions`;
}

export interface HidPosScannerOptions {
  /** The HID API (node-hid, or a fake in tests), or a loader for it. */
  api: HidApiLike | (() => Promise<HidApiLike>);
  settings?: z.input<typeof HidPosSettings>;
  /** Hot-plug events; null = poll only. */
  hotplug?: HotplugSource | null;
  udevRulePath?: string;
  /** Tells a permission problem from other open failures; defaults to an access(2) check on Linux. */
  isAccessDenied?: (path: string, err: unknown) => boolean;
  now?: () => number;
}

function defaultIsAccessDenied(path: string, err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  if (/permission|EACCES|access denied/i.test(msg)) return true;
  if (process.platform !== 'linux' || !path.startsWith('/dev/')) return false;
  try {
    accessSync(path, fsConstants.R_OK | fsConstants.W_OK);
    return false;
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e && (e.code === 'EACCES' || e.code === 'EPERM');
  }
}

export class HidPosScanner implements ScannerDriver {
  readonly kind = 'scanner' as const;
  label = 'HID-POS scanner';
  private readonly settings: HidPosSettings;
  private readonly scans = new Listeners<ScanEvent>();
  private readonly statuses = new Listeners<DriverStatus>();
  private readonly problems = new Listeners<string>();
  private readonly throttle: ProblemThrottle;
  private readonly assembler: HidPosAssembler;
  private readonly now: () => number;
  private current: DriverStatus;
  private api: HidApiLike | null = null;
  private device: HidDeviceLike | null = null;
  private source = 'hidpos';
  private running = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private unhotplug: (() => void) | null = null;

  constructor(
    readonly id: string,
    private readonly options: HidPosScannerOptions,
  ) {
    this.settings = HidPosSettings.parse(options.settings ?? {});
    this.now = options.now ?? Date.now;
    this.current = { state: 'stopped', since: this.now() };
    this.throttle = new ProblemThrottle((m) => this.problems.emit(m), 1000, this.now);
    this.assembler = new HidPosAssembler(this.settings.maxScanBytes);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus('connecting');
    void this.boot();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.unhotplug?.();
    this.unhotplug = null;
    this.throttle.dispose();
    this.closeDevice();
    this.setStatus('stopped');
  }

  status(): DriverStatus {
    return { ...this.current };
  }
  onStatus(listener: (status: DriverStatus) => void): () => void {
    return this.statuses.add(listener);
  }
  onProblem(listener: (message: string) => void): () => void {
    return this.problems.add(listener);
  }
  onScan(listener: (scan: ScanEvent) => void): () => void {
    return this.scans.add(listener);
  }

  /** Re-enumerates now (hot-plug event, or the Devices screen's "search again"). */
  rescan(): void {
    if (this.running && !this.device) this.tryOpen();
  }

  private async boot(): Promise<void> {
    try {
      this.api = typeof this.options.api === 'function' ? await this.options.api() : this.options.api;
    } catch (e) {
      this.setStatus('error', `HID support could not load (${e instanceof Error ? e.message : String(e)}); use the scanner in keyboard or serial mode`);
      return;
    }
    if (!this.running) return;
    if (this.options.hotplug) this.unhotplug = this.options.hotplug.subscribe(() => this.rescan());
    this.pollTimer = setInterval(() => this.rescan(), this.settings.pollMs);
    this.pollTimer.unref?.();
    this.tryOpen();
  }

  private matches(d: HidDeviceInfo): boolean {
    const m = this.settings.match;
    return (
      (m.vendorId === undefined || d.vendorId === m.vendorId) &&
      (m.productId === undefined || d.productId === m.productId) &&
      (m.serialNumber === undefined || d.serialNumber === m.serialNumber)
    );
  }

  private tryOpen(): void {
    const api = this.api;
    if (!api || this.device) return;
    let candidates: HidDeviceInfo[];
    try {
      candidates = findHidPosDevices(api).filter((d) => this.matches(d));
    } catch (e) {
      this.setStatus('error', `could not list HID devices: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const info = candidates[0];
    if (!info?.path) {
      // Keep the "was disconnected" reason while waiting; it says more than "not found".
      if (this.current.state !== 'reconnecting') {
        this.setStatus('reconnecting', 'no HID-POS scanner found (is it plugged in and set to HID-POS mode, not keyboard?)');
      }
      return;
    }
    const path = info.path;
    let device: HidDeviceLike;
    try {
      device = api.open(path);
    } catch (e) {
      const denied = (this.options.isAccessDenied ?? defaultIsAccessDenied)(path, e);
      this.setStatus(
        'error',
        denied
          ? permissionMessage(path, this.options.udevRulePath ?? defaultUdevRulePath())
          : `could not open the HID-POS scanner at ${path}: ${e instanceof Error ? e.message : String(e)}`,
      );
      return;
    }
    this.device = device;
    this.source = hidPosSource(info);
    this.label = [info.manufacturer, info.product].filter(Boolean).join(' ') || this.source;
    this.assembler.reset();
    device.on('data', (report: Buffer) => this.onReport(report));
    device.on('error', (err: Error) => this.onDeviceError(device, err));
    this.setStatus('connected');
  }

  private onReport(report: Buffer): void {
    const r = this.assembler.push(report);
    if (r.kind === 'problem') {
      this.throttle.problem(`${this.label}: ${r.problem}`);
      return;
    }
    if (r.kind !== 'scan') return;
    if (r.cut) this.throttle.problem(`${this.label}: ${r.cut}`);
    const scan = scanFromBytes(r.bytes, { source: this.source, encoding: this.settings.encoding, at: this.now() });
    if (scan.ok) this.scans.emit(scan.scan);
    else this.throttle.problem(scan.problem);
  }

  private onDeviceError(device: HidDeviceLike, err: Error): void {
    if (device !== this.device) return;
    this.closeDevice();
    if (!this.running) return;
    // node-hid reports an unplug as a read error on the open device.
    this.setStatus('reconnecting', `the HID-POS scanner was disconnected (${err.message}); waiting for it to come back`);
  }

  private closeDevice(): void {
    const d = this.device;
    this.device = null;
    if (!d) return;
    d.removeAllListeners();
    d.on('error', () => undefined);
    try {
      d.close();
    } catch {
      // already gone with the unplug
    }
  }

  private setStatus(state: DriverStatus['state'], reason?: string): void {
    if (this.current.state === state && this.current.reason === reason) return;
    this.current = reason === undefined ? { state, since: this.now() } : { state, reason, since: this.now() };
    this.statuses.emit({ ...this.current });
  }
}
