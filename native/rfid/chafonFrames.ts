/**
 * The binary frame protocol of Chafon-style UHF desktop readers (CF-RU5102, UHFReader18,
 * UHFReader288, ZK-RFID102 and their many rebrands). Written from:
 *  - "ZK-RFID102 UHF RFID Reader User's Manual V2.0" §3 (command block Len, Adr, Cmd, Data[],
 *    LSB-CRC16, MSB-CRC16; response block Len, Adr, reCmd, Status, Data[], CRC; Len counts
 *    every byte after itself, so a command has Len = 4 + |Data| and a response 5 + |Data|),
 *    §5 (status 0x01..0x04 of an inventory) and §8.2.1 (Inventory, Cmd 0x01: response Data is
 *    Num, then per tag EPC-Len + EPC);
 *  - "UHF RFID Reader UR-SERIES User Manual v1.14" §8.2.1 (the UHFReader288 generation:
 *    command Data QValue, Session[, Target, Ant, ScanTime]; response Data Ant, Num, then per
 *    tag Len + EPC + RSSI, bit 7 of Len flagging FastID EPC+TID; statuses 0xF8 antenna error);
 *  - CRC-16/MCRF4XX (poly 0x8408 reflected, preset 0xFFFF) checked against frames captured
 *    from a real reader (e.g. 15 00 01 03 01 01 0c e2806894… 48 25 7e → CRC 0x7E25).
 * Everything here is pure: bytes in, frames or typed errors out. Nothing throws.
 */
import { crc16Mcrf4xx } from './crc16.js';
import { RfidError, type RfidErrorReason } from './errors.js';

export const CHAFON_BROADCAST_ADR = 0xff;
export const CHAFON_CMD_INVENTORY = 0x01;
export const CHAFON_CMD_GET_READER_INFO = 0x21;
/** reCmd the reader uses for a command it did not recognise. */
export const CHAFON_CMD_UNKNOWN = 0x00;
/** Real-time (scan/answer) mode pushes tags with this reCmd without being asked. */
export const CHAFON_CMD_REALTIME = 0xee;

/** Inventory statuses (manual §5). */
export const ChafonStatus = {
  success: 0x00,
  inventoryDone: 0x01,
  inventoryTimeout: 0x02,
  moreFrames: 0x03,
  memoryFull: 0x04,
  antennaError: 0xf8,
  noTag: 0xfb,
} as const;

/** Response layouts differ between the two protocol generations. */
export type ChafonDialect = 'uhfreader18' | 'uhfreader288';

export interface ChafonFrame {
  adr: number;
  cmd: number;
  /** Present on responses (reader → host); absent on commands. */
  status?: number;
  data: Uint8Array;
}

const MAX_LEN = 0xff;

/** Builds a command block: Len, Adr, Cmd, Data[], CRC LSB, CRC MSB. */
export function buildChafonCommand(adr: number, cmd: number, data: ArrayLike<number> = []): Buffer {
  const len = 4 + data.length;
  if (len > MAX_LEN) throw new RangeError(`command data of ${data.length} bytes does not fit one frame`);
  const out = Buffer.alloc(len + 1);
  out[0] = len;
  out[1] = adr & 0xff;
  out[2] = cmd & 0xff;
  for (let i = 0; i < data.length; i++) out[3 + i] = (data[i] ?? 0) & 0xff;
  out.writeUInt16LE(crc16Mcrf4xx(out, 0, len - 1), len - 1);
  return out;
}

/** Builds a response block (used by the simulator and tests): Len, Adr, reCmd, Status, Data[], CRC. */
export function buildChafonResponse(adr: number, cmd: number, status: number, data: ArrayLike<number> = []): Buffer {
  const len = 5 + data.length;
  if (len > MAX_LEN) throw new RangeError(`response data of ${data.length} bytes does not fit one frame`);
  const out = Buffer.alloc(len + 1);
  out[0] = len;
  out[1] = adr & 0xff;
  out[2] = cmd & 0xff;
  out[3] = status & 0xff;
  for (let i = 0; i < data.length; i++) out[4 + i] = (data[i] ?? 0) & 0xff;
  out.writeUInt16LE(crc16Mcrf4xx(out, 0, len - 1), len - 1);
  return out;
}

export interface InventoryOptions {
  adr?: number;
  dialect: ChafonDialect;
  /** Initial Q (0..15): 2^Q ≈ tags in the field. UHFReader288 only. Default 4. */
  q?: number;
  /** Gen2 session 0..3. UHFReader288 only. Default 0 (tags answer every round, right for a bench). */
  session?: number;
  /** Antenna 1..8 and scan time in 100 ms units (3..255); sent together or not at all (UR manual note 1). */
  antenna?: number;
  scanTime?: number;
}

