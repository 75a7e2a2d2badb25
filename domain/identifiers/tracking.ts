/**
 * Carrier tracking numbers we receive parcels under.
 *
 * Domestic (Yamato 宅急便/ネコポス, Sagawa 飛脚宅配便, Japan Post ゆうパック/ゆうパケット/
 * レターパック/クリックポスト): 12 digits, the last being the remainder of the first 11
 * digits taken as one number divided by 7 (the "7DR" check). All three carriers share this
 * shape and we found no publicly documented number ranges that tell them apart, so a
 * domestic number yields every carrier as a candidate; the caller settles it by finding the
 * number on an RMA. The default order follows national parcel volume (Yamato, then Sagawa,
 * then Japan Post) and can be overridden.
 *
 * International (UPU S10, e.g. EJ123456785JP): 2 letters, 8 serial digits, a check digit
 * (weights 8 6 4 2 3 5 9 7, C = 11 − S mod 11, 10→0, 11→5), then the ISO country code.
 */
import type { Carrier } from '../../contract/index.js';
import { cleanScan, stripSeparators } from './scan-text.js';

export type DomesticCarrier = Extract<Carrier, 'yamato' | 'sagawa' | 'japanpost'>;

export const DEFAULT_DOMESTIC_ORDER: readonly DomesticCarrier[] = ['yamato', 'sagawa', 'japanpost'];

export type TrackingFormat = 'jp12' | 's10';

export type TrackingErrorCode = 'empty' | 'format' | 'check_digit';

export type TrackingResult =
  | {
      ok: true;
      /** The number as carriers print it without separators, e.g. "123456789012" or "EJ123456785JP". */
      number: string;
      format: TrackingFormat;
      candidates: Carrier[];
      /** S10 only: the issuing country, e.g. "JP". */
      country?: string;
    }
  | {
      ok: false;
      code: TrackingErrorCode;
      error: string;
      /** When the shape was right but the check digit was not: the cleaned number and who it would belong to. */
      number?: string;
      format?: TrackingFormat;
      candidates?: Carrier[];
    };

export interface TrackingOptions {
  /** Order in which domestic carriers are offered as candidates. Missing carriers are appended in default order. */
  domesticOrder?: readonly DomesticCarrier[];
}

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** 7DR check digit: the 11-digit body read as a number, mod 7 (done digit by digit to stay exact). */
export function mod7CheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError('mod7CheckDigit expects digits only');
  let rem = 0;
  for (const ch of body) rem = (rem * 10 + (ch.charCodeAt(0) - 48)) % 7;
  return rem;
}

export function s10CheckDigit(serial8: string): number {
  if (!/^\d{8}$/.test(serial8)) throw new RangeError('s10CheckDigit expects 8 digits');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (serial8.charCodeAt(i) - 48) * (S10_WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/**
 * Codabar (NW-7) — the symbology on Yamato and Sagawa waybills — carries start/stop
 * characters A–D (some readers report the alternative set T, N, *, E) which many scanners
 * transmit. They are only stripped when what remains is all digits.
 */
const CODABAR = /^[ABCDTNE*]([0-9]+)[ABCDTNE*]$/;

/** Cleans scanner/carrier decoration off a candidate tracking number; returns uppercase text without separators. */
export function cleanTrackingText(text: string): string {
  const compact = stripSeparators(cleanScan(text).text).toUpperCase();
  const codabar = CODABAR.exec(compact);
  return codabar?.[1] ?? compact;
}

function domesticCandidates(order: readonly DomesticCarrier[] | undefined): Carrier[] {
  const out: Carrier[] = [];
  for (const c of [...(order ?? []), ...DEFAULT_DOMESTIC_ORDER]) if (!out.includes(c)) out.push(c);
  return out;
}

export function parseTracking(text: string, options: TrackingOptions = {}): TrackingResult {
  const number = cleanTrackingText(text);
  if (number === '') return { ok: false, code: 'empty', error: 'empty tracking number' };

  if (/^\d{12}$/.test(number)) {
    const candidates = domesticCandidates(options.domesticOrder);
    const expected = mod7CheckDigit(number.slice(0, 11));
    if (expected !== Number(number.slice(11))) {
      return {
        ok: false,
        code: 'check_digit',
        error: `check digit should be ${expected} (first 11 digits mod 7)`,
        number,
        format: 'jp12',
        candidates,
      };
    }
    return { ok: true, number, format: 'jp12', candidates };
  }

  const s10 = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/.exec(number);
  if (s10) {
    const [, , serial = '', check = '', country = ''] = s10;
    const expected = s10CheckDigit(serial);
    // A foreign S10 number is still delivered (and returned) through Japan Post inside Japan.
    const candidates: Carrier[] = ['japanpost_intl'];
    if (expected !== Number(check)) {
      return {
        ok: false,
        code: 'check_digit',
        error: `UPU S10 check digit should be ${expected}`,
        number,
        format: 's10',
        candidates,
      };
    }
    return { ok: true, number, format: 's10', candidates, country };
  }

  return { ok: false, code: 'format', error: 'not a 12-digit domestic or UPU S10 tracking number' };
}

export interface MakeTrackingOptions {
  /** S10 service indicator, e.g. "EJ" (EMS), "CP" (parcel), "RR" (registered). Default "EJ". */
  service?: string;
  /** S10 issuing country. Default "JP". */
  country?: string;
}

/**
 * Builds a valid tracking number from its body: 11 digits for domestic carriers,
 * 8 serial digits for japanpost_intl (UPU S10).
 */
export function makeTrackingNumber(carrier: Carrier, bodyDigits: string, options: MakeTrackingOptions = {}): string {
  if (carrier === 'japanpost_intl') {
    const service = options.service ?? 'EJ';
    const country = options.country ?? 'JP';
    if (!/^[A-Z]{2}$/.test(service) || !/^[A-Z]{2}$/.test(country)) throw new RangeError('S10 service and country are 2 capital letters');
    if (!/^\d{8}$/.test(bodyDigits)) throw new RangeError('UPU S10 body is 8 digits');
    return `${service}${bodyDigits}${s10CheckDigit(bodyDigits)}${country}`;
  }
  if (!/^\d{11}$/.test(bodyDigits)) throw new RangeError('domestic tracking body is 11 digits');
  return bodyDigits + String(mod7CheckDigit(bodyDigits));
}

/** "123456789012" → "1234-5678-9012", the grouping printed on domestic waybills. */
export function formatTrackingForDisplay(number: string): string {
  return /^\d{12}$/.test(number) ? `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}` : number;
}
