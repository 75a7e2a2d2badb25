// Every parser of outside input, with a hostile-input generator and the rule its answer must keep:
// a typed result (or a documented typed error), never a stray exception, never a hang.
// tests/security/hostileInput.test.ts runs a few thousand cases of each; `npm run fuzz` runs 100k.
import fc from 'fast-check';
import { DecodedCode, RuleSet, StationConfig, type EventBatch } from '../../contract/index.js';
import { classifyCode } from '../../domain/identifiers/classify.js';
import { decodeEpc, decodeEpcUri } from '../../domain/identifiers/epc.js';
import { parseGs1 } from '../../domain/identifiers/gs1.js';
import { parseLpn, parseOrderNumber, parseRmaNumber } from '../../domain/identifiers/rma.js';
import { parseTracking } from '../../domain/identifiers/tracking.js';
import { defaultRuleSet } from '../../domain/rules/defaultRuleSet.js';
import { validateRuleSet } from '../../domain/rules/ruleSetVersions.js';
import { createWmsClient, WmsError } from '../../core/sync/wmsClient.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { readLaunchEnv } from '../../app/env.js';
import { buildChafonResponse, ChafonFrameDecoder, encodeInventoryData, parseInventoryResponse } from '../../native/rfid/chafonFrames.js';
import { RfidError } from '../../native/rfid/errors.js';
import { LineSplitter, parseTagLine } from '../../native/rfid/lineReader.js';
import { decodeMessage, LlrpFramer } from '../../native/rfid/llrp/codec.js';
import {
  buildCapabilitiesResponse,
  buildReaderEventNotification,
  buildResponse,
  buildRoAccessReport,
  parseAddRoSpec,
  parseCapabilitiesResponse,
  parseKeepaliveSpec,
  parseReaderEventNotification,
  parseResponseStatus,
  parseRoAccessReport,
} from '../../native/rfid/llrp/messages.js';
import { parseAdLine } from '../../native/scale/adScale.js';
import { splitAim } from '../../native/scanners/aim.js';
import { HidPosAssembler, parseScanReport } from '../../native/scanners/hidPos.js';
import { scanFromBytes } from '../../native/scanners/scanText.js';
import { parseSatoStatus } from '../../native/printers/sbplStatus.js';
import { parseZplHostStatus } from '../../native/printers/zplStatus.js';
import { FrameSplitter } from '../../native/transports/framing.js';
import type { KeyboardLayout } from '../../renderer/src/scanner/layouts.js';
import { WedgeDetector, type WedgeKey } from '../../renderer/src/scanner/wedge.js';

/** A case taking longer than this is treated as a hang (catastrophic backtracking, an unbounded loop). */
export const CASE_TIME_LIMIT_MS = 2_000;

export class FuzzViolation extends Error {
  override readonly name = 'FuzzViolation';
}

function must(condition: unknown, message: string): asserts condition {
  if (!condition) throw new FuzzViolation(message);
}

export interface FuzzTarget<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  /** Throws FuzzViolation (or anything else) when the parser broke its rule for `input`. */
  check(input: T): void | Promise<void>;
}

const target = <T>(t: FuzzTarget<T>): FuzzTarget<unknown> => t as FuzzTarget<unknown>;

// ---------- generators ----------

/** Printable, control, GS, full-width and astral characters, in any mix. */
const anyText = (maxLength = 300): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({ maxLength, unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPRSTUVWXYZ-()/.:%+ \x1d\u241d<GS>{}]'.split('')) }),
    fc.string({ maxLength, unit: 'grapheme' }),
  );

/** A valid sample with hostile edits: cuts, inserted garbage, repeated pieces, changed characters. */
function mutatedText(valid: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 4, unit: 'binary' })), { maxLength: 4 }))
    .map(([s, edits]) => {
      let out = s;
      for (const [at, op, piece] of edits) {
        const i = out.length ? at % (out.length + 1) : 0;
        if (op === 0) out = out.slice(0, i);
        else if (op === 1) out = out.slice(0, i) + piece + out.slice(i);
        else if (op === 2) out = out.slice(0, i) + out.slice(i + 1);
        else out = out + out.slice(0, i);
      }
      return out;
    });
}

