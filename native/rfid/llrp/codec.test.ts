import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LlrpFramer, decodeMessage, encodeMessage, readParams, tlv, tv } from './codec.js';
import { MessageType, TlvType, TvType } from './constants.js';
import {
  buildAddRoSpec,
  buildCapabilitiesResponse,
  buildDeleteRoSpec,
  buildKeepaliveAck,
  buildReaderEventNotification,
  buildResponse,
  buildRoAccessReport,
  buildSetKeepalive,
  parseAddRoSpec,
  parseCapabilitiesResponse,
  parseKeepaliveSpec,
  parseReaderEventNotification,
  parseResponseStatus,
  parseRoAccessReport,
} from './messages.js';

// CI runs a few thousand cases per parser; FUZZ_RUNS=100000 for a long fuzz.
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Byte vectors below are worked out by hand from LLRP 1.0.1 §15 (header: 3 reserved bits,
// 3-bit version = 1, 10-bit type; u32 length of the whole message; u32 message ID) and §16.
describe('LLRP message encoding (hand-checked bytes)', () => {
  it('KEEPALIVE_ACK echoes the id: version 1, type 72 → 0x0448', () => {
    expect(buildKeepaliveAck(5).toString('hex')).toBe('0448' + '0000000a' + '00000005');
  });

  it('DELETE_ROSPEC for all ROSpecs', () => {
    expect(buildDeleteRoSpec(1, 0)).toEqual(hex('0415 0000000e 00000001 00000000'));
  });

  it('SET_READER_CONFIG with a periodic 5 s KeepaliveSpec', () => {
    expect(buildSetKeepalive(2, 5000)).toEqual(hex('0403 00000014 00000002  00  00dc 0009 01 00001388'));
  });

  it('ADD_ROSPEC: ROBoundarySpec, AISpec (all antennas, Null stop), ROReportSpec (antenna, RSSI, first seen)', () => {
    const expected = hex(`
      0414 0000004b 00000003
      00b1 0041  00000001 00 00
        00b2 0012
          00b3 0005 00
          00b6 0009 00 00000000
        00b7 0018  0001 0000
          00b8 0009 00 00000000
          00ba 0007 0001 01
        00ed 000d  01 0001
          00ee 0006 1600`);
    expect(buildAddRoSpec(3, { roSpecId: 1 })).toEqual(expected);
  });

  it('parses the ROSpec back on the reader side', () => {
    const m = decodeMessage(buildAddRoSpec(9, { roSpecId: 77, antennas: [1, 2] }));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value.type).toBe(MessageType.ADD_ROSPEC);
    expect(parseAddRoSpec(m.value.body)).toEqual({ ok: true, value: { roSpecId: 77, antennas: [1, 2], contentFlags: 0x1600, reportEveryNTags: 1 } });
  });
});

