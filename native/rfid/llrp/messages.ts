// The LLRP messages a bench needs, built and parsed per LLRP 1.0.1 (§17 messages, §16 params):
// client → reader: GET_READER_CAPABILITIES, SET_READER_CONFIG (KeepaliveSpec), DELETE/ADD/
// ENABLE/START_ROSPEC, KEEPALIVE_ACK, CLOSE_CONNECTION; reader → client: their responses with
// LLRPStatus, READER_EVENT_NOTIFICATION, RO_ACCESS_REPORT, KEEPALIVE, ERROR_MESSAGE.
// The reader-side builders are here too, for the simulator and for tests.
import { RfidError } from '../errors.js';
import { bad, encodeMessage, FieldReader, readParams, s8, tlv, tv, u16, u32, u64, u8, utf8v, type LlrpParam, type Parsed } from './codec.js';
import { MessageType, StatusCode, TlvType, TvType } from './constants.js';

// ---------------------------------------------------------------------------------------------
// Client → reader

export interface RoSpecOptions {
  roSpecId: number;
  /** Antenna IDs to use; [0] (the default) means every antenna. */
  antennas?: number[];
  /** AISpec stop: run until the ROSpec stops (default), or for `durationMs`. */
  aiSpecDurationMs?: number;
  /** Send a report after this many tags (default 1: every tag as soon as it is seen). */
  reportEveryNTags?: number;
}

/** TagReportContentSelector bits (MSB first): AntennaID, PeakRSSI and FirstSeenTimestamp on. */
export const TAG_REPORT_CONTENT_FLAGS = (1 << 12) | (1 << 10) | (1 << 9);

/**
 * ROSpec: started by START_ROSPEC (start trigger Null), stopped only by STOP_ROSPEC or the
 * connection (stop trigger Null); one AISpec over the given antennas running Gen2 inventory;
 * ROReportSpec asking for EPC, antenna ID, peak RSSI and first-seen timestamp.
 */
export function encodeRoSpec(o: RoSpecOptions): Buffer {
  const antennas = o.antennas && o.antennas.length > 0 ? o.antennas : [0];
  const boundary = tlv(
    TlvType.ROBoundarySpec,
    tlv(TlvType.ROSpecStartTrigger, u8(0 /* Null */)),
    tlv(TlvType.ROSpecStopTrigger, u8(0 /* Null */), u32(0)),
  );
  const aiStop =
    o.aiSpecDurationMs === undefined
      ? tlv(TlvType.AISpecStopTrigger, u8(0 /* Null */), u32(0))
      : tlv(TlvType.AISpecStopTrigger, u8(1 /* Duration */), u32(o.aiSpecDurationMs));
  const aiSpec = tlv(
    TlvType.AISpec,
    u16(antennas.length),
    ...antennas.map((a) => u16(a)),
    aiStop,
    tlv(TlvType.InventoryParameterSpec, u16(1), u8(1 /* EPCGlobalClass1Gen2 */)),
  );
  const report = tlv(
    TlvType.ROReportSpec,
    u8(1 /* Upon_N_Tags_Or_End_Of_AISpec */),
    u16(o.reportEveryNTags ?? 1),
    tlv(TlvType.TagReportContentSelector, u16(TAG_REPORT_CONTENT_FLAGS)),
  );
  return tlv(TlvType.ROSpec, u32(o.roSpecId), u8(0 /* priority */), u8(0 /* Disabled */), boundary, aiSpec, report);
}

export const buildGetReaderCapabilities = (id: number): Buffer => encodeMessage(MessageType.GET_READER_CAPABILITIES, id, u8(0 /* All */));
/** SET_READER_CONFIG asking for a KEEPALIVE every `periodMs` (the reader's side of dead-link detection). */
export const buildSetKeepalive = (id: number, periodMs: number): Buffer =>
  encodeMessage(MessageType.SET_READER_CONFIG, id, Buffer.concat([u8(0 /* ResetToFactoryDefault = 0 */), tlv(TlvType.KeepaliveSpec, u8(1 /* Periodic */), u32(periodMs))]));
/** ROSpecID 0 deletes every ROSpec, which clears whatever a previous client left behind. */
export const buildDeleteRoSpec = (id: number, roSpecId = 0): Buffer => encodeMessage(MessageType.DELETE_ROSPEC, id, u32(roSpecId));
export const buildAddRoSpec = (id: number, o: RoSpecOptions): Buffer => encodeMessage(MessageType.ADD_ROSPEC, id, encodeRoSpec(o));
export const buildEnableRoSpec = (id: number, roSpecId: number): Buffer => encodeMessage(MessageType.ENABLE_ROSPEC, id, u32(roSpecId));
export const buildStartRoSpec = (id: number, roSpecId: number): Buffer => encodeMessage(MessageType.START_ROSPEC, id, u32(roSpecId));
export const buildStopRoSpec = (id: number, roSpecId: number): Buffer => encodeMessage(MessageType.STOP_ROSPEC, id, u32(roSpecId));
/** KEEPALIVE_ACK echoes the KEEPALIVE's message ID. */
export const buildKeepaliveAck = (id: number): Buffer => encodeMessage(MessageType.KEEPALIVE_ACK, id);
export const buildCloseConnection = (id: number): Buffer => encodeMessage(MessageType.CLOSE_CONNECTION, id);

