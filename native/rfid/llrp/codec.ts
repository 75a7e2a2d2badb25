// LLRP binary encoding (LLRP 1.0.1 §15): the message header, TV and TLV parameters, and a
// bounded stream framer. All integers are big-endian. Decoders return typed errors, never throw.
import { RfidError, type RfidErrorReason } from '../errors.js';
import { LLRP_HEADER_BYTES, LLRP_VERSION, TV_VALUE_BYTES } from './constants.js';

export interface LlrpMessage {
  version: number;
  type: number;
  id: number;
  /** Everything after the 10-byte header. */
  body: Uint8Array;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: RfidError };

export const bad = <T>(reason: RfidErrorReason, message: string): Parsed<T> => ({ ok: false, error: new RfidError(reason, message) });

// ---------------------------------------------------------------------------------------------
// Writing

export const u8 = (v: number): Buffer => Buffer.from([v & 0xff]);
export const u16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v & 0xffff);
  return b;
};
export const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
};
export const u64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, v));
  return b;
};
export const s8 = (v: number): Buffer => {
  const b = Buffer.alloc(1);
  b.writeInt8(Math.max(-128, Math.min(127, Math.trunc(v))));
  return b;
};
/** utf8v: u16 byte count then the bytes. */
export const utf8v = (s: string): Buffer => {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u16(bytes.length), bytes]);
};

/** TLV parameter: 6 reserved bits + 10-bit type, u16 length (header included), value. */
export function tlv(type: number, ...parts: Uint8Array[]): Buffer {
  const value = Buffer.concat(parts);
  const length = 4 + value.length;
  if (length > 0xffff) throw new RangeError(`TLV parameter ${type} of ${length} bytes exceeds 65535`);
  return Buffer.concat([u16(type & 0x3ff), u16(length), value]);
}

/** TV parameter: 1 + 7-bit type, then a value of the size the type defines. */
export function tv(type: number, value: Uint8Array): Buffer {
  const size = TV_VALUE_BYTES.get(type);
  if (size === undefined || size !== value.length) throw new RangeError(`TV parameter ${type} takes ${size ?? '?'} bytes, got ${value.length}`);
  return Buffer.concat([u8(0x80 | (type & 0x7f)), value]);
}

