// Splitting a serial byte stream into frames. Serial reads arrive in arbitrary pieces (one scan
// can come in three chunks, three scans in one), and a broken or misconfigured device can send
// megabytes without ever sending the terminator: memory held here is bounded by maxFrameBytes.
import { z } from 'zod';

export const Terminator = z.enum(['CR', 'LF', 'CRLF', 'CR_OR_LF', 'ETX', 'EOT', 'TAB']);
export type Terminator = z.infer<typeof Terminator>;

const TERMINATOR_BYTES: Record<Terminator, number[][]> = {
  CR: [[0x0d]],
  LF: [[0x0a]],
  CRLF: [[0x0d, 0x0a]],
  // Scanners set to "CR" on one bench and "CRLF" on the next: accept either, drop the empty frame.
  CR_OR_LF: [[0x0d], [0x0a]],
  ETX: [[0x03]],
  EOT: [[0x04]],
  TAB: [[0x09]],
};

export interface FrameSplitterOptions {
  terminator: Terminator;
  /** Longest frame accepted, terminator excluded. Longer input is dropped and reported. */
  maxFrameBytes: number;
  /** Drop a leading STX (0x02), as devices framing STX … ETX send. Default: true for ETX. */
  stripStx?: boolean;
}

export type FrameEvent =
  | { kind: 'frame'; bytes: Buffer }
  /** Bytes were thrown away because no terminator came within maxFrameBytes. */
  | { kind: 'overflow'; droppedBytes: number };

export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** True after an overflow until the next terminator: the rest of that frame is junk too. */
  private discarding = false;
  private readonly patterns: number[][];
  private readonly stripStx: boolean;

  constructor(private readonly options: FrameSplitterOptions) {
    if (!Number.isInteger(options.maxFrameBytes) || options.maxFrameBytes < 1) {
      throw new RangeError('maxFrameBytes must be a positive integer');
    }
    this.patterns = TERMINATOR_BYTES[options.terminator];
    this.stripStx = options.stripStx ?? options.terminator === 'ETX';
  }

  /** Bytes held while waiting for a terminator (never more than maxFrameBytes). */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /** True while a frame has started and its terminator has not come (bytes held or being discarded). */
  get midFrame(): boolean {
    return this.pending.length > 0 || this.discarding;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
    this.discarding = false;
  }

  /**
   * Gives up on the frame in progress (its terminator never came): returns how many held bytes
   * are dropped (0 when the frame was already being discarded as an overflow), and the next byte
   * starts a new frame instead of being glued to the unfinished one.
   */
  abandon(): number {
    const dropped = this.discarding ? 0 : this.pending.length;
    this.reset();
    return dropped;
  }

  push(chunk: Buffer): FrameEvent[] {
    const out: FrameEvent[] = [];
    let dropped = 0;
    const flushDropped = (): void => {
      if (dropped > 0) out.push({ kind: 'overflow', droppedBytes: dropped });
      dropped = 0;
    };
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let start = 0;
    for (;;) {
      const hit = this.findTerminator(buf, start);
      if (!hit) break;
      const body = buf.subarray(start, hit.index);
      if (this.discarding) {
        dropped += body.length + hit.length;
        this.discarding = false;
        flushDropped();
      } else if (body.length > this.options.maxFrameBytes) {
        dropped += body.length + hit.length;
        flushDropped();
      } else {
        const frame = this.stripStx && body[0] === 0x02 ? body.subarray(1) : body;
        if (frame.length > 0) out.push({ kind: 'frame', bytes: Buffer.from(frame) });
      }
      start = hit.index + hit.length;
    }
    const rest = buf.subarray(start);
    if (this.discarding) {
      dropped += rest.length;
    } else if (rest.length > this.options.maxFrameBytes) {
      dropped += rest.length;
      this.discarding = true;
    } else {
      // Copy: `rest` may be a view into a large chunk we should not keep alive.
      this.pending = Buffer.from(rest);
    }
    flushDropped();
    return out;
  }

  private findTerminator(buf: Buffer, from: number): { index: number; length: number } | null {
    let best: { index: number; length: number } | null = null;
    for (const p of this.patterns) {
      const i = buf.indexOf(Buffer.from(p), from);
      if (i >= 0 && (best === null || i < best.index)) best = { index: i, length: p.length };
    }
    return best;
  }
}

/** Printable form of bytes for error messages and the Devices screen: control bytes as <GS>, <CR>, <0x..>. */
export function visibleBytes(bytes: Buffer, max = 80): string {
  const names: Record<number, string> = { 0x02: 'STX', 0x03: 'ETX', 0x04: 'EOT', 0x09: 'TAB', 0x0a: 'LF', 0x0d: 'CR', 0x1c: 'FS', 0x1d: 'GS', 0x1e: 'RS' };
  let s = '';
  for (const b of bytes.subarray(0, max)) {
    if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `<${names[b] ?? `0x${b.toString(16).padStart(2, '0')}`}>`;
  }
  return bytes.length > max ? `${s}… (${bytes.length} bytes)` : s;
}