/** The inventory command (Cmd 0x01) for either dialect. */
export function buildInventoryCommand(opts: InventoryOptions): Buffer {
  const adr = opts.adr ?? 0x00;
  if (opts.dialect === 'uhfreader18') return buildChafonCommand(adr, CHAFON_CMD_INVENTORY);
  const q = opts.q ?? 4;
  const session = opts.session ?? 0;
  if (!Number.isInteger(q) || q < 0 || q > 15) throw new RangeError('Q must be 0..15');
  if (!Number.isInteger(session) || session < 0 || session > 3) throw new RangeError('session must be 0..3');
  const data = [q, session];
  if (opts.antenna !== undefined || opts.scanTime !== undefined) {
    const antenna = opts.antenna ?? 1;
    const scanTime = opts.scanTime ?? 10;
    if (!Number.isInteger(antenna) || antenna < 1 || antenna > 8) throw new RangeError('antenna must be 1..8');
    if (!Number.isInteger(scanTime) || scanTime < 3 || scanTime > 255) throw new RangeError('scan time must be 3..255 (×100 ms)');
    data.push(0x00 /* Target A */, 0x80 + (antenna - 1), scanTime);
  }
  return buildChafonCommand(adr, CHAFON_CMD_INVENTORY, data);
}

export interface DecoderOptions {
  /** 'response' frames carry a status byte (min Len 5); 'command' frames do not (min Len 4). */
  kind: 'response' | 'command';
  /** Only accept frames with one of these command bytes. Cheap pre-filter that keeps resync fast under garbage. */
  cmds?: ReadonlySet<number>;
  /** Only accept this reader address (a broadcast-addressed command is always accepted). */
  adr?: number;
  /** Bytes held at once (partial frame plus unscanned input); beyond this the oldest are dropped. Default 16384. */
  maxBuffer?: number;
}

export interface DecodeResult {
  frames: ChafonFrame[];
  errors: RfidError[];
}

/**
 * Turns a byte stream into frames. Survives partial reads (keeps the tail), garbage and
 * corrupted frames (skips byte by byte until a header passes the pre-filter and the CRC
 * matches), and floods (bounded buffer). A run of skipped bytes is reported as one error whose
 * reason is what first went wrong (bad_length, bad_crc or garbage).
 */
export class ChafonFrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private readonly minLen: number;
  private readonly maxBuffer: number;

  constructor(private readonly opts: DecoderOptions) {
    this.minLen = opts.kind === 'response' ? 5 : 4;
    this.maxBuffer = Math.max(opts.maxBuffer ?? 16_384, MAX_LEN + 1);
  }

  /** Bytes waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }

  push(chunk: Uint8Array): DecodeResult {
    const result: DecodeResult = { frames: [], errors: [] };
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    if (this.buf.length > this.maxBuffer) {
      // A flood: scanning it all would block the event loop, and no frame is longer than 256 bytes.
      const drop = this.buf.length - this.maxBuffer;
      this.buf = this.buf.subarray(drop);
      result.errors.push(new RfidError('overflow', `dropped ${drop} byte(s) of a flood (over ${this.maxBuffer} bytes unframed)`));
    }
    let pos = 0;
    let skipped = 0;
    let skipReason: RfidErrorReason | null = null;
    const flushSkip = (): void => {
      if (skipped > 0) {
        result.errors.push(new RfidError(skipReason ?? 'garbage', `skipped ${skipped} byte(s) of unframed data (${skipReason ?? 'garbage'})`));
      }
      skipped = 0;
      skipReason = null;
    };
    const skip = (reason: RfidErrorReason): void => {
      if (skipped === 0) skipReason = reason;
      skipped++;
      pos++;
    };

    while (pos < this.buf.length) {
      const verdict = this.check(pos);
      if (verdict.kind === 'frame') {
        flushSkip();
        result.frames.push(verdict.frame);
        pos += verdict.size;
      } else if (verdict.kind === 'reject') {
        skip(verdict.reason);
      } else {
        // Incomplete at pos. If a complete, valid frame starts later, the bytes at pos were not a
        // frame start after all (a garbage length byte would otherwise stall us until more data).
        const later = this.findCompleteFrom(pos + 1);
        if (later < 0) break;
        while (pos < later) skip('garbage');
      }
    }
    flushSkip();
    this.buf = this.buf.subarray(pos);
    // Copy so the decoder never pins a large chunk from a flood.
    this.buf = Buffer.from(this.buf);
    return result;
  }

  private headerOk(pos: number): RfidErrorReason | null {
    const len = this.buf[pos] ?? 0;
    if (len < this.minLen) return 'bad_length';
    if (this.buf.length > pos + 1) {
      const adr = this.buf[pos + 1] ?? 0;
      if (this.opts.adr !== undefined && adr !== this.opts.adr && adr !== CHAFON_BROADCAST_ADR) return 'garbage';
    }
    if (this.buf.length > pos + 2 && this.opts.cmds && !this.opts.cmds.has(this.buf[pos + 2] ?? -1)) return 'garbage';
    return null;
  }

  private check(pos: number): { kind: 'frame'; frame: ChafonFrame; size: number } | { kind: 'reject'; reason: RfidErrorReason } | { kind: 'incomplete' } {
    const bad = this.headerOk(pos);
    if (bad) return { kind: 'reject', reason: bad };
    const len = this.buf[pos] ?? 0;
    const size = len + 1;
    if (this.buf.length - pos < size) return { kind: 'incomplete' };
    const crc = crc16Mcrf4xx(this.buf, pos, pos + len - 1);
    const got = this.buf.readUInt16LE(pos + len - 1);
    if (crc !== got) return { kind: 'reject', reason: 'bad_crc' };
    const body = this.buf.subarray(pos + 1, pos + len - 1);
    const frame: ChafonFrame =
      this.opts.kind === 'response'
        ? { adr: body[0] ?? 0, cmd: body[1] ?? 0, status: body[2] ?? 0, data: Uint8Array.from(body.subarray(3)) }
        : { adr: body[0] ?? 0, cmd: body[1] ?? 0, data: Uint8Array.from(body.subarray(2)) };
    return { kind: 'frame', frame, size };
  }

  private findCompleteFrom(from: number): number {
    for (let p = from; p < this.buf.length; p++) {
      if (this.check(p).kind === 'frame') return p;
    }
    return -1;
  }
}

export interface ChafonTag {
  epcHex: string;
  /** Antenna number 1..8, when the frame says (UHFReader288 reports a bit mask). */
  antenna?: number;
  /** The reader's raw RSSI byte (these readers report an unsigned strength, not dBm). */
  rssi?: number;
}

