// SBPL output for SATO printers (the common brand in Japanese warehouses). A job is
// STX ESC A … ESC Z ETX. Japanese text goes through the 24×24 Kanji font in binary Shift_JIS
// (ESC K9B), after the job has said its Kanji code is Shift_JIS (ESC KC1); ASCII text uses the
// resident XM font. No byte of label data can become ESC, STX or ETX: ASCII fields are limited
// to printable characters and every Shift_JIS double-byte code has both bytes ≥ 0x40.
//
// Why K9 and KC1, not K2 (SATO CL4NX/CL6NX Programming Reference, the NX-series SBPL that the
// CL4NX Plus also speaks):
// - ESC K1/K2 there is the "Horizontal Writing External Font Call": it prints characters
//   registered on a memory card (Shift_JIS F040–F09E), not the resident Kanji font, so ordinary
//   Shift_JIS kanji sent through it do not print as text.
// - ESC K9 is "24 x 24 dots Kanji in horizontal line with 1-byte character"; its data is read
//   in the code the Kanji code command ESC KC selects, and SATO's own Shift_JIS example sends
//   <A><KC>1 … <K9>…. Without KC the printer uses its panel setting (JIS, Shift_JIS or Unicode),
//   so a bench printer set up for another host would print the same bytes as other characters.
import iconv from 'iconv-lite';
import { encodeCode128, tokensOf, type Code128Dialect } from './code128.js';
import { gs1Tokens, type Gs1Element } from './gs1.js';
import { DEFAULT_LAYOUT, labelTexts, needsWideFont, type LabelLayout, type TextField } from './model.js';
import { ItemLabel } from '../../contract/label.js';

export const STX = 0x02;
export const ETX = 0x03;
export const ESC = 0x1b;

export interface SbplOptions {
  layout?: LabelLayout;
  copies?: number;
}

/** ESC BG invocations: >H start B, >I start C, >D to B, >C to C, >F FNC1. */
export const SBPL_CODE128: Code128Dialect = {
  startB: '>H',
  startC: '>I',
  toB: '>D',
  toC: '>C',
  fnc1: '>F',
  literal: (ch) => {
    // '>' is the invocation prefix and SATO documents no escape for it.
    if (ch === '>') throw new Error("SBPL Code 128 data cannot contain '>'");
    return ch;
  },
};

const XM_CELL = 24; // XM resident font and K9 Kanji are both 24 dots high.
const FULLWIDTH_SPACE = '\u3000';
const FULLWIDTH_QUESTION = '\uff1f';

/**
 * Characters JIS X 0208 has that the CP932 table knows under another code point (the Unicode of
 * Shift_JIS versus Windows-31J): text from Macs, Java and many WMSs carries the left-hand ones
 * ("22〜24cm" with U+301C WAVE DASH), and CP932 would turn them into a question mark. Each is the
 * same JIS character, so it is printed as that.
 */
const JIS_TO_CP932: Record<string, string> = {
  '\u301c': '\uff5e', // 〜 WAVE DASH → ～ (0x8160)
  '\u2016': '\u2225', // ‖ DOUBLE VERTICAL LINE → ∥ (0x8161)
  '\u2212': '\uff0d', // − MINUS SIGN → － (0x817C)
  '\u2014': '\u2015', // — EM DASH → ― (0x815C)
  '\u00a2': '\uffe0', // ¢ (0x8191)
  '\u00a3': '\uffe1', // £ (0x8192)
  '\u00ac': '\uffe2', // ¬ (0x81CA)
  '\u00a5': '\uffe5', // ¥, also what NFKC makes of ￥ (0x818F)
  '\u203e': '\uffe3', // ‾, also what NFKC makes of ￣ (0x8150)
  '\u00a6': '\uffe4', // ¦, also what NFKC makes of ￤ (0xFA55)
};

/** Selects Shift_JIS as the code of every Kanji field that follows in this job (see the top of this file). */
export const SBPL_KANJI_SHIFT_JIS = 'KC1';
/** 24×24 Kanji, horizontal, binary data. */
export const SBPL_KANJI_24 = 'K9B';

/**
 * JIS X 0208 characters that NFKC takes apart: "…" became "..." and then "．．．", three full-width
 * dots spread over three Kanji cells. The job selects Shift_JIS (ESC KC1), and every one of these is
 * in row 1 of JIS X 0208 (… is 0x8163, ‥ 0x8164, ″ 0x818D, ℃ 0x818E, ´ 0x814C, ¨ 0x814E, ゛ 0x814A,
 * ゜ 0x814B), which the printer's resident 24×24 Kanji font covers, so they are sent as they are.
 * NEC row 13 (①, ㈱, №) is deliberately not kept: CP932 has it but a JIS X 0208 font may not, and
 * NFKC's 1, (株), No print everywhere.
 */
