/**
 * What scanners and keyboards add to a code before it reaches us, and how to take it off.
 * Shared by every identifier parser so they all see the same cleaned text.
 */

/** ASCII 29, the GS1 FNC1 separator in DataMatrix/QR and in most GS1-128 scanner output. */
export const GS = '\u001d';

/**
 * AIM / ISO 15424 symbology identifiers that announce GS1 element strings:
 * ]C1 GS1-128, ]e0 GS1 DataBar, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]J1 GS1 DotCode.
 */
export const GS1_SYMBOLOGY_IDS = new Set([']C1', ']e0', ']d2', ']Q3', ']J1']);

export interface CleanedScan {
  /** NFKC-normalised text without the AIM prefix, surrounding whitespace and control characters other than GS. */
  text: string;
  /** The AIM symbology identifier the scanner sent, e.g. "]C1", if any. */
  aim: string | null;
}

// Keyboard-wedge scanners commonly end with CR/LF/TAB; some prepend STX or append ETX.
const STRAY_CONTROL = /[\u0000-\u001c\u001e-\u001f\u007f]/g;

/**
 * NFKC first: an IME left in full-width mode turns "１２３" and "ＲＭＡ－" into
 * full-width forms, which must parse exactly like what the scanner meant.
 */
export function cleanScan(input: string): CleanedScan {
  let text = input.normalize('NFKC').replace(STRAY_CONTROL, '').trim();
  let aim: string | null = null;
  const m = /^\][A-Za-z][0-9A-Za-z]/.exec(text);
  if (m) {
    aim = m[0];
    text = text.slice(3).trim();
  }
  return { text, aim };
}

/**
 * Hyphens and spaces that carriers print for readability ("1234-5678-9012") and that
 * people type. Includes the dash look-alikes a Japanese IME produces (ー is the katakana
 * long vowel mark, which a full-width keyboard gives for "-").
 */
export const READABILITY_SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fc\uff0d\uff70]/g;

export function stripSeparators(text: string): string {
  return text.replace(READABILITY_SEPARATORS, '');
}
