// CSV cells as both the bench's and the site hub's exports write them: UTF-8 with a BOM and CRLF rows
// (what Excel in Japan opens without mojibake), formulas guarded, RFC 4180 quoting.

export const CSV_BOM = '\uFEFF';
export const CSV_ROW_END = '\r\n';

/**
 * A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV
 * injection): = + - @, and tab / CR which some spreadsheets strip before looking.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling inner quotes. */
export function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Text that needs neither a guard nor quotes: the common case, checked with one test. */
const NEEDS_WORK = /^[=+\-@\t\r]|[",\r\n]/;

/** A text cell, guarded and quoted as needed. */
export function csvText(text: string): string {
  return NEEDS_WORK.test(text) ? quoteField(guardFormula(text)) : text;
}