function mutatedBytes(valid: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.uint8Array({ maxLength: 6 })), { maxLength: 4 }))
    .map(([b, edits]) => {
      let out = Buffer.from(b);
      for (const [at, op, piece] of edits) {
        const i = out.length ? at % (out.length + 1) : 0;
        if (op === 0) out = out.subarray(0, i);
        else if (op === 1) out = Buffer.concat([out.subarray(0, i), piece, out.subarray(i)]);
        else if (op === 2 && i < out.length) out[i] = (out[i] ?? 0) ^ (piece[0] ?? 0xff);
        else out = Buffer.concat([out, out.subarray(0, i)]);
      }
      return out;
    });
}

const anyBytes = (maxLength = 400): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));
const bytesLike = (valid: readonly Buffer[], maxLength = 400): fc.Arbitrary<Buffer> => fc.oneof(anyBytes(maxLength), mutatedBytes(valid));
/** A stream cut into chunks at arbitrary points, as a serial port or socket delivers it. */
const chunked = (stream: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer[]> =>
  fc.tuple(stream, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 })).map(([b, cuts]) => {
    const out: Buffer[] = [];
    for (let at = 0, i = 0; at < b.length; i++) {
      const n = cuts[i % cuts.length] ?? 1;
      out.push(b.subarray(at, at + n));
      at += n;
    }
    return out;
  });

