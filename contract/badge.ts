import { z } from 'zod';

// Dashes NFKC leaves as they are, which a Japanese IME or a keyboard layout gives for the hyphen key: ‐ ‑ ‒ – — ―,
// the minus sign − and the katakana long vowel mark ー (the hyphen key in kana mode). A badge is ASCII, so each
// of them can only have meant "-".
const DASHES = /[\u2010-\u2015\u2212\u30fc]/g;

/**
 * One badge id, however it reached the station: scanned, typed in lower case, or typed with an IME left in
 * full-width mode (ＯＰ－１００１). NFKC first (full-width → ASCII), then the dashes, then trim and upper case.
 * Stored badges are kept in this form (db migration 014), so a lookup is a plain comparison.
 */
export function normalizeBadge(raw: string): string {
  return raw.normalize('NFKC').replace(DASHES, '-').trim().toUpperCase();
}

/**
 * A badge as it comes in to be looked up (sign-in, the hub's PIN check, a roster entry): normalized before any
 * check, so "  " is empty and a scanner's trailing CR is gone rather than refused.
 */
export const BadgeRef = z
  .string()
  .overwrite(normalizeBadge)
  .min(1, 'empty badge')
  .max(64, 'badge too long')
  .regex(/^[^\p{Cc}]+$/u, 'badge contains control characters');
