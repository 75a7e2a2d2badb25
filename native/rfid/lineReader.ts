// Readers that print one tag per line (USB-serial "keyboard-less" desktop readers, RS-232 gate
// readers in ASCII mode). Common shapes, all accepted:
//   E2801160600002054F2A1B3C
//   E2801160600002054F2A1B3C,-52          (EPC, RSSI in dBm)
//   E2801160600002054F2A1B3C -52.5 2      (EPC, RSSI, antenna)
//   EPC:E2801160600002054F2A1B3C RSSI:-52 ANT:2
// Lines end in CR, LF or CRLF. Anything else on a line is a typed error for that line only.
import type { ByteTransport } from '../transports/serial.js';
import { SilenceTimer } from '../transports/silence.js';
import { RfidError } from './errors.js';
import { Listeners } from './listeners.js';
import { ReaderHealth } from './readerHealth.js';
import { makeTagRead, normalizeEpcHex, type RfidReader, type RfidReaderStatus, type TagRead } from './tagReads.js';

export interface LineTag {
  epcHex: string;
  rssi?: number;
  antenna?: number;
}

export type LineParseResult = { ok: true; tag: LineTag } | { ok: false; error: RfidError };

const KEYED = /^(epc|rssi|ant|antenna)\s*[:=]\s*(.*)$/i;

/** Parses one line (without its terminator). Never throws. */
export function parseTagLine(line: string): LineParseResult {
  const text = line.trim();
  if (text.length === 0) return { ok: false, error: new RfidError('bad_epc', 'empty line') };
  if (text.length > 200) return { ok: false, error: new RfidError('bad_length', `line of ${text.length} characters is too long for a tag read`) };
  // "EPC: E280…" and "EPC=E280…" become one field before splitting on separators.
  const glued = text.replace(/\b(epc|rssi|antenna|ant)\s*[:=]\s*/gi, '$1=');
  const fields = glued.split(/[\s,;|]+/).filter((f) => f.length > 0);
  let epc: string | undefined;
  let rssi: string | undefined;
  let antenna: string | undefined;
  const positional: string[] = [];
  for (const f of fields) {
    const k = KEYED.exec(f);
    if (!k) {
      positional.push(f);
      continue;
    }
    const key = (k[1] ?? '').toLowerCase();
    const value = k[2] ?? '';
    if (key === 'epc') epc = value;
    else if (key === 'rssi') rssi = value;
    else antenna = value;
  }
  if (epc === undefined) epc = positional.shift();
  if (rssi === undefined) rssi = positional.shift();
  if (antenna === undefined) antenna = positional.shift();
  if (positional.length > 0) return { ok: false, error: new RfidError('protocol', `unexpected extra field "${positional[0]?.slice(0, 20)}"`) };
  if (epc === undefined) return { ok: false, error: new RfidError('bad_epc', 'no EPC on the line') };
  const norm = normalizeEpcHex(epc);
  if (!norm.ok) return norm;
  const tag: LineTag = { epcHex: norm.epcHex };
  if (rssi !== undefined) {
    if (!/^[+-]?\d{1,3}(\.\d{1,2})?$/.test(rssi)) return { ok: false, error: new RfidError('bad_rssi', `RSSI "${rssi.slice(0, 20)}" is not a number`) };
    const value = Number(rssi);
    if (value < -128 || value > 127) return { ok: false, error: new RfidError('bad_rssi', `RSSI ${value} is out of range`) };
    tag.rssi = value;
  }
  if (antenna !== undefined) {
    if (!/^\d{1,2}$/.test(antenna) || Number(antenna) < 1) return { ok: false, error: new RfidError('protocol', `antenna "${antenna.slice(0, 20)}" is not 1..99`) };
    tag.antenna = Number(antenna);
  }
  return { ok: true, tag };
}

export interface LineSplitterOptions {
  /** Longest line kept; longer ones are dropped whole with an 'overflow' error (default 256). */
  maxLineLength?: number;
}

/** Splits a byte stream into lines, bounded: a flood without terminators cannot grow memory. */
export class LineSplitter {
  private partial = '';
  private discarding = false;
  private readonly max: number;

  constructor(options: LineSplitterOptions = {}) {
    this.max = options.maxLineLength ?? 256;
  }

  reset(): void {
    this.partial = '';
    this.discarding = false;
  }

  /** True while a line has started and its end has not come. */
  get midLine(): boolean {
    return this.partial.length > 0 || this.discarding;
  }

  /** Gives up on the line in progress; returns how many held characters are dropped (0 for an overflow already reported). */
  abandon(): number {
    const dropped = this.discarding ? 0 : this.partial.length;
    this.reset();
    return dropped;
  }

