// An RFID reader as one of the bench's devices: the reader's status and errors in the device
// manager's terms, its raw reads for parcel collection, and a deduplicated tag stream for the UI
// (a tag lying on the bench is reported once, not fifty times a second).
import type { TagRead } from '../../contract/index.js';
import type { RfidReader } from '../rfid/tagReads.js';
import { TagDeduper } from '../rfid/tagReads.js';
import { Listeners, ProblemThrottle, type DeviceDriver, type DriverStatus } from './driver.js';

export interface RfidDriver extends DeviceDriver {
  readonly kind: 'rfid';
  /** New tags only: repeats of an EPC within the dedupe window are dropped. */
  onTag(listener: (read: TagRead) => void): () => void;
  /** Every read, repeats included (parcel collection counts them). */
  onRead(listener: (read: TagRead) => void): () => void;
}

export interface RfidDeviceOptions {
  dedupeWindowMs?: number;
  now?: () => number;
}

export class RfidDevice implements RfidDriver {
  readonly kind = 'rfid' as const;
  private readonly deduper: TagDeduper;
  private readonly tags = new Listeners<TagRead>();
  private readonly problems = new Listeners<string>();
  private readonly throttle: ProblemThrottle;
  private readonly offs: Array<() => void>;

  constructor(
    readonly id: string,
    readonly label: string,
    private readonly reader: RfidReader,
    options: RfidDeviceOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.deduper = new TagDeduper({ windowMs: options.dedupeWindowMs ?? 2000, now });
    this.throttle = new ProblemThrottle((m) => this.problems.emit(m), 1000, now);
    this.offs = [
      reader.onRead((r) => {
        if (this.deduper.accept(r)) this.tags.emit(r);
      }),
      reader.onError((e) => this.throttle.problem(e.message)),
    ];
  }

  start(): void {
    this.reader.start();
  }

  async stop(): Promise<void> {
    this.throttle.dispose();
    this.deduper.clear();
    await this.reader.close();
  }

  status(): DriverStatus {
    return this.reader.status();
  }

  onStatus(listener: (status: DriverStatus) => void): () => void {
    return this.reader.onStatus(listener);
  }

  onProblem(listener: (message: string) => void): () => void {
    return this.problems.add(listener);
  }

  onTag(listener: (read: TagRead) => void): () => void {
    return this.tags.add(listener);
  }

  onRead(listener: (read: TagRead) => void): () => void {
    return this.reader.onRead(listener);
  }

  /** Detaches from the reader for good (the manager's dispose). */
  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
