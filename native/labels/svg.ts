// SVG preview of the label for the UI: the same layout in dots as the printers get, and a real
// Code 128 of the LPN (bwip-js), so what the operator sees is what the printer makes.
import { toSVG } from 'bwip-js/node';
import { DEFAULT_LAYOUT, labelTexts, type LabelLayout, type LabelTexts, type TextField } from './model.js';
import { ItemLabel } from '../../contract/label.js';

export interface SvgOptions {
  layout?: LabelLayout;
  /** On-screen width in CSS pixels; height follows the label's aspect ratio. */
  displayWidth?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

const FONT_FAMILY = "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',sans-serif";
// bwip-js measures bar height in millimetres at 72 dpi.
const BWIP_UNITS_PER_MM = 72 / 25.4;

function text(f: TextField, value: string, weight = 'normal'): string {
  return `<text x="${f.x}" y="${f.y + f.height}" font-size="${f.height}" font-weight="${weight}" font-family="${escapeXml(FONT_FAMILY)}">${escapeXml(value)}</text>`;
}

function barcode(lpn: string, layout: LabelLayout): string {
  const bc = layout.fields.lpnBarcode;
  const raw = toSVG({
    bcid: 'code128',
    text: lpn,
    scale: 1,
    height: bc.height / bc.moduleWidth / BWIP_UNITS_PER_MM,
    includetext: true,
    textxalign: 'center',
    textsize: 10,
  });
  const m = /^<svg viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(raw);
  if (!m) throw new Error('unexpected bwip-js SVG output');
  const w = Number(m[1]) * bc.moduleWidth;
  const h = Number(m[2]) * bc.moduleWidth;
  return raw.replace(/^<svg /, `<svg x="${bc.x}" y="${bc.y}" width="${w}" height="${h}" data-field="lpnBarcode" `);
}

export function renderSvg(input: ItemLabel, options: SvgOptions = {}): string {
  const label = ItemLabel.parse(input);
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const displayWidth = options.displayWidth ?? 400;
  const displayHeight = Math.round((displayWidth * layout.heightDots) / layout.widthDots);
  const t: LabelTexts = labelTexts(label, layout);
  const f = layout.fields;
  const { widthDots: W, heightDots: H } = layout;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${displayWidth}" height="${displayHeight}" role="img" aria-label="${escapeXml(`Label ${label.lpn}`)}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff" stroke="#999999" stroke-width="2" rx="12"/>`,
    text(f.productName, t.productName, 'bold'),
    text(f.sku, t.sku),
    text(f.grade, t.grade, 'bold'),
    text(f.disposition, t.disposition, 'bold'),
    text(f.destination, t.destination),
    barcode(label.lpn, layout),
    text(f.rmaNumber, t.rmaNumber),
    text(f.footer, t.footer),
    '</svg>',
  ].join('\n');
}