describe('LLRP message decoding (hand-written reader bytes)', () => {
  it('READER_EVENT_NOTIFICATION with ConnectionAttemptEvent Success', () => {
    const bytes = hex(`
      043f 00000020 0000abcd
      00f6 0016
        0080 000c 00060a24181e4000
        0100 0006 0000`);
    const m = decodeMessage(bytes);
    expect(m.ok && m.value).toMatchObject({ version: 1, type: MessageType.READER_EVENT_NOTIFICATION, id: 0xabcd });
    if (!m.ok) return;
    expect(parseReaderEventNotification(m.value.body)).toEqual({ ok: true, value: { at: 1_700_000_000_000, connectionAttempt: 0 } });
    expect(buildReaderEventNotification(0xabcd, { atMs: 1_700_000_000_000, connectionAttempt: 0 })).toEqual(bytes);
  });

  it('RO_ACCESS_REPORT with an EPC-96 (TV) tag and an EPCData (TLV) tag', () => {
    const bytes = hex(`
      043d 00000046 00000007
      00f0 001f
        8d 30352bd3640c0e40000003e9
        81 0002
        86 c4
        82 00060a2418202078
      00f0 001d
        00f1 0016 0080 e2003412013a0300ab0000000000beef
        81 0001`);
    const m = decodeMessage(bytes);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(parseRoAccessReport(m.value.body)).toEqual({
      ok: true,
      value: {
        tags: [
          { epcHex: '30352BD3640C0E40000003E9', antenna: 2, peakRssi: -60, firstSeenAt: 1_700_000_000_123 },
          { epcHex: 'E2003412013A0300AB0000000000BEEF', antenna: 1 },
        ],
        errors: [],
      },
    });
  });

  it('builds the same report bytes the parser reads', () => {
    const built = buildRoAccessReport(7, [
      { epcHex: '30352BD3640C0E40000003E9', antenna: 2, peakRssi: -60, firstSeenAtMs: 1_700_000_000_123 },
      { epcHex: 'E2003412013A0300AB0000000000BEEF', antenna: 1 },
    ]);
    expect(built.subarray(0, 10)).toEqual(hex('043d 00000046 00000007'));
    expect(built.subarray(10, 14)).toEqual(hex('00f0 001f'));
  });

  it('LLRPStatus in a response, with and without a description', () => {
    expect(buildResponse(MessageType.ADD_ROSPEC_RESPONSE, 3)).toEqual(hex('041e 00000012 00000003 011f 0008 0000 0000'));
    const err = hex('041e 00000015 00000003 011f 000b 0065 0003 626164');
    expect(buildResponse(MessageType.ADD_ROSPEC_RESPONSE, 3, 101, 'bad')).toEqual(err);
    const m = decodeMessage(err);
    expect(m.ok && parseResponseStatus(m.value.body)).toEqual({ ok: true, value: { code: 101, description: 'bad' } });
  });

  it('capabilities and keepalive spec round-trip', () => {
    const caps = { maxAntennas: 4, hasUtcClock: true, manufacturer: 25882, model: 2001002, firmware: '7.1' };
    const m = decodeMessage(buildCapabilitiesResponse(1, caps));
    expect(m.ok && parseCapabilitiesResponse(m.value.body)).toEqual({ ok: true, value: { status: { code: 0, description: '' }, capabilities: caps } });
    const k = decodeMessage(buildSetKeepalive(1, 1234));
    expect(k.ok && parseKeepaliveSpec(k.value.body)).toEqual({ ok: true, value: { periodMs: 1234 } });
  });
});

describe('malformed LLRP', () => {
  it('rejects a header length below 10 and above the bound as fatal bad_length', () => {
    const short = encodeMessage(MessageType.KEEPALIVE, 1);
    short.writeUInt32BE(9, 2);
    expect(new LlrpFramer().push(short).fatal?.reason).toBe('bad_length');
    const huge = encodeMessage(MessageType.RO_ACCESS_REPORT, 1);
    huge.writeUInt32BE(0xffffffff, 2);
    const f = new LlrpFramer({ maxMessageBytes: 4096 });
    expect(f.push(huge).fatal?.reason).toBe('bad_length');
    expect(f.pending).toBe(0);
  });

  it('waits for the rest of a message split across chunks', () => {
    const f = new LlrpFramer();
    const msg = buildKeepaliveAck(42);
    const out = [...msg].flatMap((b) => f.push(Uint8Array.of(b)).messages);
    expect(out).toEqual([{ version: 1, type: MessageType.KEEPALIVE_ACK, id: 42, body: new Uint8Array(0) }]);
  });

  it('reports truncated TLVs, bad TLV lengths and unknown TV types without throwing', () => {
    const t = readParams(hex('00f0 0028 8d30'));
    expect(!t.ok && t.error.reason).toBe('truncated');
    const l = readParams(hex('00f0 0002'));
    expect(!l.ok && l.error.reason).toBe('bad_length');
    const u = readParams(hex('ff 00'));
    expect(!u.ok && u.error.reason).toBe('unknown_type');
    const h = readParams(hex('00f0 00'));
    expect(!h.ok && h.error.reason).toBe('truncated');
  });

  it('keeps the good tags of a report when one TagReportData is broken', () => {
    const body = Buffer.concat([
      tlv(TlvType.TagReportData, tv(TvType.EPC_96, hex('30352bd3640c0e40000003e9'))),
      tlv(TlvType.TagReportData, tlv(TlvType.EPCData, hex('000d abcd'))), // 13 bits: not whole words
      tlv(TlvType.TagReportData, tv(TvType.AntennaID, hex('0001'))), // no EPC at all
    ]);
    const r = parseRoAccessReport(body);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.tags.map((t) => t.epcHex)).toEqual(['30352BD3640C0E40000003E9']);
    expect(r.value.errors.map((e) => e.reason)).toEqual(['bad_epc', 'protocol']);
  });

  it('refuses to build parameters that cannot be encoded', () => {
    expect(() => tv(TvType.EPC_96, new Uint8Array(11))).toThrow(RangeError);
    expect(() => tlv(1, new Uint8Array(70_000))).toThrow(RangeError);
  });
});