const KEPT_FROM_NFKC = /([\u2026\u2025\u2033\u2103\u00b4\u00a8\u309b\u309c])/;

function nfkcKeepingJis(text: string): string {
  return text
    .split(KEPT_FROM_NFKC)
    .map((part) => (KEPT_FROM_NFKC.test(part) && part.length === 1 ? part : part.normalize('NFKC')))
    .join('');
}

/**
 * Makes text printable by the double-byte Kanji command: half-width katakana become full-width
 * (NFKC), then ASCII becomes its full-width form, JIS characters get their CP932 code point, and
 * any character Shift_JIS (CP932) lacks becomes a full-width question mark instead of a stray byte.
 */
export function toShiftJisFullWidth(text: string): Buffer {
  const wide = Array.from(nfkcKeepingJis(text), (ch) => {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0x20) return FULLWIDTH_SPACE;
    if (c > 0x20 && c < 0x7f) return String.fromCodePoint(c + 0xfee0);
    return JIS_TO_CP932[ch] ?? ch;
  });
  const parts = wide.map((ch) => {
    const bytes = iconv.encode(ch, 'cp932');
    const roundTrips = bytes.length === 2 && iconv.decode(bytes, 'cp932') === ch;
    return roundTrips ? bytes : iconv.encode(FULLWIDTH_QUESTION, 'cp932');
  });
  return Buffer.concat(parts);
}

function ascii(text: string): Buffer {
  return Buffer.from(text.replace(/[^\x20-\x7e]/g, '?'), 'latin1');
}

function esc(command: string): Buffer {
  return Buffer.concat([Buffer.from([ESC]), Buffer.from(command, 'latin1')]);
}

const pad = (n: number, width: number): string => {
  const s = String(Math.round(n));
  if (s.length > width || n < 0) throw new Error(`SBPL parameter ${n} does not fit ${width} digits`);
  return s.padStart(width, '0');
};

function position(x: number, y: number): Buffer {
  return Buffer.concat([esc(`V${pad(y, 4)}`), esc(`H${pad(x, 4)}`)]);
}

function textField(f: TextField, text: string): Buffer {
  const mag = Math.max(1, Math.min(12, Math.round(f.height / XM_CELL)));
  const enlarge = esc(`L${pad(mag, 2)}${pad(mag, 2)}`);
  if (needsWideFont(text)) {
    return Buffer.concat([position(f.x, f.y), enlarge, esc(SBPL_KANJI_24), toShiftJisFullWidth(text)]);
  }
  return Buffer.concat([position(f.x, f.y), enlarge, esc('XM'), ascii(text)]);
}

export function sbplCode128(x: number, y: number, height: number, moduleWidth: number, data: string): Buffer {
  return Buffer.concat([position(x, y), esc(`BG${pad(moduleWidth, 2)}${pad(height, 3)}${data}`)]);
}

export function renderSbpl(input: ItemLabel, options: SbplOptions = {}): Buffer {
  const label = ItemLabel.parse(input);
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const copies = options.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1 || copies > 999) throw new Error('copies must be 1–999');
  const t = labelTexts(label, layout);
  const f = layout.fields;
  const bc = f.lpnBarcode;
  // Only a label with Japanese text names a Kanji code: an ASCII-only job stays what any SBPL printer reads.
  const kanji = Object.values(t).some((text) => needsWideFont(text));
  return Buffer.concat([
    Buffer.from([STX]),
    esc('A'),
    ...(kanji ? [esc(SBPL_KANJI_SHIFT_JIS)] : []),
    // Media size: height (V) then width (H), in dots.
    esc(`A1${pad(layout.heightDots, 4)}${pad(layout.widthDots, 4)}`),
    textField(f.productName, t.productName),
    textField(f.sku, t.sku),
    textField(f.grade, t.grade),
    textField(f.disposition, t.disposition),
    textField(f.destination, t.destination),
    sbplCode128(bc.x, bc.y, bc.height, bc.moduleWidth, encodeCode128(tokensOf(label.lpn), SBPL_CODE128)),
    textField(f.lpnText, t.lpnText),
    textField(f.rmaNumber, t.rmaNumber),
    textField(f.footer, t.footer),
    esc(`Q${copies}`),
    esc('Z'),
    Buffer.from([ETX]),
  ]);
}

/** A GS1-128 barcode command (to place between ESC A and ESC Z), FNC1 explicit as >F. */
export function renderGs1128Sbpl(elements: readonly Gs1Element[], o: { x: number; y: number; height: number; moduleWidth?: number }): Buffer {
  return sbplCode128(o.x, o.y, o.height, o.moduleWidth ?? 2, encodeCode128(gs1Tokens(elements), SBPL_CODE128));
}