export interface InventoryResponse {
  status: number;
  /** True while the reader has more frames of this inventory round to send (status 0x03). */
  more: boolean;
  tags: ChafonTag[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: RfidError };

const fail = <T>(reason: RfidErrorReason, message: string): ParseResult<T> => ({ ok: false, error: new RfidError(reason, message) });

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

/** Antenna bit mask (0x01 = antenna 1, 0x04 = antenna 3) → the lowest antenna number set. */
function antennaFromMask(mask: number): number | undefined {
  for (let i = 0; i < 8; i++) if (mask & (1 << i)) return i + 1;
  return undefined;
}

/**
 * Reads the tags out of an inventory response frame. Statuses 0x01–0x04 carry tags, 0xFB ("no
 * tag operable") is an empty round; anything else is a typed 'bad_status' error.
 */
export function parseInventoryResponse(frame: ChafonFrame, dialect: ChafonDialect): ParseResult<InventoryResponse> {
  if (frame.cmd !== CHAFON_CMD_INVENTORY) return fail('protocol', `not an inventory response (reCmd 0x${frame.cmd.toString(16)})`);
  const status = frame.status ?? -1;
  if (status === ChafonStatus.noTag) return { ok: true, value: { status, more: false, tags: [] } };
  if (status === ChafonStatus.antennaError) return fail('bad_status', 'reader reports an antenna error (antenna disconnected?)');
  if (status < ChafonStatus.inventoryDone || status > ChafonStatus.memoryFull) {
    return fail('bad_status', `inventory failed with status 0x${status.toString(16).padStart(2, '0')}`);
  }
  const d = frame.data;
  let p = 0;
  let antenna: number | undefined;
  if (dialect === 'uhfreader288') {
    if (d.length < 2) return fail('truncated', 'inventory response lacks Ant and Num');
    antenna = antennaFromMask(d[p++] ?? 0);
  } else if (d.length < 1) {
    return fail('truncated', 'inventory response lacks Num');
  }
  const num = d[p++] ?? 0;
  const tags: ChafonTag[] = [];
  for (let i = 0; i < num; i++) {
    if (p >= d.length) return fail('truncated', `frame says ${num} tag(s) but holds ${i}`);
    // Bit 7 flags an EPC+TID block (FastID); the EPC length is then not separable, keep it all.
    const len = (d[p++] ?? 0) & 0x7f;
    if (len === 0) return fail('bad_epc', `tag ${i + 1} has an empty EPC`);
    const rssiBytes = dialect === 'uhfreader288' ? 1 : 0;
    if (p + len + rssiBytes > d.length) return fail('truncated', `tag ${i + 1} EPC runs past the end of the frame`);
    const tag: ChafonTag = { epcHex: hex(d.subarray(p, p + len)) };
    p += len;
    if (antenna !== undefined) tag.antenna = antenna;
    if (rssiBytes) tag.rssi = d[p++] ?? 0;
    tags.push(tag);
  }
  if (p !== d.length) return fail('bad_length', `${d.length - p} byte(s) left after ${num} tag(s)`);
  return { ok: true, value: { status, more: status === ChafonStatus.moreFrames, tags } };
}

/** Encodes an inventory response's Data[] (simulator side). */
export function encodeInventoryData(dialect: ChafonDialect, tags: readonly ChafonTag[], antenna = 1): Buffer {
  const parts: number[] = [];
  if (dialect === 'uhfreader288') parts.push(1 << (antenna - 1));
  parts.push(tags.length);
  for (const t of tags) {
    const epc = Buffer.from(t.epcHex, 'hex');
    parts.push(epc.length, ...epc);
    if (dialect === 'uhfreader288') parts.push((t.rssi ?? 0) & 0xff);
  }
  return Buffer.from(parts);
}
