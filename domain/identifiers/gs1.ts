/**
 * GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR, DataBar; FNC1 as ASCII 29 or a
 * configured stand-in; bracketed HRI "(01)…(21)…") and GS1 Digital Link URIs.
 *
 * Element strings go through gs1-barcode-parser-mod. We add what it leaves out: check
 * digits (it accepts any 14 digits as a GTIN) and strict dates (it rolls 31 June into
 * July). Digital Link is parsed here by hand: the URI syntax is small, and digital-link.js
 * pulls a grammar engine plus a personal check-digit package for what is a path split.
 */
import gs1Lib from 'gs1-barcode-parser-mod';
import { GS, GS1_SYMBOLOGY_IDS, cleanScan } from './scan-text.js';
import { hasValidGs1CheckDigit, toGtin14 } from './gtin.js';

export interface Gs1Element {
  ai: string;
  value: string;
}

export interface Gs1Data {
  /** GTIN-14 from AI (01). */
  gtin?: string;
  /** AI (21). */
  serial?: string;
  /** AI (10). */
  lot?: string;
  /** AI (17) as YYYY-MM-DD. */
  expiry?: string;
  /** AI (00), 18 digits. */
  sscc?: string;
  elements: Gs1Element[];
}

export type Gs1Form = 'element_string' | 'hri' | 'digital_link';

export type Gs1Result =
  | { ok: true; form: Gs1Form; data: Gs1Data }
  | { ok: false; error: string; form?: Gs1Form; data?: Gs1Data };

export interface Gs1Options {
  /**
   * Texts a keyboard-wedge scanner sends in place of the GS separator (it cannot type
   * ASCII 29). Replaced before parsing. Default: "␝" (U+241D), "<GS>", "{GS}".
   */
  gsStandIns?: readonly string[];
  /** Reference date for the GS1 two-digit-year window; default: the current date. */
  now?: Date;
}

export const DEFAULT_GS_STAND_INS: readonly string[] = ['\u241d', '<GS>', '{GS}'];

/**
 * Resolves YYMMDD with the GS1 General Specifications' sliding century window (section
 * 7.12): a year 51+ ahead of now is last century, 50+ behind is next century. DD "00"
 * means the last day of the month. Returns null for an impossible date.
 */
export function gs1DateToIso(raw: string, now: Date = new Date()): string | null {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(raw);
  if (!m) return null;
  const yy = Number(m[1]);
  const month = Number(m[2]);
  let day = Number(m[3]);
  if (month < 1 || month > 12) return null;
  const currentYear = now.getUTCFullYear();
  const century = Math.floor(currentYear / 100) * 100;
  const diff = yy - (currentYear % 100);
  const year = century + yy + (diff >= 51 ? -100 : diff <= -50 ? 100 : 0);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === 0) day = daysInMonth;
  if (day > daysInMonth) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Maps raw AI/value pairs to the fields the station uses and checks them. */
export function interpretGs1Elements(elements: Gs1Element[], now?: Date): { data: Gs1Data; error?: string } {
  const data: Gs1Data = { elements };
  const errors: string[] = [];
  for (const { ai, value } of elements) {
    switch (ai) {
      case '01': {
        const gtin = /^\d{14}$/.test(value) ? toGtin14(value) : null;
        if (gtin) data.gtin = gtin;
        else errors.push(`GTIN (01) ${value} has a wrong length or check digit`);
        break;
      }
      case '00':
        if (/^\d{18}$/.test(value) && hasValidGs1CheckDigit(value)) data.sscc = value;
        else errors.push(`SSCC (00) ${value} has a wrong length or check digit`);
        break;
      case '10':
        data.lot = value;
        break;
      case '21':
        data.serial = value;
        break;
      case '17': {
        const iso = gs1DateToIso(value, now);
        if (iso) data.expiry = iso;
        else errors.push(`expiry (17) ${value} is not a valid YYMMDD date`);
        break;
      }
      default:
        break;
    }
  }
  return errors.length > 0 ? { data, error: errors.join('; ') } : { data };
}

function applyStandIns(text: string, standIns: readonly string[]): string {
  let out = text;
  for (const s of standIns) if (s.length > 0) out = out.split(s).join(GS);
  return out;
}

