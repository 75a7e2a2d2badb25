// What every RFID driver hands to the rest of the station: TagRead values (validated with the
// contract schema), a status in the same shape as the transports', and typed errors. Plus the two
// things a bench does with a stream of reads: drop the repeats, and read a whole parcel at once.
import { TagRead } from '../../contract/devices.js';
import type { TransportStatus } from '../transports/serial.js';
import { RfidError } from './errors.js';
import { Listeners } from './listeners.js';

export { TagRead };
export type RfidReaderStatus = TransportStatus;

/** The common face of the Chafon, line-output and LLRP readers. */
export interface RfidReader {
  /** e.g. "chafon:/dev/ttyUSB0", "llrp:10.0.0.5:5084"; copied into every TagRead.source. */
  readonly source: string;
  /** Connects and keeps reconnecting until close(). Never throws. */
  start(): void;
  close(): Promise<void>;
  status(): RfidReaderStatus;
  onRead(listener: (read: TagRead) => void): () => void;
  onStatus(listener: (status: RfidReaderStatus) => void): () => void;
  /** Malformed input and protocol failures; the reader keeps running after each. */
  onError(listener: (error: RfidError) => void): () => void;
}

/** Uppercases and validates an EPC given as hex; whole 16-bit words, 1..31 of them. */
export function normalizeEpcHex(input: string): { ok: true; epcHex: string } | { ok: false; error: RfidError } {
  const epcHex = input.replace(/[\s:-]/g, '').toUpperCase();
  if (epcHex.length === 0) return { ok: false, error: new RfidError('bad_epc', 'empty EPC') };
  if (!/^[0-9A-F]+$/.test(epcHex)) return { ok: false, error: new RfidError('bad_epc', 'EPC is not hex') };
  if (epcHex.length % 4 !== 0) return { ok: false, error: new RfidError('bad_epc', `EPC of ${epcHex.length} hex digits is not whole 16-bit words`) };
  if (epcHex.length > 124) return { ok: false, error: new RfidError('bad_epc', 'EPC longer than 496 bits') };
  return { ok: true, epcHex };
}

/** Builds a TagRead through the contract schema, so a driver can never emit an invalid one. */
export function makeTagRead(input: { epcHex: string; antenna?: number | undefined; rssi?: number | undefined; at: number; source: string }): { ok: true; read: TagRead } | { ok: false; error: RfidError } {
  const epc = normalizeEpcHex(input.epcHex);
  if (!epc.ok) return epc;
  const candidate: Record<string, unknown> = { epcHex: epc.epcHex, at: Math.max(0, Math.round(input.at)), source: input.source };
  if (input.antenna !== undefined) candidate.antenna = input.antenna;
  if (input.rssi !== undefined) candidate.rssi = input.rssi;
  const parsed = TagRead.safeParse(candidate);
  if (!parsed.success) return { ok: false, error: new RfidError('protocol', `invalid tag read: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`) };
  return { ok: true, read: parsed.data };
}

export interface DedupeOptions {
  /** A read of an EPC seen less than this long ago is a repeat (default 2000 ms). */
  windowMs?: number;
  /** EPCs remembered at most (a flood of distinct EPCs must not grow memory). Default 10000. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Drops repeated reads of the same EPC. The window slides: a tag that sits in the field keeps
 * being "seen" and is reported once, and again only after it has been gone for `windowMs`.
 */
export class TagDeduper {
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly lastSeen = new Map<string, number>();

  constructor(options: DedupeOptions = {}) {
    this.windowMs = options.windowMs ?? 2000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** True when this read is news (first sighting, or first after the window). */
  accept(read: Pick<TagRead, 'epcHex'>): boolean {
    const t = this.now();
    const last = this.lastSeen.get(read.epcHex);
    // Re-insert so Map order is least-recently-seen first, which makes pruning cheap.
    this.lastSeen.delete(read.epcHex);
    this.lastSeen.set(read.epcHex, t);
    if (this.lastSeen.size > this.maxEntries) this.prune(t);
    return last === undefined || t - last >= this.windowMs;
  }

  clear(): void {
    this.lastSeen.clear();
  }

  get size(): number {
    return this.lastSeen.size;
  }

  private prune(t: number): void {
    for (const [epc, seen] of this.lastSeen) {
      if (this.lastSeen.size <= this.maxEntries && t - seen < this.windowMs) break;
      this.lastSeen.delete(epc);
    }
  }
}

/** Wraps a reader's read stream so listeners only hear new tags. */
export function dedupeReads(
  source: Pick<RfidReader, 'onRead'>,
  options: DedupeOptions = {},
): { onRead(listener: (read: TagRead) => void): () => void; close(): void; deduper: TagDeduper } {
  const deduper = new TagDeduper(options);
  const out = new Listeners<TagRead>();
  const off = source.onRead((r) => {
    if (deduper.accept(r)) out.emit(r);
  });
  return { onRead: (l) => out.add(l), close: off, deduper };
}

export interface ParcelTag {
  epcHex: string;
  /** How many raw reads the tag produced during the collection. */
  reads: number;
  antennas: number[];
  /** Strongest RSSI seen, when the reader reports RSSI. */
  bestRssi?: number;
  firstAt: number;
  lastAt: number;
}

export interface ParcelRead {
  startedAt: number;
  endedAt: number;
  /** Distinct tags, in first-seen order. */
  tags: ParcelTag[];
  /** Raw reads received (including repeats). */
  totalReads: number;
  /** True when `maxTags` was reached and further distinct EPCs were ignored. */
  truncated: boolean;
}

export interface CollectOptions {
  durationMs: number;
  /** Distinct tags kept at most (default 1000). */
  maxTags?: number;
  /** Ends the collection early with what was read so far. */
  signal?: AbortSignal;
  now?: () => number;
}

/** Collects every read from `source` for `durationMs` and returns the set of distinct tags. */
export function collectParcel(source: Pick<RfidReader, 'onRead'>, options: CollectOptions): Promise<ParcelRead> {
  const now = options.now ?? Date.now;
  const maxTags = options.maxTags ?? 1000;
  const startedAt = now();
  const tags = new Map<string, ParcelTag>();
  let totalReads = 0;
  let truncated = false;
  return new Promise<ParcelRead>((resolve) => {
    const off = source.onRead((r) => {
      totalReads++;
      let tag = tags.get(r.epcHex);
      if (!tag) {
        if (tags.size >= maxTags) {
          truncated = true;
          return;
        }
        tag = { epcHex: r.epcHex, reads: 0, antennas: [], firstAt: r.at, lastAt: r.at };
        tags.set(r.epcHex, tag);
      }
      tag.reads++;
      tag.firstAt = Math.min(tag.firstAt, r.at);
      tag.lastAt = Math.max(tag.lastAt, r.at);
      if (r.antenna !== undefined && !tag.antennas.includes(r.antenna)) tag.antennas.push(r.antenna);
      if (r.rssi !== undefined && (tag.bestRssi === undefined || r.rssi > tag.bestRssi)) tag.bestRssi = r.rssi;
    });
    const finish = (): void => {
      clearTimeout(timer);
      off();
      options.signal?.removeEventListener('abort', finish);
      resolve({ startedAt, endedAt: now(), tags: [...tags.values()], totalReads, truncated });
    };
    const timer = setTimeout(finish, Math.max(0, options.durationMs));
    if (options.signal?.aborted) finish();
    else options.signal?.addEventListener('abort', finish, { once: true });
  });
}