describe('LLRP parsers under random input', () => {
  const parsers = [parseRoAccessReport, parseReaderEventNotification, parseResponseStatus, parseCapabilitiesResponse, parseAddRoSpec, parseKeepaliveSpec];

  it('never throw on random bodies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
        for (const p of parsers) p(body);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('never throw on random bodies made of plausible parameter headers', () => {
    const param = fc.oneof(
      fc.tuple(fc.constantFrom(1, 2, 6, 8, 13, 99), fc.uint8Array({ maxLength: 14 })).map(([t, v]) => Buffer.concat([Buffer.from([0x80 | t]), v])),
      fc
        .tuple(fc.constantFrom(240, 241, 246, 256, 287, 177, 183, 237, 1023), fc.integer({ min: 0, max: 40 }), fc.uint8Array({ maxLength: 30 }))
        .map(([t, len, v]) => Buffer.concat([Buffer.from([t >> 8, t & 0xff, len >> 8, len & 0xff]), v])),
    );
    fc.assert(
      fc.property(fc.array(param, { maxLength: 6 }), (parts) => {
        const body = Buffer.concat(parts);
        for (const p of parsers) p(body);
        for (const p of parsers) p(tlv(TlvType.TagReportData, body));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('the framer never throws, never buffers beyond one bounded message, and frames what it is given', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const f = new LlrpFramer({ maxMessageBytes: 512 });
        for (const c of chunks) {
          const r = f.push(c);
          for (const m of r.messages) expect(m.body.length).toBeLessThanOrEqual(502);
          expect(f.pending).toBeLessThanOrEqual(512 + 200);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('round-trips any tag report', () => {
    const tag = fc.record(
      {
        epcHex: fc.uint8Array({ minLength: 2, maxLength: 31 }).filter((b) => b.length % 2 === 0).map((b) => Buffer.from(b).toString('hex').toUpperCase()),
        antenna: fc.integer({ min: 0, max: 65535 }),
        peakRssi: fc.integer({ min: -128, max: 127 }),
        firstSeenAtMs: fc.integer({ min: 1, max: 4_102_444_800_000 }),
      },
      { requiredKeys: ['epcHex'] },
    );
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 5 }), fc.integer({ min: 0, max: 0xffffffff }), (tags, id) => {
        const m = decodeMessage(buildRoAccessReport(id, tags));
        expect(m.ok).toBe(true);
        if (!m.ok) return;
        expect(m.value.id).toBe(id);
        const r = parseRoAccessReport(m.value.body);
        expect(r).toEqual({
          ok: true,
          value: {
            errors: [],
            tags: tags.map((t) => {
              const out: Record<string, unknown> = { epcHex: t.epcHex };
              if (t.antenna !== undefined) out.antenna = t.antenna;
              if (t.peakRssi !== undefined) out.peakRssi = t.peakRssi;
              if (t.firstSeenAtMs !== undefined) out.firstSeenAt = t.firstSeenAtMs;
              return out;
            }),
          },
        });
      }),
      { numRuns: 500 },
    );
  });
});