/** JSON that is almost right: a valid object with one value anywhere replaced by arbitrary JSON, or a key dropped. */
function mutatedJson(valid: readonly unknown[]): fc.Arbitrary<unknown> {
  const replaceAt = (value: unknown, path: number[], replacement: unknown, drop: boolean): unknown => {
    if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
    const [head = 0, ...rest] = path;
    if (Array.isArray(value)) {
      if (value.length === 0) return replacement;
      const i = head % value.length;
      const copy = [...value];
      if (drop && rest.length === 0) copy.splice(i, 1);
      else copy[i] = replaceAt(value[i], rest, replacement, drop);
      return copy;
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return replacement;
    const key = keys[head % keys.length] ?? '';
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (drop && rest.length === 0) delete copy[key];
    else copy[key] = replaceAt(copy[key], rest, replacement, drop);
    return copy;
  };
  return fc
    .tuple(fc.constantFrom(...valid), fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), fc.boolean())
    .map(([v, path, replacement, drop]) => replaceAt(v, path, replacement, drop));
}
const jsonLike = (valid: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof(fc.jsonValue({ maxDepth: 4 }), mutatedJson(valid), fc.anything({ maxDepth: 3 }));

// ---------- valid samples ----------

const VALID_CODES = [
  '(01)04912345678904(17)271231(10)LOT1(21)SN123',
  '\x1d0104912345678904172712311010ABC\x1d21XYZ',
  ']C10104912345678904',
  'https://id.example.jp/01/04912345678904/21/SN1?17=271231',
  '4912345678904',
  '1234-5678-9012',
  'EJ123456785JP',
  'RMA-00000012',
  'ORD-0000000012',
  'LPN-BENCH-01-0000042',
  '3074257BF7194E4000001A85',
  'urn:epc:tag:sgtin-96:3.0614141.812345.6789',
  'urn:epc:id:sgtin:0614141.812345.6789',
];
const demo = generateDemoData({ seed: 7, rmas: 3 });
const chafonFrames = [
  buildChafonResponse(0, 0x01, 0x01, encodeInventoryData('uhfreader18', [{ epcHex: '3074257BF7194E4000001A85' }])),
  buildChafonResponse(0, 0x01, 0x01, encodeInventoryData('uhfreader288', [{ epcHex: 'E2801160600002054C9C5F01', rssi: 0x50 }])),
];
const llrpMessages = [
  buildRoAccessReport(7, [{ epcHex: '3074257BF7194E4000001A85', antenna: 1, peakRssi: -55, firstSeenAtMs: 1_700_000_000_000 }]),
  buildReaderEventNotification(1, { atMs: 1_700_000_000_000, connectionAttempt: 0 }),
  buildResponse(11, 2),
  buildCapabilitiesResponse(3, { maxAntennas: 4, hasUtcClock: true, manufacturer: 1, model: 2, firmware: 'sim-1.0' }),
];
const VALID_CONFIG = {
  stationId: 'BENCH-01',
  dataDir: '/var/lib/returns-station',
  wms: { url: 'https://wms.example.jp/api', token: 'tok-0123456789' },
  printer: { transport: 'tcp', host: '127.0.0.1', port: 9100, language: 'zpl', timeoutMs: 3000 },
  sync: { intervalMs: 2000, batchSize: 200 },
};
const VALID_ENV = { RS_STATION_ID: 'BENCH-02', RS_WMS_URL: 'http://127.0.0.1:8080', RS_WMS_TOKEN: 'abcdefgh12', RS_PRINTER: 'tcp://10.0.0.5:9100', RS_PRINTER_LANGUAGE: 'sbpl' };

// ---------- rules every parser keeps ----------

function isResult(r: unknown): r is { ok: boolean } {
  return typeof r === 'object' && r !== null && typeof (r as { ok?: unknown }).ok === 'boolean';
}
function typedFailure(r: { ok: boolean }, label: string): void {
  if (r.ok) return;
  const err = (r as { error?: unknown }).error;
  must(typeof err === 'string' || err instanceof RfidError, `${label}: failure without a typed error: ${String(err)}`);
}
function rfidErrors(errors: readonly unknown[], label: string): void {
  for (const e of errors) must(e instanceof RfidError, `${label}: error that is not an RfidError`);
}

/** The WMS answer a fake fetch returns: any status, any headers' Retry-After, any body (JSON-ish or bytes), or a thrown network error. */
const wmsAnswer = fc.oneof(
  {
    arbitrary: fc.record({
      status: fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 403, 404, 408, 409, 429, 500, 502, 503),
      retryAfter: fc.option(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 40 }))),
      body: fc.oneof(
        jsonLike([
          { items: demo.rmas, next: null },
          { items: demo.products, next: { updatedSince: '2026-01-01T00:00:00Z', afterId: 'x' } },
          { results: [{ idempotencyKey: '00000000-0000-4000-8000-000000000000', status: 'applied' }] },
          { status: 'ok', demo: true, version: '1' },
        ]).map((v) => JSON.stringify(v) ?? 'null'),
        fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString('latin1')),
      ),
    }),
    weight: 9,
  },
  { arbitrary: fc.constant('network-error' as const), weight: 1 },
);

const WMS_BATCH: EventBatch = {
  stationId: 'BENCH-01',
  events: [],
} as unknown as EventBatch;

/** Keydowns as a browser reports them: characters, key names, modifiers, IME, with gaps of 0 ms to seconds (time may even repeat). */
const wedgeKeys: fc.Arbitrary<WedgeKey[]> = fc
  .array(
    fc.record({
      key: fc.oneof(fc.string({ minLength: 1, maxLength: 2, unit: 'binary' }), fc.constantFrom('Enter', 'Tab', 'Shift', 'Control', 'Dead', 'Process', 'Unidentified', 'F12', 'Backspace', 'ｱ', 'あ', '１')),
      gap: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3000 })),
      shift: fc.boolean(),
      ctrl: fc.boolean(),
      composing: fc.boolean(),
    }),
    { maxLength: 120 },
  )
  .map((keys) => {
    let time = 1000;
    return keys.map(({ key, gap, shift, ctrl, composing }) => ({ key, time: (time += gap), shift, ctrl, composing }));
  });