/** Element string or bracketed HRI, optionally with an AIM prefix. Never throws. */
export function parseGs1ElementString(input: string, options: Gs1Options = {}): Gs1Result {
  const { text: cleaned, aim } = cleanScan(applyStandIns(input, options.gsStandIns ?? DEFAULT_GS_STAND_INS));
  if (aim !== null && !GS1_SYMBOLOGY_IDS.has(aim)) {
    return { ok: false, error: `symbology ${aim} does not carry GS1 element strings` };
  }
  // A leading FNC1 is transmitted by some scanners as GS; it marks GS1 mode, not a separator.
  // Spaces are not in the GS1 character sets; they come from typing a printed HRI line.
  const text = cleaned.replace(/ +/g, '').replace(/^\u001d+/, '').replace(/\u001d+$/, '');
  const form: Gs1Form = text.startsWith('(') ? 'hri' : 'element_string';
  if (text === '') return { ok: false, error: 'empty GS1 element string', form };
  if (form === 'element_string' && !/^\d{2}/.test(text)) {
    return { ok: false, error: 'a GS1 element string starts with a numeric application identifier', form };
  }
  let items;
  try {
    items = gs1Lib.parseBarcode(text).parsedCodeItems;
  } catch (e) {
    return { ok: false, error: `not a GS1 element string: ${e instanceof Error ? e.message : String(e)}`, form };
  }
  if (items.length === 0) return { ok: false, error: 'no GS1 elements found', form };
  const elements = items.map((it) => ({ ai: it.ai, value: typeof it.raw === 'string' ? it.raw : String(it.data) }));
  const { data, error } = interpretGs1Elements(elements, options.now);
  return error ? { ok: false, error, form, data } : { ok: true, form, data };
}

// Short names from GS1 Digital Link 1.0, still found on printed codes.
const DL_ALIASES: Record<string, string> = { gtin: '01', sscc: '00', cpv: '22', lot: '10', ser: '21', exp: '17' };
const DL_PRIMARY_KEYS = new Set(['01', '00']);

export function looksLikeDigitalLink(text: string): boolean {
  return /^https?:\/\/[^/]+\/(?:.*\/)?(?:01|00|gtin|sscc)\/[^/]+/i.test(text.trim());
}

/**
 * GS1 Digital Link URI, e.g. https://id.gs1.org/01/09506000134352/10/LOT/21/ABC?17=261231.
 * Any domain and path prefix is allowed; the GS1 part is the last run of AI/value pairs
 * starting at a primary key (01 or 00). Never throws.
 */
export function parseGs1DigitalLink(input: string, options: Gs1Options = {}): Gs1Result {
  const form: Gs1Form = 'digital_link';
  let url: URL;
  try {
    url = new URL(cleanScan(input).text);
  } catch {
    return { ok: false, error: 'not a URL', form };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'Digital Link must be http(s)', form };
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  } catch {
    return { ok: false, error: 'malformed percent-encoding in Digital Link path', form };
  }
  const keyOf = (s: string): string => DL_ALIASES[s.toLowerCase()] ?? s;
  let start = -1;
  for (let i = 0; i < segments.length; i++) {
    if (DL_PRIMARY_KEYS.has(keyOf(segments[i] ?? '')) && (segments.length - i) % 2 === 0) {
      start = i;
      break;
    }
  }
  if (start < 0) return { ok: false, error: 'no GS1 primary key (01 or 00) in the Digital Link path', form };

  const elements: Gs1Element[] = [];
  for (let i = start; i + 1 < segments.length; i += 2) {
    const ai = keyOf(segments[i] ?? '');
    if (!/^\d{2,4}$/.test(ai)) return { ok: false, error: `"${segments[i]}" is not an application identifier`, form };
    let value = segments[i + 1] ?? '';
    // Digital Link allows a GTIN-8/12/13 in the path; the element string form is always 14 digits.
    if (ai === '01' && /^\d{8}$|^\d{12,13}$/.test(value)) value = value.padStart(14, '0');
    elements.push({ ai, value });
  }
  for (const [k, v] of url.searchParams) {
    const ai = keyOf(k);
    if (/^\d{2,4}$/.test(ai)) elements.push({ ai, value: v });
  }
  const { data, error } = interpretGs1Elements(elements, options.now);
  return error ? { ok: false, error, form, data } : { ok: true, form, data };
}

/** Digital Link when the text is an http(s) URL, element string otherwise. Never throws. */
export function parseGs1(input: string, options: Gs1Options = {}): Gs1Result {
  return /^\s*https?:\/\//i.test(input) ? parseGs1DigitalLink(input, options) : parseGs1ElementString(input, options);
}
