/**
 * SpreadsheetML for one row of cells, rendered directly. exceljs builds an object graph per cell and
 * spends ~50 µs a row on it; a million-row export cannot afford that, so the Items sheet's rows are
 * rendered here and written into exceljs's own worksheet stream (the package, styles, summary
 * sheet, header, frozen pane and filter stay exceljs's). Shared by the bench's writer (core/workflow/exports/xlsxWriter.ts) and the site hub's (hub/siteXlsx.ts).
 */

export type XmlCell =
  | { kind: 'text'; value: string; style: number }
  | { kind: 'number'; value: number; style: number }
  | { kind: 'date'; value: Date; style: number }
  | null;

/** "A".."Z","AA"..: column letters of a 1-based column number. */
export function columnLetters(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

// Characters XML 1.0 cannot carry at all (C0 controls except tab, LF, CR; U+FFFE/U+FFFF; lone surrogates).
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NEEDS_ESCAPE = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

export function escapeXmlText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Excel's serial day number of a date (1900 system), read as wall-clock time. */
export function excelSerial(date: Date): number {
  return (date.getTime() - EXCEL_EPOCH_MS) / 86_400_000;
}

function textCellXml(ref: string, style: number, value: string): string {
  const text = escapeXmlText(value);
  const space = text.length && (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32 || text.includes('\n')) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

function numberCellXml(ref: string, style: number, n: number): string {
  return Number.isFinite(n) ? `<c r="${ref}" s="${style}"><v>${n}</v></c>` : '';
}

export function rowXml(rowNumber: number, cells: readonly XmlCell[], letters: readonly string[]): string {
  let xml = `<row r="${rowNumber}">`;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (!cell) continue;
    const ref = `${letters[i]}${rowNumber}`;
    if (cell.kind === 'text') xml += textCellXml(ref, cell.style, cell.value);
    else xml += numberCellXml(ref, cell.style, cell.kind === 'date' ? excelSerial(cell.value) : cell.value);
  }
  return `${xml}</row>`;
}

/** A column of a sheet whose cells are plain values: its letter and its style. */
export interface XmlColumn {
  letter: string;
  style: number;
}

/**
 * One row of plain values (text, a number, or nothing), each cell styled by its column. The site's
 * multi-million-row export renders through this: no object per cell, which at 31 cells a row was
 * the largest share of the writer's time and of its garbage.
 */
export function valuesRowXml(rowNumber: number, values: readonly (string | number | null)[], columns: readonly XmlColumn[]): string {
  let xml = `<row r="${rowNumber}">`;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const column = columns[i];
    if (v === null || v === undefined || !column) continue;
    const ref = column.letter + rowNumber;
    xml += typeof v === 'string' ? textCellXml(ref, column.style, v) : numberCellXml(ref, column.style, v);
  }
  return `${xml}</row>`;
}
