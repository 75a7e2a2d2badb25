// ZPL II output for Zebra printers. Text is sent as UTF-8 (^CI28); fields that hold anything
// beyond ASCII use a Unicode/Kanji TrueType font stored on the printer, since the resident
// bitmap fonts have no Japanese glyphs.
import { encodeCode128, tokensOf, type Code128Dialect } from './code128.js';
import { gs1HumanReadable, gs1Tokens, type Gs1Element } from './gs1.js';
import { DEFAULT_LAYOUT, labelTexts, needsWideFont, type LabelLayout, type TextField } from './model.js';
import { ItemLabel } from '../../contract/label.js';
import { zplField } from './zplEscape.js';

export interface ZplOptions {
  layout?: LabelLayout;
  /**
   * Printer-resident font for Japanese text. Zebra's Asian fonts ship as e.g. E:ANMDJ.TTF
   * (Andale Mono Japanese); sites with another font name it here.
   */
  unicodeFont?: string;
  copies?: number;
}

export const DEFAULT_ZPL_UNICODE_FONT = 'E:ANMDJ.TTF';

/**
 * ^BC mode N invocations (ZPL II Programming Guide, "Code 128 Invocation Characters"):
 * >: start B, >; start C, >6 CODE B (from C), >5 CODE C (from B), >8 FNC1.
 */
export const ZPL_CODE128: Code128Dialect = {
  startB: '>:',
  startC: '>;',
  toB: '>6',
  toC: '>5',
  fnc1: '>8',
  literal: (ch) => {
    // '>' is the invocation prefix; transcriptions of the guide disagree on its escape, so refuse it.
    if (ch === '>') throw new Error("ZPL Code 128 data cannot contain '>'");
    return ch;
  },
};

function textField(f: TextField, text: string, unicodeFont: string): string {
  // ^A0 is the scalable resident font (ASCII); ^A@ selects a font by name for Japanese.
  const font = needsWideFont(text) ? `^A@N,${f.height},${f.height},${unicodeFont}` : `^A0N,${f.height},${f.height}`;
  return `^FO${f.x},${f.y}${font}${zplField(text)}`;
}

export function renderZpl(input: ItemLabel, options: ZplOptions = {}): string {
  const label = ItemLabel.parse(input);
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const font = options.unicodeFont ?? DEFAULT_ZPL_UNICODE_FONT;
  const copies = options.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1 || copies > 99) throw new Error('copies must be 1–99');
  const t = labelTexts(label, layout);
  const f = layout.fields;
  const bc = f.lpnBarcode;
  // Start + data + check symbols of 11 modules, stop of 13: narrow the bars if a long LPN
  // would run off the label.
  const modules = (Array.from(label.lpn).length + 2) * 11 + 13;
  const moduleWidth = bc.x + modules * bc.moduleWidth <= layout.widthDots ? bc.moduleWidth : 1;
  const lines = [
    '^XA',
    '^CI28',
    `^PW${layout.widthDots}`,
    `^LL${layout.heightDots}`,
    '^LH0,0',
    textField(f.productName, t.productName, font),
    textField(f.sku, t.sku, font),
    textField(f.grade, t.grade, font),
    textField(f.disposition, t.disposition, font),
    textField(f.destination, t.destination, font),
    // Interpretation line (Y) printed by the printer under the bars, where layout.lpnText sits.
    // The LPN stays in subset B with no mid-symbol switch: ZPL interpreters disagree on the
    // switch codes (the offline renderer in our proof test reads >5 as FNC4), while plain
    // start-B data means the same everywhere; an LPN is short enough to fit either way.
    `^FO${bc.x},${bc.y}^BY${moduleWidth},3,${bc.height}^BCN,${bc.height},Y,N,N,N${zplField(encodeCode128(tokensOf(label.lpn), ZPL_CODE128, { subsetC: false }))}`,
    textField(f.rmaNumber, t.rmaNumber, font),
    textField(f.footer, t.footer, font),
    `^PQ${copies},0,1,Y`,
    '^XZ',
  ];
  return lines.join('\n') + '\n';
}

export interface Gs1128ZplOptions {
  x: number;
  y: number;
  height: number;
  moduleWidth?: number;
  /** Print the "(01)…(21)…" line under the bars (drawn as a separate text field). */
  humanReadable?: boolean;
}

/**
 * A GS1-128 barcode field block (to place inside ^XA…^XZ). FNC1 is sent explicitly as >8, so
 * the symbol does not depend on the printer's mode-D heuristics.
 */
export function renderGs1128Zpl(elements: readonly Gs1Element[], o: Gs1128ZplOptions): string {
  const data = encodeCode128(gs1Tokens(elements), ZPL_CODE128);
  const mw = o.moduleWidth ?? 2;
  let out = `^FO${o.x},${o.y}^BY${mw},3,${o.height}^BCN,${o.height},N,N,N,N${zplField(data)}`;
  if (o.humanReadable ?? true) {
    out += `\n^FO${o.x},${o.y + o.height + 6}^A0N,22,22${zplField(gs1HumanReadable(elements))}`;
  }
  return out;
}
