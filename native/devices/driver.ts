// What the device manager needs from every driver, and two small helpers drivers share.
import type { DeviceKind, DeviceReasonCode, DeviceReasonParams, DeviceState, ScanEvent, WeightReading } from '../../contract/index.js';

export interface DriverStatus {
  state: DeviceState;
  /** Plain-words reason for reconnecting / error. */
  reason?: string;
  /** The kind of reason, for the screen to say it in the operator's language (DeviceStatus.reasonCode). */
  code?: DeviceReasonCode;
  params?: DeviceReasonParams;
  /** Epoch ms of the last change. */
  since: number;
}

export interface DeviceDriver {
  readonly id: string;
  readonly kind: DeviceKind;
  /** Port path or product name, for the Devices screen. */
  readonly label: string;
  /** Starts (and keeps reconnecting). Never throws. */
  start(): void;
  stop(): Promise<void>;
  status(): DriverStatus;
  onStatus(listener: (status: DriverStatus) => void): () => void;
  /** Frames that could not be used: each one a sentence for the operator or support staff. */
  onProblem(listener: (message: string) => void): () => void;
}

export interface ScannerDriver extends DeviceDriver {
  readonly kind: 'scanner';
  onScan(listener: (scan: ScanEvent) => void): () => void;
}

export interface ScaleDriver extends DeviceDriver {
  readonly kind: 'scale';
  onWeight(listener: (reading: WeightReading) => void): () => void;
  /** Asks the scale for one reading (scales in command mode answer only when asked). */
  requestWeight(timeoutMs?: number): Promise<WeightReading>;
}

/** A typed listener set whose listeners cannot break the emitter. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(value: T): void {
    for (const l of this.set) {
      try {
        l(value);
      } catch {
        // A failing subscriber must not stop the driver or the other subscribers.
      }
    }
  }
  clear(): void {
    this.set.clear();
  }
}

/**
 * Keeps a device's misbehaviour visible without flooding the UI: the first problem in a window
 * is reported at once, the rest are counted and summarised when the window ends.
 */
export class ProblemThrottle {
  private windowStart = -Infinity;
  private suppressed = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly report: (message: string) => void,
    private readonly windowMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  problem(message: string): void {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t;
      this.report(message);
      return;
    }
    this.suppressed++;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.suppressed > 0) {
          this.report(`${this.suppressed} more like this in the last ${Math.round(this.windowMs / 1000)} s`);
          this.suppressed = 0;
        }
      }, this.windowMs);
      this.timer.unref?.();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
