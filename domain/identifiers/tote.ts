/**
 * Labels of consolidated inbound totes (issue 17):
 *   tote or cage  TOTE-S0001 / CAGE-D0003   "TOTE-" or "CAGE-" + 3–16 letters or digits
 *   bag           BAG-3000000001            "BAG-" + 6–20 letters or digits
 * Parsed with the same tolerance as our other identifiers: lowercase, full-width forms, dash look-alikes,
 * a missing hyphen, surrounding whitespace.
 */
import { BAG_CODE_RE, TOTE_ID_RE } from '../../contract/totes.js';
import { cleanScan } from './scan-text.js';
import type { OwnIdResult } from './rma.js';

const DASHES = /[\u2010-\u2015\u2212\u30fc\uff0d\uff70_]/g;

function canonical(text: string): string {
  return cleanScan(text).text.toUpperCase().replace(DASHES, '-').replace(/\s+/g, '');
}

/** True when the text starts like a tote/cage label or a bag code (the classifier's prefix test). */
// With its hyphen the prefix claims the text; without one only when a digit follows ("TOTE1234", not "BAGGAGE").
export function looksLikeToteLabel(upper: string): 'tote' | 'bag' | null {
  if (/^(TOTE|CAGE)(?:[-\u2010-\u2015\u2212\u30fc\uff0d\uff70_][A-Z0-9]|\d)/.test(upper)) return 'tote';
  if (/^BAG(?:[-\u2010-\u2015\u2212\u30fc\uff0d\uff70_][A-Z0-9]|\d)/.test(upper)) return 'bag';
  return null;
}

export function parseToteId(text: string): OwnIdResult<{ container: 'tote' | 'cage' }> {
  const m = /^(TOTE|CAGE)-*([A-Z0-9]+)$/.exec(canonical(text));
  if (!m || m[1] === undefined || m[2] === undefined) return { ok: false, error: 'not a tote or cage label (TOTE-… / CAGE-…)' };
  const value = `${m[1]}-${m[2]}`;
  if (!TOTE_ID_RE.test(value)) return { ok: false, error: 'a tote or cage id has 3 to 16 letters or digits after the prefix' };
  return { ok: true, value, container: m[1] === 'CAGE' ? 'cage' : 'tote' };
}

export function parseBagCode(text: string): OwnIdResult<Record<never, never>> {
  const m = /^BAG-*([A-Z0-9]+)$/.exec(canonical(text));
  if (!m || m[1] === undefined) return { ok: false, error: 'not a bag code (BAG-…)' };
  const value = `BAG-${m[1]}`;
  if (!BAG_CODE_RE.test(value)) return { ok: false, error: 'a bag code has 6 to 20 letters or digits after BAG-' };
  return { ok: true, value };
}