  push(chunk: Uint8Array): { lines: string[]; errors: RfidError[] } {
    const lines: string[] = [];
    const errors: RfidError[] = [];
    // latin1 keeps one char per byte, so garbage never becomes multi-byte surprises.
    const text = Buffer.from(chunk).toString('latin1');
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      const piece = text.slice(start, i);
      start = i + 1;
      if (this.discarding) {
        this.discarding = false;
        this.partial = '';
        continue;
      }
      const line = this.partial + piece;
      this.partial = '';
      if (line.length > this.max) errors.push(new RfidError('overflow', `dropped a line of ${line.length} characters (limit ${this.max})`));
      else if (line.length > 0) lines.push(line);
    }
    if (start < text.length) {
      if (this.discarding) return { lines, errors };
      this.partial += text.slice(start);
      if (this.partial.length > this.max) {
        errors.push(new RfidError('overflow', `line longer than ${this.max} characters without a terminator; discarding it`));
        this.partial = '';
        this.discarding = true;
      }
    }
    return { lines, errors };
  }
}

export interface LineReaderOptions {
  transport: ByteTransport;
  maxLineLength?: number;
  /**
   * A line whose end has not come after this much silence is dropped and reported (default 1000 ms),
   * so a line cut short is not glued to the next one: two 96-bit EPCs run together read as one
   * valid-looking 192-bit EPC.
   */
  unterminatedMs?: number;
  now?: () => number;
}

export class LineReader implements RfidReader {
  readonly source: string;
  private readonly transport: ByteTransport;
  private readonly splitter: LineSplitter;
  private readonly now: () => number;
  private readonly health: ReaderHealth;
  private readonly reads = new Listeners<TagRead>();
  private readonly errors = new Listeners<RfidError>();
  private readonly unsubscribe: Array<() => void> = [];
  private running = false;
  private readonly unterminated: SilenceTimer;

  constructor(options: LineReaderOptions) {
    this.transport = options.transport;
    this.unterminated = new SilenceTimer(options.unterminatedMs ?? 1000, () => this.onUnterminated());
    this.splitter = new LineSplitter(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength });
    this.now = options.now ?? Date.now;
    this.source = `rfid-line:${this.transport.label}`;
    this.health = new ReaderHealth(this.transport.status(), { now: this.now });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe.push(
      this.transport.onData((chunk) => this.onBytes(chunk)),
      this.transport.onStatus((s) => {
        // A half line from before an unplug must not be glued to the first line after it.
        if (s.state !== 'connected') {
          this.clearUnterminated();
          this.splitter.reset();
        }
        this.health.setLink(s);
      }),
    );
    this.transport.start();
    this.health.setLink(this.transport.status());
  }

  async close(): Promise<void> {
    this.running = false;
    this.clearUnterminated();
    for (const off of this.unsubscribe.splice(0)) off();
    await this.transport.close();
    this.health.setLink(this.transport.status());
  }

  status(): RfidReaderStatus {
    return this.health.status();
  }

  onRead(listener: (read: TagRead) => void): () => void {
    return this.reads.add(listener);
  }

  onStatus(listener: (status: RfidReaderStatus) => void): () => void {
    return this.health.changes.add(listener);
  }

  onError(listener: (error: RfidError) => void): () => void {
    return this.errors.add(listener);
  }

  private fail(e: RfidError): void {
    this.health.noteError();
    this.errors.emit(e);
  }

  private clearUnterminated(): void {
    this.unterminated.clear();
  }

  private onUnterminated(): void {
    const dropped = this.splitter.abandon();
    if (dropped > 0) {
      this.fail(
        new RfidError('truncated', `${dropped} characters arrived without a line end and nothing followed for ${this.unterminated.ms / 1000} s; dropped (a tag line cut short, or the reader's line-end setting)`),
      );
    }
  }

  private onBytes(chunk: Buffer): void {
    this.clearUnterminated();
    this.lines(chunk);
    if (this.running && this.splitter.midLine) this.unterminated.arm();
  }

  private lines(chunk: Buffer): void {
    const { lines, errors } = this.splitter.push(chunk);
    for (const e of errors) this.fail(e);
    for (const line of lines) {
      const parsed = parseTagLine(line);
      if (!parsed.ok) {
        this.fail(parsed.error);
        continue;
      }
      const made = makeTagRead({ ...parsed.tag, at: this.now(), source: this.source });
      if (!made.ok) {
        this.fail(made.error);
        continue;
      }
      this.health.noteGood();
      this.reads.emit(made.read);
    }
  }
}