// ---------------------------------------------------------------------------------------------
// Reader → client: parsing

export interface LlrpStatus {
  code: number;
  description: string;
}

export const isSuccess = (s: LlrpStatus): boolean => s.code === StatusCode.M_Success;

const find = (params: LlrpParam[], type: number, encoding: 'tv' | 'tlv' = 'tlv'): LlrpParam | undefined =>
  params.find((p) => p.type === type && p.encoding === encoding);

export function parseLlrpStatusParam(value: Uint8Array): Parsed<LlrpStatus> {
  const r = new FieldReader(value);
  const code = r.u16();
  const description = r.utf8v();
  if (r.overrun) return bad('truncated', 'LLRPStatus is cut short');
  return { ok: true, value: { code, description } };
}

/** The LLRPStatus of any *_RESPONSE, CLOSE_CONNECTION_RESPONSE or ERROR_MESSAGE body. */
export function parseResponseStatus(body: Uint8Array): Parsed<LlrpStatus> {
  const params = readParams(body);
  if (!params.ok) return params;
  const status = find(params.value, TlvType.LLRPStatus);
  if (!status) return bad('protocol', 'response has no LLRPStatus');
  return parseLlrpStatusParam(status.value);
}

export function describeStatus(s: LlrpStatus): string {
  const name = Object.entries(StatusCode).find(([, v]) => v === s.code)?.[0] ?? `status ${s.code}`;
  return s.description ? `${name}: ${s.description}` : name;
}

export interface ReaderEvent {
  /** Epoch ms when the reader stamped the event with UTC; undefined for uptime stamps. */
  at?: number;
  connectionAttempt?: number;
  connectionClose?: boolean;
  antennaEvent?: { connected: boolean; antenna: number };
  readerException?: string;
}

const MAX_SANE_MICROS = 7_258_118_400_000_000n; // 2200-01-01

/** µs since 1970 → epoch ms, or undefined when the value is not a plausible wall-clock time. */
export function microsToMs(us: bigint): number | undefined {
  if (us <= 0n || us > MAX_SANE_MICROS) return undefined;
  return Number(us / 1000n);
}

export function parseReaderEventNotification(body: Uint8Array): Parsed<ReaderEvent> {
  const top = readParams(body);
  if (!top.ok) return top;
  const data = find(top.value, TlvType.ReaderEventNotificationData);
  if (!data) return bad('protocol', 'READER_EVENT_NOTIFICATION without ReaderEventNotificationData');
  const inner = readParams(data.value);
  if (!inner.ok) return inner;
  const ev: ReaderEvent = {};
  for (const p of inner.value) {
    if (p.encoding !== 'tlv') continue;
    const r = new FieldReader(p.value);
    switch (p.type) {
      case TlvType.UTCTimestamp: {
        const at = microsToMs(r.u64());
        if (at !== undefined) ev.at = at;
        break;
      }
      case TlvType.ConnectionAttemptEvent:
        ev.connectionAttempt = r.u16();
        break;
      case TlvType.ConnectionCloseEvent:
        ev.connectionClose = true;
        break;
      case TlvType.AntennaEvent:
        ev.antennaEvent = { connected: r.u8() === 1, antenna: r.u16() };
        break;
      case TlvType.ReaderExceptionEvent:
        ev.readerException = r.utf8v().slice(0, 500);
        break;
      default:
        break;
    }
    if (r.overrun) return bad('truncated', `reader event parameter ${p.type} is cut short`);
  }
  return { ok: true, value: ev };
}

export interface LlrpTagReport {
  epcHex: string;
  antenna?: number;
  peakRssi?: number;
  /** Epoch ms from FirstSeenTimestampUTC. */
  firstSeenAt?: number;
  seenCount?: number;
}

