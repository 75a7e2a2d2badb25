/**
 * Says what a scanned or typed text is. The checks run in this order, and the first that
 * claims the text decides its kind (so a garbled code of a recognisable shape is reported
 * as that kind with valid=false, rather than as unknown):
 *
 *  1. empty / longer than 2,000 characters                       → unknown
 *  2. http(s) URL                                                 → gs1 (Digital Link), else unknown
 *  3. urn:epc:…                                                   → epc
 *  4. GS1 AIM prefix (]C1 ]e0 ]d2 ]Q3 ]J1), a GS separator or
 *     stand-in, or a leading "(NN)" HRI application identifier    → gs1
 *  5. "RMA" / "ORD" / "LPN" prefix                                → rma / order / lpn
 *  5b. "TOTE" / "CAGE" prefix, "BAG" + digit                      → tote / bag (consolidated totes)
 *  6. 2 letters + 9 digits + 2 letters                            → tracking (UPU S10)
 *  7. 24, 44 or 52 hex digits with at least one letter A–F        → epc
 *  7b. 00 + 18 or 01 + 14 digits (maybe more elements), no brackets → gs1 (scanner sent no
 *     AIM prefix); an all-digit text that does not parse falls through to 8
 *  8. digits only (after removing hyphens, spaces and Codabar A–D start/stop):
 *       Codabar-wrapped                                           → tracking (carriers' symbology)
 *       12 digits: mod-7 valid → tracking; else GS1 check valid → gtin (UPC-A); else tracking, invalid.
 *                  With expect: 'item' the GTIN reading is tried first.
 *       8, 13, 14 digits                                          → gtin
 *       24 digits decodable as an EPC                             → epc
 *  9. anything else                                               → unknown
 *
 * Never throws: every failure is a DecodedCode with valid=false and an error.
 */
import type { DecodedCode } from '../../contract/index.js';
import { GS, GS1_SYMBOLOGY_IDS, cleanScan, stripSeparators } from './scan-text.js';
import { isGtinLength, isValidGtin, toGtin14 } from './gtin.js';
import { parseTracking, type DomesticCarrier } from './tracking.js';
import { DEFAULT_GS_STAND_INS, looksLikeDigitalLink, parseGs1DigitalLink, parseGs1ElementString, type Gs1Result } from './gs1.js';
import { decodeEpc, decodeEpcUri, type EpcResult } from './epc.js';
import { parseLpn, parseOrderNumber, parseRmaNumber } from './rma.js';
import { looksLikeToteLabel, parseBagCode, parseToteId } from './tote.js';

export interface ClassifyOptions {
  /** Texts the scanner sends for the GS separator; replaces the defaults ("␝", "<GS>", "{GS}"). */
  gsStandIns?: readonly string[];
  /** Reference date for GS1 two-digit years. */
  now?: Date;
  /** Preferred order of domestic carriers among the candidates of a 12-digit number. */
  domesticOrder?: readonly DomesticCarrier[];
  /** What the screen is waiting for; only breaks the tie of a 12-digit code (tracking vs UPC-A). */
  expect?: 'parcel' | 'item';
}

const MAX_INPUT = 2000;
const CODABAR = /^[ABCDTNE*]([0-9]+)[ABCDTNE*]$/;

