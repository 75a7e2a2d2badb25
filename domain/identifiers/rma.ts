/**
 * Our own identifiers. Their prefixes make them unambiguous against carrier and GS1 codes.
 *   RMA number   RMA-00012345          "RMA-" + 8 digits
 *   order number ORD-0000012345        "ORD-" + 10 digits
 *   LPN          LPN-BENCH01-0000042   "LPN-" + station id (A–Z, 0–9, no hyphen) + "-" + 7 digits
 * Parsing accepts what keyboards and scanners do to them: lowercase, full-width forms,
 * a missing or doubled hyphen, surrounding whitespace.
 */
import { cleanScan } from './scan-text.js';

export const RMA_NUMBER_RE = /^RMA-\d{8}$/;
export const ORDER_NUMBER_RE = /^ORD-\d{10}$/;
export const LPN_RE = /^LPN-[A-Z0-9]{1,16}-\d{7}$/;

export type OwnIdResult<T> = ({ ok: true; value: string } & T) | { ok: false; error: string };

// Scanners in Japanese keyboard layouts and IMEs produce several dash look-alikes.
const DASHES = /[\u2010-\u2015\u2212\u30fc\uff0d\uff70_]/g;

function canonical(text: string): string {
  return cleanScan(text).text.toUpperCase().replace(DASHES, '-').replace(/\s+/g, '');
}

function parseNumbered(text: string, prefix: 'RMA' | 'ORD', digits: number): OwnIdResult<{ sequence: number }> {
  const t = canonical(text);
  const m = new RegExp(`^${prefix}-*(\\d+)$`).exec(t);
  if (!m || m[1] === undefined) return { ok: false, error: `not a ${prefix}- number` };
  if (m[1].length !== digits) return { ok: false, error: `${prefix}- numbers have ${digits} digits, got ${m[1].length}` };
  return { ok: true, value: `${prefix}-${m[1]}`, sequence: Number(m[1]) };
}

export function parseRmaNumber(text: string): OwnIdResult<{ sequence: number }> {
  return parseNumbered(text, 'RMA', 8);
}

export function parseOrderNumber(text: string): OwnIdResult<{ sequence: number }> {
  return parseNumbered(text, 'ORD', 10);
}

export function parseLpn(text: string): OwnIdResult<{ stationId: string; sequence: number }> {
  const t = canonical(text);
  const m = /^LPN-*([A-Z0-9]+)-+(\d+)$/.exec(t);
  if (!m || m[1] === undefined || m[2] === undefined) return { ok: false, error: 'not an LPN (LPN-<station>-<7 digits>)' };
  if (m[1].length > 16) return { ok: false, error: 'LPN station id is at most 16 characters' };
  if (m[2].length !== 7) return { ok: false, error: `LPN sequence has 7 digits, got ${m[2].length}` };
  return { ok: true, value: `LPN-${m[1]}-${m[2]}`, stationId: m[1], sequence: Number(m[2]) };
}

export function formatRmaNumber(sequence: number): string {
  return `RMA-${pad(sequence, 8)}`;
}

export function formatOrderNumber(sequence: number): string {
  return `ORD-${pad(sequence, 10)}`;
}

/** The station id in an LPN drops everything but letters and digits: "BENCH-01" → "BENCH01". */
export function lpnStationPart(stationId: string): string {
  const part = stationId.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (part.length === 0 || part.length > 16) throw new RangeError(`station id "${stationId}" cannot form an LPN`);
  return part;
}

export function formatLpn(stationId: string, sequence: number): string {
  return `LPN-${lpnStationPart(stationId)}-${pad(sequence, 7)}`;
}

function pad(n: number, width: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || String(n).length > width) {
    throw new RangeError(`${n} does not fit in ${width} digits`);
  }
  return String(n).padStart(width, '0');
}
