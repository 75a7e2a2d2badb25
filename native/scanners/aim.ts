// AIM symbology identifiers (ISO/IEC 15424): "]" + code character + modifier, sent by the
// scanner before the data when "transmit AIM ID" is on. The modifier matters: ]C1 is GS1-128
// (FNC1 in first position) while ]C0 is plain Code 128, and only the former is a GS1 element string.
import type { Symbology } from '../../contract/index.js';

export interface AimInfo {
  symbology: Symbology;
  /** The data is a GS1 element string (FNC1 in first position). */
  gs1: boolean;
}

const byCode: Record<string, (modifier: string) => AimInfo> = {
  A: () => ({ symbology: 'code39', gs1: false }),
  B: () => ({ symbology: 'telepen', gs1: false }),
  C: (m) => (m === '1' ? { symbology: 'gs1-128', gs1: true } : { symbology: 'code128', gs1: false }),
  // Data Matrix: 2 = FNC1 in first position (GS1), 5 = same with ECI.
  d: (m) => (m === '2' || m === '5' ? { symbology: 'gs1-datamatrix', gs1: true } : { symbology: 'datamatrix', gs1: false }),
  // EAN/UPC: 0 = EAN-13/UPC-A/UPC-E as 13 digits, 4 = EAN-8, 1/2/3 = add-on forms.
  E: (m) => (m === '4' ? { symbology: 'ean-8', gs1: false } : m === '0' ? { symbology: 'ean-13', gs1: false } : { symbology: 'ean-addon', gs1: false }),
  // GS1 DataBar always carries GS1 element strings (transmitted as ]e0 with AI 01 first).
  e: () => ({ symbology: 'gs1-databar', gs1: true }),
  F: () => ({ symbology: 'codabar', gs1: false }),
  G: () => ({ symbology: 'code93', gs1: false }),
  H: () => ({ symbology: 'code11', gs1: false }),
  I: () => ({ symbology: 'itf', gs1: false }),
  L: () => ({ symbology: 'pdf417', gs1: false }),
  M: () => ({ symbology: 'msi', gs1: false }),
  // QR: 3 = FNC1 in first position (GS1 QR), 4 = same with ECI.
  Q: (m) => (m === '3' || m === '4' ? { symbology: 'gs1-qr', gs1: true } : { symbology: 'qr', gs1: false }),
  // Aztec: A/B/C… modifiers; 1 (and 7) mean FNC1 in first position.
  z: (m) => (m === '1' || m === '7' ? { symbology: 'gs1-aztec', gs1: true } : { symbology: 'aztec', gs1: false }),
  J: (m) => ({ symbology: 'dotcode', gs1: m === '1' || m === '4' }),
  U: () => ({ symbology: 'maxicode', gs1: false }),
  X: () => ({ symbology: 'other', gs1: false }),
};

const AIM_RE = /^\]([A-Za-z])([0-9A-Za-z])/;

/** Names the symbology of an AIM identifier like "]C1"; unknown code characters map to 'other'. */
export function describeAim(aim: string): AimInfo {
  const m = AIM_RE.exec(aim);
  if (!m) return { symbology: 'unknown', gs1: false };
  const [, code = '', modifier = ''] = m;
  return byCode[code]?.(modifier) ?? { symbology: 'other', gs1: false };
}

export interface AimSplit extends AimInfo {
  /** The three-character identifier, or null when the text has none. */
  aim: string | null;
  /** The data after the identifier. */
  data: string;
}

/** Splits a scan into AIM identifier and data. Text without an identifier is symbology 'unknown'. */
export function splitAim(text: string): AimSplit {
  const m = AIM_RE.exec(text);
  if (!m) return { aim: null, data: text, symbology: 'unknown', gs1: false };
  const aim = m[0];
  return { aim, data: text.slice(aim.length), ...describeAim(aim) };
}