export function classifyCode(input: string, options: ClassifyOptions = {}): DecodedCode {
  try {
    return classify(input, options);
  } catch (e) {
    // The parsers are written not to throw; this is the last line of that promise.
    return unknown(input, input, `could not decode: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function unknown(input: string, normalized: string, error: string): DecodedCode {
  return { kind: 'unknown', input, valid: false, normalized, error };
}

function classify(input: string, options: ClassifyOptions): DecodedCode {
  if (input.length > MAX_INPUT) return unknown(input, '', `input longer than ${MAX_INPUT} characters`);
  const standIns = options.gsStandIns ?? DEFAULT_GS_STAND_INS;
  const { text, aim } = cleanScan(input);
  if (text === '') return unknown(input, '', 'empty input');

  if (/^https?:\/\//i.test(text)) {
    if (!looksLikeDigitalLink(text)) return unknown(input, text, 'a URL, but not a GS1 Digital Link');
    return fromGs1(input, text, parseGs1DigitalLink(text, gs1Opts(options, standIns)));
  }

  if (/^urn:epc:/i.test(text)) return fromEpc(input, text, decodeEpcUri(text));

  const hasGs = text.includes(GS) || standIns.some((s) => s.length > 0 && text.includes(s));
  if ((aim !== null && GS1_SYMBOLOGY_IDS.has(aim)) || hasGs || /^\(\d{2,4}\)/.test(text)) {
    return fromGs1(input, text, parseGs1ElementString(input, gs1Opts(options, standIns)));
  }

  const upper = text.toUpperCase();
  if (/^RMA/.test(upper)) return fromOwn(input, 'rma', parseRmaNumber(text));
  if (/^ORD/.test(upper)) return fromOwn(input, 'order', parseOrderNumber(text));
  if (/^LPN/.test(upper)) {
    const r = parseLpn(text);
    return r.ok
      ? { kind: 'lpn', input, valid: true, normalized: r.value, stationId: r.stationId }
      : { kind: 'lpn', input, valid: false, normalized: upper, error: r.error };
  }

  const tote = looksLikeToteLabel(upper);
  if (tote) {
    const r = tote === 'tote' ? parseToteId(text) : parseBagCode(text);
    return r.ok ? { kind: tote, input, valid: true, normalized: r.value } : { kind: tote, input, valid: false, normalized: upper, error: r.error };
  }

  const compact = stripSeparators(upper);
  if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(compact)) return fromTracking(input, compact, options);

  if (/^[0-9A-F]+$/.test(compact) && /[A-F]/.test(compact) && [24, 44, 52].includes(compact.length)) {
    return fromEpc(input, compact, decodeEpc(compact));
  }

  // A GS1-128 scanner set not to transmit its AIM prefix still sends the element string.
  if (/^(?:00\d{18}|01\d{14})/.test(text)) {
    const gs1 = parseGs1ElementString(text, gs1Opts(options, standIns));
    if (gs1.ok || !/^\d+$/.test(compact)) return fromGs1(input, text, gs1);
  }

  const codabar = CODABAR.exec(compact);
  if (codabar) return fromTracking(input, compact, options);

  if (/^\d+$/.test(compact)) return fromDigits(input, compact, options);

  return unknown(input, text, 'not a tracking number, GS1 code, GTIN, EPC, RMA, order number, LPN, tote label or bag code');
}

function gs1Opts(options: ClassifyOptions, gsStandIns: readonly string[]): { gsStandIns: readonly string[]; now?: Date } {
  return options.now ? { gsStandIns, now: options.now } : { gsStandIns };
}

function fromDigits(input: string, digits: string, options: ClassifyOptions): DecodedCode {
  if (digits.length === 12) {
    const tracking = parseTracking(digits, trackingOpts(options));
    const upcValid = isValidGtin(digits);
    if (options.expect === 'item' && upcValid) return fromGtin(input, digits);
    if (tracking.ok || !upcValid) return fromTracking(input, digits, options);
    return fromGtin(input, digits);
  }
  if (isGtinLength(digits.length)) return fromGtin(input, digits);
  if (digits.length === 24 && /^3/.test(digits)) {
    const epc = decodeEpc(digits);
    if (epc.ok) return fromEpc(input, digits, epc);
  }
  return unknown(input, digits, `${digits.length} digits is not a tracking number or GTIN length`);
}

function trackingOpts(options: ClassifyOptions): { domesticOrder?: readonly DomesticCarrier[] } {
  return options.domesticOrder ? { domesticOrder: options.domesticOrder } : {};
}

function fromTracking(input: string, text: string, options: ClassifyOptions): DecodedCode {
  const r = parseTracking(text, trackingOpts(options));
  if (r.ok) {
    const out: DecodedCode = { kind: 'tracking', input, valid: true, normalized: r.number, carrierCandidates: r.candidates };
    if (r.candidates[0]) out.carrier = r.candidates[0];
    return out;
  }
  const candidates = r.candidates ?? [];
  const out: DecodedCode = {
    kind: 'tracking',
    input,
    valid: false,
    normalized: r.number ?? text,
    carrierCandidates: candidates,
    error: r.error,
  };
  if (candidates[0]) out.carrier = candidates[0];
  return out;
}

function fromGtin(input: string, digits: string): DecodedCode {
  const gtin = toGtin14(digits);
  if (gtin) return { kind: 'gtin', input, valid: true, normalized: digits, gtin };
  return { kind: 'gtin', input, valid: false, normalized: digits, error: `GTIN-${digits.length} check digit is wrong` };
}

function fromGs1(input: string, normalized: string, r: Gs1Result): DecodedCode {
  const data = r.data;
  const out: DecodedCode = { kind: 'gs1', input, valid: r.ok, normalized: data ? toHri(data.elements) : normalized };
  if (r.form) out.form = r.form;
  if (data?.gtin) out.gtin = data.gtin;
  if (data?.serial !== undefined) out.serial = data.serial;
  if (data?.lot !== undefined) out.lot = data.lot;
  if (data?.expiry) out.expiry = data.expiry;
  if (data?.sscc) out.sscc = data.sscc;
  if (!r.ok) out.error = r.error;
  return out;
}

/** The bracketed human-readable form, e.g. "(01)04912345678904(21)ABC", as a stable lookup key. */
function toHri(elements: ReadonlyArray<{ ai: string; value: string }>): string {
  return elements.map((e) => `(${e.ai})${e.value}`).join('');
}

function fromEpc(input: string, normalized: string, r: EpcResult): DecodedCode {
  if (!r.ok) return { kind: 'epc', input, valid: false, normalized, error: r.error };
  const out: DecodedCode = { kind: 'epc', input, valid: true, normalized: r.hex ?? normalized, epcScheme: r.scheme };
  if (r.gtin) out.gtin = r.gtin;
  if (r.serial !== undefined) out.serial = r.serial;
  if (r.sscc) out.sscc = r.sscc;
  if (r.tagUri) out.tagUri = r.tagUri;
  return out;
}

function fromOwn(input: string, kind: 'rma' | 'order', r: { ok: true; value: string } | { ok: false; error: string }): DecodedCode {
  return r.ok
    ? { kind, input, valid: true, normalized: r.value }
    : { kind, input, valid: false, normalized: cleanScan(input).text.toUpperCase(), error: r.error };
}