export const FUZZ_TARGETS: ReadonlyArray<FuzzTarget<unknown>> = [
  target({
    name: 'scanned text: classifyCode',
    arbitrary: fc.oneof(anyText(), mutatedText(VALID_CODES)),
    check(s) {
      const r = classifyCode(s);
      must(DecodedCode.safeParse(r).success, `classifyCode answered outside the DecodedCode contract for ${JSON.stringify(s)}`);
    },
  }),
  target({
    name: 'GS1 strings: parseGs1',
    arbitrary: fc.oneof(anyText(), mutatedText(VALID_CODES.slice(0, 4))),
    check(s) {
      const r = parseGs1(s);
      must(isResult(r), 'parseGs1: no result');
      typedFailure(r, 'parseGs1');
    },
  }),
  target({
    name: 'EPCs: decodeEpc / decodeEpcUri',
    arbitrary: fc.oneof(anyText(120), mutatedText(VALID_CODES.slice(-3)), fc.string({ maxLength: 80, unit: fc.constantFrom(...'0123456789ABCDEFabcdef'.split('')) })),
    check(s) {
      for (const r of [decodeEpc(s), decodeEpcUri(s)]) {
        must(isResult(r), 'decodeEpc: no result');
        typedFailure(r, 'decodeEpc');
      }
    },
  }),
  target({
    name: 'tracking numbers: parseTracking',
    arbitrary: fc.oneof(anyText(80), mutatedText(['1234-5678-9012', 'EJ123456785JP', '4000 1234 5675'])),
    check(s) {
      const r = parseTracking(s);
      must(isResult(r), 'parseTracking: no result');
      if (!r.ok) must(['empty', 'format', 'check_digit'].includes(r.code), `parseTracking: unknown error code ${r.code}`);
    },
  }),
  target({
    name: 'own ids: RMA / order / LPN',
    arbitrary: fc.oneof(anyText(60), mutatedText(VALID_CODES.slice(7, 10))),
    check(s) {
      for (const r of [parseRmaNumber(s), parseOrderNumber(s), parseLpn(s)]) typedFailure(r, 'own id');
    },
  }),
  target({
    name: 'scanner frames: scanFromBytes + AIM',
    arbitrary: bytesLike([Buffer.from(']C1RMA-00000012'), Buffer.from(']E04912345678904'), Buffer.from('\x1d01049123456789041727'), Buffer.from([0x83, 0x8a, 0x83, 0x5e])]),
    check(b) {
      const r = scanFromBytes(b, { source: 'fuzz', encoding: 'auto', at: 0 });
      if (r.ok) must(!/[\x00-\x03\x05-\x1b\x1f\x7f]/.test(r.scan.text), 'scanFromBytes let a control byte through');
      else must(typeof r.problem === 'string', 'scanFromBytes: untyped problem');
      splitAim(b.toString('latin1'));
    },
  }),
  target({
    name: 'keyboard-wedge scans: WedgeDetector',
    arbitrary: fc.tuple(wedgeKeys, fc.constantFrom<Array<string>>([], ['F12']), fc.constantFrom<KeyboardLayout | 'auto'>('auto', 'us', 'jis')),
    check([keys, prefix, scannerLayout]) {
      const d = new WedgeDetector({ prefix, scannerLayout });
      let leakedSoFar = 0;
      const steps = keys.flatMap((k) => {
        const out = [d.idle(k.time), d.key(k)];
        const next = d.nextCheckAt();
        if (next !== null) out.push(d.idle(next));
        return out;
      });
      for (const step of steps) {
        must(Number.isInteger(step.removeLeaked) && step.removeLeaked >= 0, 'WedgeDetector: removeLeaked is not a count');
        leakedSoFar += step.removeLeaked;
        if (step.outcome?.kind === 'scan') must(step.outcome.text.length > 0, 'WedgeDetector: empty scan');
      }
      must(leakedSoFar <= keys.length * 2, 'WedgeDetector: removes more characters than were typed');
    },
  }),
  target({
    name: 'serial framing: FrameSplitter (bounded)',
    arbitrary: chunked(bytesLike([Buffer.from('RMA-00000012\r4912345678904\r')], 2000)),
    check(chunks) {
      const s = new FrameSplitter({ terminator: 'CR_OR_LF', maxFrameBytes: 256 });
      for (const c of chunks) {
        s.push(c);
        must(s.pendingBytes <= 256, 'FrameSplitter grew past its bound');
      }
    },
  }),
  target({
    name: 'HID-POS reports: parseScanReport + assembler',
    arbitrary: fc.array(bytesLike([Buffer.from([0x02, 0x05, 0x5d, 0x43, 0x31, 0x41, 0x42, 0x43, 0x44, 0x45, 0x00])], 80), { maxLength: 20 }),
    check(reports) {
      const a = new HidPosAssembler(512);
      for (const rep of reports) {
        const parsed = parseScanReport(rep);
        must(['part', 'other', 'malformed'].includes(parsed.kind), 'parseScanReport: unknown kind');
        const r = a.push(rep);
        if (r.kind === 'scan') must(r.bytes.length <= 512 + 3, 'HID-POS assembler returned more than its bound');
      }
    },
  }),
  target({
    name: 'scale lines: parseAdLine',
    arbitrary: fc.oneof(anyText(60), mutatedText(['ST,+00012.34  g', 'US,-00000.10 kg', 'OL,+99999.99  g'])),
    check(s) {
      const r = parseAdLine(s);
      must(isResult(r), 'parseAdLine: no result');
      if (r.ok && !('overload' in r && r.overload)) must(Number.isFinite((r as { grams: number }).grams), 'parseAdLine: non-finite weight');
    },
  }),
  target({
    name: 'RFID Chafon frames: decoder + inventory',
    arbitrary: chunked(bytesLike(chafonFrames, 1500)),
    check(chunks) {
      const d = new ChafonFrameDecoder({ kind: 'response', maxBuffer: 1024 });
      for (const c of chunks) {
        const r = d.push(c);
        rfidErrors(r.errors, 'ChafonFrameDecoder');
        for (const f of r.frames) {
          for (const dialect of ['uhfreader18', 'uhfreader288'] as const) typedFailure(parseInventoryResponse(f, dialect), 'parseInventoryResponse');
        }
      }
    },
  }),
  target({
    name: 'RFID line readers: LineSplitter + parseTagLine',
    arbitrary: chunked(bytesLike([Buffer.from('3074257BF7194E4000001A85,1,-55\r\nEPC:E2801160600002054C9C5F01 ANT:2\n')], 1500)),
    check(chunks) {
      const s = new LineSplitter({ maxLineLength: 128 });
      for (const c of chunks) {
        const r = s.push(c);
        rfidErrors(r.errors, 'LineSplitter');
        for (const line of r.lines) {
          must(line.length <= 128, 'LineSplitter returned a line over its bound');
          typedFailure(parseTagLine(line), 'parseTagLine');
        }
      }
    },
  }),
  target({
    name: 'LLRP messages: framer + message parsers',
    arbitrary: chunked(bytesLike(llrpMessages, 1500)),
    check(chunks) {
      const framer = new LlrpFramer({ maxMessageBytes: 4096 });
      for (const c of chunks) {
        const r = framer.push(c);
        if (r.fatal) {
          must(r.fatal instanceof RfidError, 'LlrpFramer: untyped fatal');
          framer.reset();
        }
        must(framer.pending <= 4096, 'LlrpFramer held more than one bounded message');
        for (const m of r.messages) {
          for (const parse of [parseRoAccessReport, parseReaderEventNotification, parseResponseStatus, parseCapabilitiesResponse, parseAddRoSpec, parseKeepaliveSpec]) {
            typedFailure(parse(m.body), 'LLRP body parser');
          }
        }
      }
      typedFailure(decodeMessage(Buffer.concat(chunks)), 'decodeMessage');
    },
  }),
  target({
    name: 'printer status replies: ZPL ~HS / SATO ENQ',
    arbitrary: bytesLike([Buffer.from('\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n'), Buffer.from('\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03')], 300),
    check(b) {
      for (const parse of [parseZplHostStatus, parseSatoStatus]) {
        try {
          parse(b);
        } catch (err) {
          must(err instanceof Error && err.name !== 'TypeError' && err.name !== 'RangeError', `printer status parser threw ${String(err)}`);
        }
      }
    },
  }),
  target({
    name: 'WMS payloads: wmsClient with a hostile server',
    arbitrary: wmsAnswer,
    async check(answer) {
      const fakeFetch: typeof fetch = async () => {
        if (answer === 'network-error') throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
        const headers = new Headers();
        if (answer.retryAfter !== null) {
          try {
            headers.set('retry-after', answer.retryAfter);
          } catch {
            // Not a legal header value: a real server could not have sent it.
          }
        }
        const noBody = answer.status === 204;
        return new Response(noBody ? null : answer.body, { status: answer.status, headers });
      };
      const client = createWmsClient({ baseUrl: 'http://127.0.0.1:1', token: 'tok-fuzz-0001', fetch: fakeFetch });
      const calls: Array<() => Promise<unknown>> = [
        () => client.health(),
        () => client.rmas(null, 100),
        () => client.products({ updatedSince: '2026-01-01T00:00:00Z', afterId: '' }, 100),
        () => client.lookupRmas('RMA-0001'),
        () => client.postEvents(WMS_BATCH),
      ];
      for (const run of calls) {
        try {
          await run();
        } catch (err) {
          must(err instanceof WmsError, `wmsClient threw a ${err instanceof Error ? err.name : typeof err} instead of WmsError: ${String(err)}`);
          must(!String(err.message).includes('tok-fuzz-0001'), 'wmsClient put its token into an error message');
        }
      }
    },
  }),
  target({
    name: 'imported rule sets: validateRuleSet',
    arbitrary: jsonLike([defaultRuleSet, { ...defaultRuleSet, rules: defaultRuleSet.rules.slice(-2) }]),
    check(v) {
      const r = validateRuleSet(v);
      must(typeof r.ok === 'boolean', 'validateRuleSet: no result');
      if (r.ok) must(RuleSet.safeParse(r.ruleSet).success, 'validateRuleSet accepted a rule set the contract refuses');
      else must(Array.isArray(r.issues) && r.issues.length > 0, 'validateRuleSet failed without issues');
    },
  }),
  target({
    name: 'config files: StationConfig',
    arbitrary: jsonLike([VALID_CONFIG, { dataDir: 'x' }]),
    check(v) {
      const r = StationConfig.safeParse(v);
      must(typeof r.success === 'boolean', 'StationConfig.safeParse: no result');
    },
  }),
  target({
    name: 'launch environment: readLaunchEnv',
    arbitrary: fc.oneof(
      fc.dictionary(fc.constantFrom('RS_STATION_ID', 'RS_WMS_URL', 'RS_WMS_TOKEN', 'RS_PRINTER', 'RS_PRINTER_LANGUAGE', 'PATH', 'HOME'), anyText(80)),
      mutatedJson([VALID_ENV]).filter((v): v is Record<string, string> => typeof v === 'object' && v !== null && !Array.isArray(v)),
    ),
    check(env) {
      try {
        readLaunchEnv(env as NodeJS.ProcessEnv);
      } catch (err) {
        // Documented: a plain Error whose message says which setting is wrong, shown to the user at start-up.
        must(err instanceof Error && /^(Station settings are not valid: |RS_WMS_URL is set but RS_WMS_TOKEN is not)/.test(err.message), `readLaunchEnv threw ${String(err)}`);
      }
    },
  }),
];

/** Runs one case with the time guard; resolves to a failure message or null. */
export async function runCase(t: FuzzTarget<unknown>, input: unknown): Promise<string | null> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = t.check(input);
    if (result instanceof Promise) {
      await Promise.race([
        result,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new FuzzViolation(`no answer within ${CASE_TIME_LIMIT_MS} ms (hang)`)), CASE_TIME_LIMIT_MS);
        }),
      ]);
    }
    const took = Date.now() - started;
    // A synchronous parser cannot be interrupted; one that took this long on a few hundred bytes is a hang in the making.
    if (took > CASE_TIME_LIMIT_MS) return `took ${took} ms (hang)`;
    return null;
  } catch (err) {
    return err instanceof FuzzViolation ? err.message : `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
