// The label printer as one of the bench's devices. Its state comes from the printer's own status
// reply (ZPL ~HS / SATO ENQ), asked every few seconds and before each print, and is said in plain
// words: out of labels, head open, paused, unreachable. A printer that cannot report status
// (one-way device file) is shown as connected with that caveat, never as silently fine.
import type { PrinterMessageKey } from '../../contract/printerMessages.js';
import type { LabelPrinter } from '../printers/labelPrinter.js';
import type { PrinterStatus } from '../printers/printerStatus.js';
import { Listeners, type DeviceDriver, type DriverStatus } from './driver.js';

export const PRINTER_DEVICE_ID = 'printer';

export interface PrinterDeviceOptions {
  /** How often the printer is asked for its status (default 5000 ms). */
  pollMs?: number;
  now?: () => number;
}

const UNREACHABLE = new Set(['unreachable', 'refused', 'timeout', 'reset', 'io']);

/** Faults a SATO reports with no flag of their own: their name in devices.fault.* and in words. */
const OTHER_FAULTS: Partial<Record<PrinterMessageKey, readonly [string, string]>> = {
  'printer.fault.bufferFull': ['bufferFull', 'receive buffer is full'],
  'printer.fault.sensor': ['sensor', 'sensor error'],
  'printer.fault.headError': ['headError', 'print head error'],
  'printer.fault.card': ['card', 'memory card error'],
  'printer.fault.cutter': ['cutter', 'cutter error'],
  'printer.fault.other': ['other', 'printer reports an error'],
};

/** The device state an operator should see for a printer status reply. */
export function printerDeviceState(s: PrinterStatus | null): Omit<DriverStatus, 'since'> {
  if (!s) return { state: 'connecting', reason: 'checking the printer', code: 'printerChecking' };
  if (s.state === 'ready') return { state: 'connected' };
  if (s.state === 'unknown') return { state: 'connected', reason: 'this printer connection cannot report paper or head status', code: 'printerNoStatus' };
  const faults = (
    [
      [s.headOpen, 'headOpen', 'print head is open'],
      [s.paperOut, 'paperOut', 'out of labels'],
      [s.ribbonOut, 'ribbonOut', 'out of ribbon'],
      [s.paused, 'paused', 'printer is paused'],
    ] as const
  ).filter(([on]) => on);
  if (faults.length > 0) {
    return { state: 'error', reason: faults.map(([, , words]) => words).join(', '), code: 'printerFault', params: { faults: faults.map(([, key]) => key).join(',') } };
  }
  const other = s.messageKey ? OTHER_FAULTS[s.messageKey] : undefined;
  if (other) return { state: 'error', reason: other[1], code: 'printerFault', params: { faults: other[0] } };
  // It answered, so it is reachable: what it said is not a status this station can read.
  if (s.messageKey === 'printer.error.malformedStatus') {
    return { state: 'error', reason: `printer's status reply cannot be read (check its protocol setting): ${s.message ?? ''}`, code: 'printerBadReply' };
  }
  // Dropped rather than left unanswered: the printer is there and took the connection, it just does not speak
  // status on it; neither "unreachable" nor the head-open silence of some models fits.
  if (s.messageKey === 'printer.error.statusReset' || s.messageKey === 'printer.error.statusClosed') {
    return { state: 'error', reason: 'printer is reachable but drops status requests (it may not support them): paper and head faults cannot be checked', code: 'printerStatusRefused' };
  }
  if (s.reason === 'no_status_reply') {
    return { state: 'error', reason: 'printer does not answer status requests (out of labels or head open on some models; check the printer)', code: 'printerNoReply' };
  }
  if (s.reason !== null && UNREACHABLE.has(s.reason)) {
    return { state: 'reconnecting', reason: `printer is unreachable (switched off, unplugged or wrong address): ${s.message ?? s.reason}`, code: 'printerUnreachable' };
  }
  return { state: 'error', reason: s.message ?? 'printer reports a fault' };
}

export class PrinterDevice implements DeviceDriver {
  readonly id = PRINTER_DEVICE_ID;
  readonly kind = 'printer' as const;
  readonly label: string;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly statuses = new Listeners<DriverStatus>();
  private current: DriverStatus;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private checking: Promise<void> | null = null;
  private offChange: (() => void) | null = null;

  constructor(
    private readonly printer: LabelPrinter,
    options: PrinterDeviceOptions = {},
  ) {
    this.label = printer.language ? `${printer.language.toUpperCase()} ${printer.name}` : printer.name;
    this.pollMs = options.pollMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.current = { state: 'stopped', since: this.now() };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.publish(printerDeviceState(this.printer.lastStatus()));
    // The print queue checks status before each job; its changes are a cheap moment to re-read it.
    this.offChange = this.printer.onChange(() => this.publish(printerDeviceState(this.printer.lastStatus())));
    void this.check();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.offChange?.();
    this.offChange = null;
    await this.checking;
    this.publish({ state: 'stopped' });
  }

  status(): DriverStatus {
    return { ...this.current };
  }

  /** Asks the printer now (the Devices screen's refresh) and resolves with the new status. */
  async refresh(): Promise<DriverStatus> {
    await this.check();
    return this.status();
  }

  onStatus(listener: (status: DriverStatus) => void): () => void {
    return this.statuses.add(listener);
  }

  onProblem(): () => void {
    // Print failures reach the operator through the print outcome and the queue, not here.
    return () => undefined;
  }

  private check(): Promise<void> {
    this.checking ??= (async () => {
      try {
        const s = await this.printer.status();
        if (this.running) this.publish(printerDeviceState(s));
      } catch (e) {
        if (this.running) this.publish({ state: 'error', reason: e instanceof Error ? e.message : String(e) });
      } finally {
        this.checking = null;
        this.schedule();
      }
    })();
    return this.checking;
  }

  private schedule(): void {
    if (!this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check();
    }, this.pollMs);
    this.timer.unref?.();
  }

  private publish(next: Omit<DriverStatus, 'since'>): void {
    if (next.state === this.current.state && next.reason === this.current.reason) return;
    this.current = { ...next, since: this.now() };
    this.statuses.emit(this.status());
  }
}
