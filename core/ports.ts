// What the station's services need from outside core: the bench's printer and devices, where a label goes, the
// clock. native/ implements these (structurally: it does not import core), app/ builds the concrete parts and
// hands them to core/station.ts, so core never depends on a driver and tests pass fakes.
//
// The WMS client and the photo blob store are not here: they are plain HTTP and files, written in core/sync and
// core/workflow/photos.ts, with no driver behind them.
import type { DeviceKind, DeviceStatus, PrintOutcome, ScanEvent, TagRead, WeightReading } from '../contract/index.js';
import type { BenchDeviceEntry, DetectResult, DetectWarning, PrinterHealth, PrintQueueCounts } from '../contract/calls/devices.js';
import type { PrintJobRow } from '../contract/calls/printer.js';
import type { ItemLabel } from '../contract/label.js';
import type { PrinterConfig } from '../contract/printerConfig.js';
import type { z } from 'zod';

/** Wall-clock time (sessions' idle sign-out, PIN lock); tests pass a fake one. */
export type Clock = () => Date;

/** Where a graded item's label goes: a preview for the screen and the bench's printer. */
export interface LabelOutput {
  preview(label: ItemLabel): string;
  print(label: ItemLabel): Promise<PrintOutcome>;
  close?(): Promise<void>;
}

/** The bench's label printer and its persistent queue, as the Devices screen and reprints use it. */
export interface BenchPrinter {
  /** e.g. "tcp://127.0.0.1:9100", or "none". */
  readonly name: string;
  readonly language: 'zpl' | 'sbpl' | null;
  /** Prints once per LPN (see contract/label.ts labelJobId); resolves after the first attempt. */
  print(label: ItemLabel): Promise<PrintOutcome>;
  /** An operator's explicit reprint of a job. */
  reprint(jobId: string): Promise<PrintOutcome>;
  /** The last status the printer reported; null before any. */
  lastStatus(): PrinterHealth | null;
  queueStatus(): PrintQueueCounts;
  jobs(): Array<Omit<PrintJobRow, 'lpn'>>;
}

/** One RFID collection: a row per EPC, and which readers saw it. */
export interface CollectedTags {
  startedAt: number;
  endedAt: number;
  totalReads: number;
  truncated: boolean;
  tags: Array<{ epcHex: string; reads: number; antennas: number[]; bestRssi?: number }>;
  deviceIdsByEpc: ReadonlyMap<string, string[]>;
}

/** What is plugged into the bench now (before the station says which configured device uses a port). */
export interface DetectedDevices {
  serialPorts: Array<Omit<DetectResult['serialPorts'][number], 'usedBy'>>;
  hidPosScanners: Array<DetectResult['hidPosScanners'][number] & { source?: string }>;
  warnings: DetectWarning[];
}

/** The running devices of one device list: scanners, scale, RFID readers, and the printer's status. */
export interface BenchDevices {
  /** The checked entries; a serial device names its port. */
  readonly config: { readonly devices: ReadonlyArray<{ readonly id: string; readonly serial?: { readonly path: string } }> };
  start(): void;
  /** Stops every device and drops every listener; not started again. */
  dispose(): Promise<void>;
  statuses(): DeviceStatus[];
  /** Newest first. */
  recentScans(deviceId?: string): ScanEvent[];
  lastWeight(deviceId?: string): WeightReading | undefined;
  requestWeight(deviceId?: string, timeoutMs?: number): Promise<WeightReading>;
  has(kind: DeviceKind): boolean;
  driver(deviceId: string): { readonly kind: DeviceKind; readonly label: string } | undefined;
  collectTags(durationMs: number, deviceId?: string): Promise<CollectedTags>;
  detect(): Promise<DetectedDevices>;
  onScan(listener: (scan: ScanEvent, deviceId: string) => void): () => void;
  onWeight(listener: (reading: WeightReading, deviceId: string) => void): () => void;
  onTag(listener: (read: TagRead, deviceId: string) => void): () => void;
  onStatus(listener: (status: DeviceStatus) => void): () => void;
  onProblem(listener: (problem: { deviceId: string; message: string }) => void): () => void;
}

/** Opens the bench's devices from a device list (devices.json or the Devices screen). */
export interface BenchDevicesPort {
  /**
   * Checks each entry against its driver's settings: a sentence naming the bad entry when one is wrong, and the
   * issue (its path starts at the list: devices.<index>…) so the screen can name the entry and field in its language.
   */
  check(devices: readonly BenchDeviceEntry[]): { ok: true } | { ok: false; message: string; issue?: z.core.$ZodIssue };
  /** The devices of a checked list, not started yet; the bench printer's status is among them. */
  open(devices: readonly BenchDeviceEntry[]): BenchDevices;
  /** Asks the printer for its status now (after a test print), so the screen shows it without waiting for the poll. */
  refreshPrinter(): void;
  /**
   * Puts a printer built from `config` in place of the bench printer while the station runs: the job being sent
   * finishes on the old one, waiting jobs print on the new one. Device lists opened afterwards show the new one.
   */
  replacePrinter(config: PrinterConfig): Promise<void>;
}

/** The outside parts of one station, built by the composition root once the database is open. */
export interface StationPorts {
  labels: LabelOutput;
  /** Null when the label output is not the bench's own printer (tests, benchmarks). */
  printer: BenchPrinter | null;
  devices: BenchDevicesPort;
}