export function encodeMessage(type: number, id: number, body: Uint8Array = new Uint8Array(0), version = LLRP_VERSION): Buffer {
  const header = Buffer.alloc(LLRP_HEADER_BYTES);
  header.writeUInt16BE(((version & 0x7) << 10) | (type & 0x3ff), 0);
  header.writeUInt32BE(LLRP_HEADER_BYTES + body.length, 2);
  header.writeUInt32BE(id >>> 0, 6);
  return Buffer.concat([header, body]);
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface LlrpParam {
  type: number;
  encoding: 'tv' | 'tlv';
  /** The parameter's value: for TLV everything after the 4-byte header (fields, then sub-parameters). */
  value: Uint8Array;
}

/** Splits a run of parameters. A TV type of unknown size cannot be skipped, so it is an error. */
export function readParams(bytes: Uint8Array): Parsed<LlrpParam[]> {
  const out: LlrpParam[] = [];
  let p = 0;
  while (p < bytes.length) {
    const first = bytes[p] ?? 0;
    if (first & 0x80) {
      const type = first & 0x7f;
      const size = TV_VALUE_BYTES.get(type);
      if (size === undefined) return bad('unknown_type', `unknown TV parameter type ${type} at offset ${p}`);
      if (p + 1 + size > bytes.length) return bad('truncated', `TV parameter ${type} at offset ${p} is cut short`);
      out.push({ type, encoding: 'tv', value: bytes.subarray(p + 1, p + 1 + size) });
      p += 1 + size;
      continue;
    }
    if (p + 4 > bytes.length) return bad('truncated', `TLV header at offset ${p} is cut short`);
    const type = (((bytes[p] ?? 0) << 8) | (bytes[p + 1] ?? 0)) & 0x3ff;
    const length = ((bytes[p + 2] ?? 0) << 8) | (bytes[p + 3] ?? 0);
    if (length < 4) return bad('bad_length', `TLV parameter ${type} at offset ${p} has length ${length} (< 4)`);
    if (p + length > bytes.length) return bad('truncated', `TLV parameter ${type} at offset ${p} claims ${length} bytes, ${bytes.length - p} left`);
    out.push({ type, encoding: 'tlv', value: bytes.subarray(p + 4, p + length) });
    p += length;
  }
  return { ok: true, value: out };
}

/** A cursor over fixed fields that reports running off the end instead of reading garbage. */
export class FieldReader {
  private p = 0;
  overrun = false;

  constructor(private readonly bytes: Uint8Array) {}

  get offset(): number {
    return this.p;
  }

  rest(): Uint8Array {
    return this.bytes.subarray(Math.min(this.p, this.bytes.length));
  }

  private take(n: number): Uint8Array | null {
    if (this.p + n > this.bytes.length) {
      this.overrun = true;
      this.p = this.bytes.length;
      return null;
    }
    const s = this.bytes.subarray(this.p, this.p + n);
    this.p += n;
    return s;
  }

  u8(): number {
    return this.take(1)?.[0] ?? 0;
  }

  u16(): number {
    const b = this.take(2);
    return b ? ((b[0] ?? 0) << 8) | (b[1] ?? 0) : 0;
  }

  u32(): number {
    const b = this.take(4);
    return b ? Buffer.from(b).readUInt32BE(0) : 0;
  }

  u64(): bigint {
    const b = this.take(8);
    return b ? Buffer.from(b).readBigUInt64BE(0) : 0n;
  }

  s8(): number {
    const v = this.u8();
    return v > 127 ? v - 256 : v;
  }

  bytesOf(n: number): Uint8Array {
    return this.take(n) ?? new Uint8Array(0);
  }

  utf8v(): string {
    const n = this.u16();
    return Buffer.from(this.bytesOf(n)).toString('utf8');
  }
}

export interface FramerOptions {
  /** Largest message accepted; a bigger length field means the stream is corrupt (default 1 MiB). */
  maxMessageBytes?: number;
}

export interface FramerResult {
  messages: LlrpMessage[];
  /**
   * Set when the stream can no longer be trusted (a length field below the header size or above
   * the bound). TCP has no resync marker, so the caller must reset the connection.
   */
  fatal?: RfidError;
}

/** Cuts a TCP byte stream into LLRP messages, holding at most one partial message. */
export class LlrpFramer {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly max: number;
  private dead = false;
  /** Bytes the partial message needs in total; lets many small chunks append without re-concatenating. */
  private needed = LLRP_HEADER_BYTES;

  constructor(options: FramerOptions = {}) {
    this.max = options.maxMessageBytes ?? 1024 * 1024;
  }

  get pending(): number {
    return this.size;
  }

  reset(): void {
    this.chunks = [];
    this.size = 0;
    this.dead = false;
    this.needed = LLRP_HEADER_BYTES;
  }

  push(chunk: Uint8Array): FramerResult {
    const result: FramerResult = { messages: [] };
    if (this.dead) return result;
    this.chunks.push(Buffer.from(chunk));
    this.size += chunk.length;
    if (this.size < this.needed) return result;
    let buf = this.chunks.length === 1 ? (this.chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(this.chunks);
    let p = 0;
    while (buf.length - p >= LLRP_HEADER_BYTES) {
      const length = buf.readUInt32BE(p + 2);
      if (length < LLRP_HEADER_BYTES || length > this.max) {
        this.dead = true;
        this.chunks = [];
        this.size = 0;
        result.fatal = new RfidError(
          'bad_length',
          length < LLRP_HEADER_BYTES ? `message length ${length} is shorter than the header` : `message length ${length} exceeds the ${this.max}-byte limit`,
        );
        return result;
      }
      if (buf.length - p < length) break;
      const word = buf.readUInt16BE(p);
      result.messages.push({
        version: (word >> 10) & 0x7,
        type: word & 0x3ff,
        id: buf.readUInt32BE(p + 6),
        body: Uint8Array.from(buf.subarray(p + LLRP_HEADER_BYTES, p + length)),
      });
      p += length;
    }
    buf = buf.subarray(p);
    this.chunks = buf.length > 0 ? [Buffer.from(buf)] : [];
    this.size = buf.length;
    this.needed = buf.length >= LLRP_HEADER_BYTES ? buf.readUInt32BE(2) : LLRP_HEADER_BYTES;
    return result;
  }
}

/** Decodes exactly one message from a buffer (tests, fuzzing, one-shot use). */
export function decodeMessage(bytes: Uint8Array, options: FramerOptions = {}): Parsed<LlrpMessage> {
  const framer = new LlrpFramer(options);
  const r = framer.push(bytes);
  if (r.fatal) return { ok: false, error: r.fatal };
  const [msg] = r.messages;
  if (!msg) return bad('truncated', `need a whole message, got ${bytes.length} byte(s)`);
  if (r.messages.length > 1 || framer.pending > 0) return bad('bad_length', 'bytes left after the message');
  return { ok: true, value: msg };
}
