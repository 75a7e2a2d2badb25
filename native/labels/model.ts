// Where each field of the label (contract/label.ts) goes and the text it shows. ZPL, SBPL and the SVG
// preview all render from this, so a field added here shows up on every output.
import { DESTINATION_NAMES, DISPOSITION_NAMES, displayName } from '../../contract/displayNames.js';
import type { Disposition } from '../../contract/entities.js';
import type { ItemLabelInput } from '../../contract/label.js';

/** 203 dpi = 8 dots/mm, the resolution of nearly every warehouse thermal printer. */
export const DOTS_PER_MM = 8;

export interface TextField {
  kind: 'text';
  x: number;
  y: number;
  /** Character cell height in dots. */
  height: number;
  /** Longest text (in characters) the field keeps; longer text is cut with an ellipsis. */
  maxChars: number;
}

export interface BarcodeField {
  kind: 'code128';
  x: number;
  y: number;
  /** Bar height in dots. */
  height: number;
  /** Narrow bar (module) width in dots. */
  moduleWidth: number;
}

/** Positions in dots at 203 dpi, origin top-left. */
export interface LabelLayout {
  widthDots: number;
  heightDots: number;
  fields: {
    productName: TextField;
    sku: TextField;
    grade: TextField;
    disposition: TextField;
    destination: TextField;
    lpnBarcode: BarcodeField;
    lpnText: TextField;
    rmaNumber: TextField;
    footer: TextField;
  };
}

/** 100 × 50 mm (≈ 4 × 2 in) at 203 dpi: 800 × 400 dots. */
export const DEFAULT_LAYOUT: LabelLayout = {
  widthDots: 100 * DOTS_PER_MM,
  heightDots: 50 * DOTS_PER_MM,
  fields: {
    productName: { kind: 'text', x: 24, y: 20, height: 32, maxChars: 22 },
    sku: { kind: 'text', x: 24, y: 62, height: 26, maxChars: 30 },
    grade: { kind: 'text', x: 600, y: 62, height: 60, maxChars: 6 },
    disposition: { kind: 'text', x: 24, y: 96, height: 30, maxChars: 20 },
    destination: { kind: 'text', x: 24, y: 134, height: 30, maxChars: 26 },
    lpnBarcode: { kind: 'code128', x: 24, y: 180, height: 110, moduleWidth: 2 },
    lpnText: { kind: 'text', x: 24, y: 298, height: 26, maxChars: 40 },
    rmaNumber: { kind: 'text', x: 24, y: 336, height: 22, maxChars: 32 },
    footer: { kind: 'text', x: 420, y: 336, height: 22, maxChars: 30 },
  },
};

/** The text each text field shows; every renderer prints exactly these strings. */
export interface LabelTexts {
  productName: string;
  sku: string;
  grade: string;
  disposition: string;
  destination: string;
  lpnText: string;
  rmaNumber: string;
  footer: string;
}

const DISPOSITION_TEXT: Record<Disposition, string> = {
  restock: 'RESTOCK',
  resale: 'RESALE',
  repair: 'REPAIR',
  disposal: 'DISPOSAL',
  quarantine: 'QUARANTINE',
};

/** Cuts by code point (not UTF-16 unit) so a surrogate pair is never split. */
export function fitText(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  // An ASCII field stays ASCII so it can keep the printer's plain font.
  const ellipsis = needsWideFont(text) ? '…' : '.';
  return chars.slice(0, Math.max(0, maxChars - 1)).join('') + ellipsis;
}

/** Control characters have no glyph on any printer; showing '?' makes bad source data visible. */
function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

/** Sites are in Japan unless configured otherwise; the label shows local time, not UTC. */
export const DEFAULT_SITE_TIME_ZONE = 'Asia/Tokyo';

// Building an Intl.DateTimeFormat costs about 0.5 ms (it loads ICU data), twice per graded item (preview and
// printer bytes); one per time zone is kept.
const labelTimeFormats = new Map<string, Intl.DateTimeFormat>();

function labelTimeFormat(timeZone: string): Intl.DateTimeFormat {
  let f = labelTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    labelTimeFormats.set(timeZone, f);
  }
  return f;
}

/** "2026-11-27 20:33" in the site's time zone (sv-SE formats dates as ISO-like digits). */
export function formatLabelTime(iso: string, timeZone: string = DEFAULT_SITE_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 16);
  return labelTimeFormat(timeZone).format(d);
}

export function labelTexts(input: ItemLabelInput, layout: LabelLayout = DEFAULT_LAYOUT, timeZone: string = DEFAULT_SITE_TIME_ZONE): LabelTexts {
  const f = layout.fields;
  const label = {
    ...input,
    productName: printable(input.productName),
    sku: printable(input.sku),
    destination: printable(input.destination),
    rmaNumber: printable(input.rmaNumber),
    stationId: printable(input.stationId),
  };
  const printed = formatLabelTime(label.printedAt, timeZone);
  const ja = (input.language ?? 'ja') === 'ja';
  return {
    productName: fitText(label.productName, f.productName.maxChars),
    sku: fitText(`SKU ${label.sku}`, f.sku.maxChars),
    grade: fitText(label.grade, f.grade.maxChars),
    disposition: fitText(ja ? DISPOSITION_NAMES[label.disposition].ja : DISPOSITION_TEXT[label.disposition], f.disposition.maxChars),
    destination: fitText(ja ? `行き先 ${displayName(DESTINATION_NAMES, label.destination, 'ja')}` : `-> ${displayName(DESTINATION_NAMES, label.destination, 'en')}`, f.destination.maxChars),
    lpnText: fitText(label.lpn, f.lpnText.maxChars),
    // A number that already says RMA (RMA-2026-000045) printed as "RMA RMA-2026-000045" read as a misprint.
    rmaNumber: fitText(/^RMA/i.test(label.rmaNumber) ? label.rmaNumber : `RMA ${label.rmaNumber}`, f.rmaNumber.maxChars),
    footer: fitText(`${label.stationId} ${printed}`, f.footer.maxChars),
  };
}

/** True when the text needs a Kanji/Unicode font (anything outside printable ASCII). */
export function needsWideFont(text: string): boolean {
  return /[^\x20-\x7e]/.test(text);
}
