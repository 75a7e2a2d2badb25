// A reader's status is its transport's status, narrowed by what the bytes tell us: a port can be
// open while the reader behind it is silent (wrong baud rate, wrong address) or spewing garbage.
import type { TransportStatus } from '../transports/serial.js';
import { Listeners } from './listeners.js';

export interface HealthOptions {
  /** Errors within `errorWindowMs` that mark the device as misbehaving (default 20). */
  errorBurst?: number;
  errorWindowMs?: number;
  now?: () => number;
}

export class ReaderHealth {
  private link: TransportStatus;
  /** Link up, device silent (set by the driver). */
  private silent: string | null = null;
  private silentRounds: number | null = null;
  /** Link up, device sending malformed data (set by the error counter). */
  private burst: string | null = null;
  private errorTimes: number[] = [];
  private readonly errorBurst: number;
  private readonly errorWindowMs: number;
  private readonly now: () => number;
  private last: TransportStatus;
  readonly changes = new Listeners<TransportStatus>();

  constructor(initial: TransportStatus, options: HealthOptions = {}) {
    this.link = initial;
    this.last = initial;
    this.errorBurst = options.errorBurst ?? 20;
    this.errorWindowMs = options.errorWindowMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  status(): TransportStatus {
    return { ...this.last };
  }

  /** The transport (or connection) changed state. A new link clears any fault. */
  setLink(status: TransportStatus): void {
    if (status.state !== this.link.state) {
      this.silent = null;
      this.burst = null;
      this.errorTimes = [];
    }
    this.link = status;
    this.publish();
  }

  /** The link is up but the device does not answer (after `rounds` unanswered commands, when counted); `null` clears. */
  setSilent(reason: string | null, rounds?: number): void {
    if (this.silent === reason) return;
    this.silent = reason;
    this.silentRounds = reason !== null && rounds !== undefined ? rounds : null;
    this.publish();
  }

  /** Counts a malformed-input error; too many in a short time is reported as a fault. */
  noteError(): void {
    const t = this.now();
    this.errorTimes.push(t);
    while (this.errorTimes.length > 0 && t - (this.errorTimes[0] ?? t) > this.errorWindowMs) this.errorTimes.shift();
    if (this.errorTimes.length > this.errorBurst) this.errorTimes.splice(0, this.errorTimes.length - this.errorBurst);
    if (this.errorTimes.length >= this.errorBurst && !this.burst) {
      this.burst = `device is misbehaving: ${this.errorTimes.length} malformed messages within ${Math.round(this.errorWindowMs / 1000)} s`;
      this.publish();
    }
  }

  /** A good message arrived: a burst fault ends once the errors have aged out. */
  noteGood(): void {
    const t = this.now();
    while (this.errorTimes.length > 0 && t - (this.errorTimes[0] ?? t) > this.errorWindowMs) this.errorTimes.shift();
    if (this.burst && this.errorTimes.length < this.errorBurst) {
      this.burst = null;
      this.publish();
    }
  }

  private publish(): void {
    const fault = this.burst ?? this.silent;
    let next: TransportStatus = this.link.state === 'connected' && fault ? { state: 'error', reason: fault, since: this.now() } : this.link;
    if (next !== this.link && !this.burst && this.silentRounds !== null) next = { ...next, code: 'readerSilent', params: { rounds: this.silentRounds } };
    if (next.state === this.last.state && next.reason === this.last.reason) return;
    this.last = { ...next, since: next === this.link ? this.link.since : next.since };
    this.changes.emit(this.status());
  }
}
