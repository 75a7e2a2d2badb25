// The shared half of every line-oriented serial driver (scanner, scale): transport status,
// framing, and telling a misbehaving device apart from a healthy one.
import type { DeviceKind, DeviceReasonCode, DeviceReasonParams } from '../../contract/index.js';
import { FrameSplitter, type Terminator } from '../transports/framing.js';
import type { ByteTransport, TransportStatus } from '../transports/serial.js';
import { SilenceTimer } from '../transports/silence.js';
import { Listeners, ProblemThrottle, type DriverStatus } from './driver.js';

export type FrameVerdict = { ok: true } | { ok: false; problem: string };

export interface FramedDriverOptions {
  id: string;
  kind: DeviceKind;
  terminator: Terminator;
  maxFrameBytes: number;
  /** Called for each complete frame; returns a problem sentence for frames it cannot use. */
  onFrame: (bytes: Buffer) => FrameVerdict;
  /** Bad frames within `badWindowMs` that make the device count as misbehaving (default 5). */
  badFrameLimit?: number;
  badWindowMs?: number;
  /**
   * A frame whose terminator has not come after this much silence is dropped and reported, so a
   * device that sends no terminator (wrong suffix setting, a lost CR) is seen at once and its
   * unfinished bytes are not glued to the front of the next good frame (default 1000 ms).
   */
  unterminatedMs?: number;
  now?: () => number;
}

const TERMINATOR_WORDS: Record<Terminator, string> = {
  CR: 'CR',
  LF: 'LF',
  CRLF: 'CR LF',
  CR_OR_LF: 'CR or LF',
  ETX: 'ETX',
  EOT: 'EOT',
  TAB: 'TAB',
};

export class FramedDriver {
  readonly statusListeners = new Listeners<DriverStatus>();
  readonly problemListeners = new Listeners<string>();
  private readonly splitter: FrameSplitter;
  private readonly throttle: ProblemThrottle;
  private readonly now: () => number;
  private misbehaving: { reason: string; code: DeviceReasonCode; params: DeviceReasonParams; since: number } | null = null;
  private badTimes: number[] = [];
  private unsubscribe: Array<() => void> = [];
  private last: DriverStatus;
  private readonly unterminated: SilenceTimer;

  constructor(
    readonly transport: ByteTransport,
    private readonly options: FramedDriverOptions,
  ) {
    this.splitter = new FrameSplitter({ terminator: options.terminator, maxFrameBytes: options.maxFrameBytes });
    this.unterminated = new SilenceTimer(options.unterminatedMs ?? 1000, () => this.onUnterminated());
    this.now = options.now ?? Date.now;
    this.throttle = new ProblemThrottle((m) => this.problemListeners.emit(m), 1000, this.now);
    this.last = this.compute();
  }

  start(): void {
    if (this.unsubscribe.length) return;
    this.unsubscribe.push(
      this.transport.onData((chunk) => this.onData(chunk)),
      this.transport.onStatus((s) => this.onTransportStatus(s)),
    );
    this.transport.start();
    this.publish();
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.throttle.dispose();
    this.clearUnterminated();
    await this.transport.close();
    this.splitter.reset();
    this.publish();
  }

  status(): DriverStatus {
    return { ...this.last };
  }

  private compute(): DriverStatus {
    const t = this.transport.status();
    if (t.state === 'connected' && this.misbehaving) {
      const m = this.misbehaving;
      return { state: 'error', reason: m.reason, code: m.code, params: m.params, since: m.since };
    }
    if (t.reason === undefined) return { state: t.state, since: t.since };
    return { state: t.state, reason: t.reason, since: t.since, ...(t.code ? { code: t.code } : {}), ...(t.params ? { params: t.params } : {}) };
  }

  private publish(): void {
    const next = this.compute();
    if (next.state === this.last.state && next.reason === this.last.reason) return;
    this.last = next;
    this.statusListeners.emit({ ...next });
  }

  private onTransportStatus(s: TransportStatus): void {
    // A frame cut by an unplug is junk: start clean on the next connection. What the device did before it was
    // unplugged is not held against it either: a lead who reprogrammed its suffix and plugged it back in must
    // see it connected, not still "misbehaving" until its first good scan.
    if (s.state !== 'connected') {
      this.clearUnterminated();
      this.splitter.reset();
      this.misbehaving = null;
      this.badTimes = [];
    }
    this.publish();
  }

  private onData(chunk: Buffer): void {
    this.clearUnterminated();
    this.frames(chunk);
    if (this.splitter.midFrame) this.unterminated.arm();
  }

  private clearUnterminated(): void {
    this.unterminated.clear();
  }

  private onUnterminated(): void {
    const dropped = this.splitter.abandon();
    // An overflowing frame was reported when it overflowed; only its junk tail ends here.
    if (dropped === 0) return;
    const seconds = this.unterminated.ms / 1000;
    this.badFrame(
      `${dropped} bytes arrived without a ${TERMINATOR_WORDS[this.options.terminator]} terminator and nothing followed for ${seconds} s; they were dropped (check the device's suffix/terminator setting)`,
    );
  }

  private frames(chunk: Buffer): void {
    for (const ev of this.splitter.push(chunk)) {
      if (ev.kind === 'overflow') {
        this.markMisbehaving(
          `device is misbehaving: ${ev.droppedBytes} bytes arrived without a ${TERMINATOR_WORDS[this.options.terminator]} terminator within ${this.options.maxFrameBytes} bytes and were dropped (check the device's suffix/terminator setting and baud rate)`,
          'noTerminator',
          { bytes: ev.droppedBytes },
        );
        continue;
      }
      let verdict: FrameVerdict;
      try {
        verdict = this.options.onFrame(ev.bytes);
      } catch (e) {
        verdict = { ok: false, problem: `could not read a frame: ${e instanceof Error ? e.message : String(e)}` };
      }
      if (verdict.ok) {
        this.badTimes = [];
        if (this.misbehaving) {
          this.misbehaving = null;
          this.publish();
        }
      } else {
        this.badFrame(verdict.problem);
      }
    }
  }

  private badFrame(problem: string): void {
    const t = this.now();
    const windowMs = this.options.badWindowMs ?? 2000;
    this.badTimes = this.badTimes.filter((x) => t - x < windowMs);
    this.badTimes.push(t);
    if (this.badTimes.length >= (this.options.badFrameLimit ?? 5)) {
      this.markMisbehaving(`device is misbehaving: ${this.badTimes.length} unreadable frames in ${windowMs / 1000} s (last: ${problem})`, 'unreadableFrames', {
        count: this.badTimes.length,
      });
    } else {
      this.throttle.problem(problem);
    }
  }

  private markMisbehaving(reason: string, code: DeviceReasonCode, params: DeviceReasonParams): void {
    this.throttle.problem(reason);
    // The first reason stays: re-announcing every dropped chunk would flood the status stream.
    if (this.misbehaving) return;
    this.misbehaving = { reason, code, params, since: this.now() };
    this.publish();
  }
}