export interface AccessReport {
  tags: LlrpTagReport[];
  /** TagReportData entries that could not be read; the others are still delivered. */
  errors: RfidError[];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

export function parseTagReportData(value: Uint8Array): Parsed<LlrpTagReport> {
  const params = readParams(value);
  if (!params.ok) return params;
  let epcHex: string | undefined;
  let epcCount = 0;
  const tag: Omit<LlrpTagReport, 'epcHex'> = {};
  for (const p of params.value) {
    const r = new FieldReader(p.value);
    if (p.encoding === 'tv') {
      switch (p.type) {
        case TvType.EPC_96:
          epcHex = hex(p.value);
          epcCount++;
          break;
        case TvType.AntennaID:
          tag.antenna = r.u16();
          break;
        case TvType.PeakRSSI:
          tag.peakRssi = r.s8();
          break;
        case TvType.FirstSeenTimestampUTC: {
          const at = microsToMs(r.u64());
          if (at !== undefined) tag.firstSeenAt = at;
          break;
        }
        case TvType.TagSeenCount:
          tag.seenCount = r.u16();
          break;
        default:
          break;
      }
    } else if (p.type === TlvType.EPCData) {
      // EPCData is a u1v: a u16 bit count, then that many bits padded to whole bytes.
      const bits = r.u16();
      const bytes = r.bytesOf(Math.ceil(bits / 8));
      if (r.overrun) return bad('truncated', `EPCData says ${bits} bits but holds ${p.value.length - 2} byte(s)`);
      if (r.rest().length > 0) return bad('bad_length', `EPCData has ${r.rest().length} byte(s) after its ${bits} bits`);
      if (bits === 0 || bits % 16 !== 0) return bad('bad_epc', `EPC of ${bits} bits is not whole 16-bit words`);
      epcHex = hex(bytes);
      epcCount++;
    }
    if (r.overrun) return bad('truncated', `tag report parameter ${p.type} is cut short`);
  }
  if (epcCount !== 1 || epcHex === undefined) return bad('protocol', `TagReportData must hold exactly one EPC parameter, found ${epcCount}`);
  return { ok: true, value: { epcHex, ...tag } };
}

/** RO_ACCESS_REPORT → its tags. A broken TagReportData costs only that tag. */
export function parseRoAccessReport(body: Uint8Array): Parsed<AccessReport> {
  const params = readParams(body);
  if (!params.ok) return params;
  const report: AccessReport = { tags: [], errors: [] };
  for (const p of params.value) {
    if (p.encoding !== 'tlv' || p.type !== TlvType.TagReportData) continue;
    const tag = parseTagReportData(p.value);
    if (tag.ok) report.tags.push(tag.value);
    else report.errors.push(tag.error);
  }
  return { ok: true, value: report };
}

export interface ReaderCapabilities {
  maxAntennas: number;
  hasUtcClock: boolean;
  manufacturer: number;
  model: number;
  firmware: string;
}

export function parseCapabilitiesResponse(body: Uint8Array): Parsed<{ status: LlrpStatus; capabilities?: ReaderCapabilities }> {
  const params = readParams(body);
  if (!params.ok) return params;
  const statusParam = find(params.value, TlvType.LLRPStatus);
  if (!statusParam) return bad('protocol', 'capabilities response has no LLRPStatus');
  const status = parseLlrpStatusParam(statusParam.value);
  if (!status.ok) return status;
  const general = find(params.value, TlvType.GeneralDeviceCapabilities);
  if (!general) return { ok: true, value: { status: status.value } };
  const r = new FieldReader(general.value);
  const maxAntennas = r.u16();
  const flags = r.u16();
  const manufacturer = r.u32();
  const model = r.u32();
  const firmware = r.utf8v().slice(0, 100);
  if (r.overrun) return bad('truncated', 'GeneralDeviceCapabilities is cut short');
  return { ok: true, value: { status: status.value, capabilities: { maxAntennas, hasUtcClock: (flags & 0x4000) !== 0, manufacturer, model, firmware } } };
}

// ---------------------------------------------------------------------------------------------
// Reader → client: building (simulator, tests)

export const llrpStatusParam = (code: number = StatusCode.M_Success, description = ''): Buffer => tlv(TlvType.LLRPStatus, u16(code), utf8v(description));

export const buildResponse = (type: number, id: number, code: number = StatusCode.M_Success, description = ''): Buffer =>
  encodeMessage(type, id, llrpStatusParam(code, description));

export function buildReaderEventNotification(id: number, event: { atMs: number; connectionAttempt?: number; connectionClose?: boolean }): Buffer {
  const parts: Buffer[] = [tlv(TlvType.UTCTimestamp, u64(BigInt(Math.round(event.atMs)) * 1000n))];
  if (event.connectionAttempt !== undefined) parts.push(tlv(TlvType.ConnectionAttemptEvent, u16(event.connectionAttempt)));
  if (event.connectionClose) parts.push(tlv(TlvType.ConnectionCloseEvent));
  return encodeMessage(MessageType.READER_EVENT_NOTIFICATION, id, tlv(TlvType.ReaderEventNotificationData, ...parts));
}

export interface SimTag {
  epcHex: string;
  antenna?: number;
  peakRssi?: number;
  firstSeenAtMs?: number;
}

/** TagReportData with EPC-96 as TV when the EPC is 96 bits, EPCData TLV otherwise. */
export function encodeTagReportData(t: SimTag): Buffer {
  const epc = Buffer.from(t.epcHex, 'hex');
  const parts: Buffer[] = [epc.length === 12 ? tv(TvType.EPC_96, epc) : tlv(TlvType.EPCData, u16(epc.length * 8), epc)];
  if (t.antenna !== undefined) parts.push(tv(TvType.AntennaID, u16(t.antenna)));
  if (t.peakRssi !== undefined) parts.push(tv(TvType.PeakRSSI, s8(t.peakRssi)));
  if (t.firstSeenAtMs !== undefined) parts.push(tv(TvType.FirstSeenTimestampUTC, u64(BigInt(Math.round(t.firstSeenAtMs)) * 1000n)));
  return tlv(TlvType.TagReportData, ...parts);
}

export const buildRoAccessReport = (id: number, tags: readonly SimTag[]): Buffer =>
  encodeMessage(MessageType.RO_ACCESS_REPORT, id, Buffer.concat(tags.map(encodeTagReportData)));

export const buildKeepalive = (id: number): Buffer => encodeMessage(MessageType.KEEPALIVE, id);

export function buildCapabilitiesResponse(id: number, caps: ReaderCapabilities): Buffer {
  const general = tlv(
    TlvType.GeneralDeviceCapabilities,
    u16(caps.maxAntennas),
    u16(caps.hasUtcClock ? 0x4000 : 0),
    u32(caps.manufacturer),
    u32(caps.model),
    utf8v(caps.firmware),
  );
  return encodeMessage(MessageType.GET_READER_CAPABILITIES_RESPONSE, id, Buffer.concat([llrpStatusParam(), general]));
}

// ---------------------------------------------------------------------------------------------
// Reader side: reading what the client sent (simulator)

export interface ParsedRoSpec {
  roSpecId: number;
  antennas: number[];
  contentFlags: number;
  reportEveryNTags: number;
}

export function parseAddRoSpec(body: Uint8Array): Parsed<ParsedRoSpec> {
  const top = readParams(body);
  if (!top.ok) return top;
  const roSpec = find(top.value, TlvType.ROSpec);
  if (!roSpec) return bad('protocol', 'ADD_ROSPEC without ROSpec');
  const r = new FieldReader(roSpec.value);
  const roSpecId = r.u32();
  r.u8();
  r.u8();
  if (r.overrun) return bad('truncated', 'ROSpec fields cut short');
  const subs = readParams(r.rest());
  if (!subs.ok) return subs;
  if (!find(subs.value, TlvType.ROBoundarySpec)) return bad('protocol', 'ROSpec without ROBoundarySpec');
  const ai = find(subs.value, TlvType.AISpec);
  if (!ai) return bad('protocol', 'ROSpec without AISpec');
  const ar = new FieldReader(ai.value);
  const n = ar.u16();
  const antennas: number[] = [];
  for (let i = 0; i < n; i++) antennas.push(ar.u16());
  if (ar.overrun) return bad('truncated', 'AISpec antenna list cut short');
  const aiSubs = readParams(ar.rest());
  if (!aiSubs.ok) return aiSubs;
  if (!find(aiSubs.value, TlvType.AISpecStopTrigger)) return bad('protocol', 'AISpec without AISpecStopTrigger');
  if (!find(aiSubs.value, TlvType.InventoryParameterSpec)) return bad('protocol', 'AISpec without InventoryParameterSpec');
  let contentFlags = 0;
  let reportEveryNTags = 0;
  const rep = find(subs.value, TlvType.ROReportSpec);
  if (rep) {
    const rr = new FieldReader(rep.value);
    rr.u8();
    reportEveryNTags = rr.u16();
    const repSubs = readParams(rr.rest());
    if (!repSubs.ok) return repSubs;
    const sel = find(repSubs.value, TlvType.TagReportContentSelector);
    if (sel) contentFlags = new FieldReader(sel.value).u16();
  }
  return { ok: true, value: { roSpecId, antennas, contentFlags, reportEveryNTags } };
}

export function parseKeepaliveSpec(body: Uint8Array): Parsed<{ periodMs: number } | null> {
  const r = new FieldReader(body);
  r.u8();
  const params = readParams(r.rest());
  if (!params.ok) return params;
  const spec = find(params.value, TlvType.KeepaliveSpec);
  if (!spec) return { ok: true, value: null };
  const sr = new FieldReader(spec.value);
  const trigger = sr.u8();
  const periodMs = sr.u32();
  if (sr.overrun) return bad('truncated', 'KeepaliveSpec cut short');
  return { ok: true, value: trigger === 1 ? { periodMs } : null };
}
