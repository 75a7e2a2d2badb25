import type { Writable } from 'node:stream';
import type { ItemReportRow } from '../../../db/repositories/reports.js';
import type { ItemColumn } from './columns.js';

const BOM = '\uFEFF';
const CRLF = '\r\n';
/** Rows gathered per write: large enough to keep syscalls few, small enough to bound memory. */
const CHUNK_CHARS = 256 * 1024;

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

export function csvCell(value: string | number | null, column: Pick<ItemColumn, 'type'>, utcOffsetMinutes: number): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (column.type === 'datetime') {
    // "2026-11-02 09:05:00": Excel reads this as a date-time; the header names the time zone.
    const local = new Date(Date.parse(value) + utcOffsetMinutes * 60_000).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
  }
  return NEEDS_WORK.test(value) ? quoteField(guardFormula(value)) : value;
}

function waitDrain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      out.off('drain', onDrain);
      out.off('error', done);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new Error('output closed while writing'));
    out.once('drain', onDrain);
    out.once('error', done);
    out.once('close', onClose);
  });
}

/** Writes a header and every row as UTF-8 CSV with BOM and CRLF; waits whenever the output says "drain". */
export async function writeCsv(
  out: Writable,
  rows: Iterable<ItemReportRow>,
  columns: readonly ItemColumn[],
  options: { language: 'ja' | 'en'; utcOffsetMinutes: number; timeZoneLabel: string },
): Promise<number> {
  const header = columns.map((c) => quoteField(guardFormula(c.type === 'datetime' ? `${c.header[options.language]} (${options.timeZoneLabel})` : c.header[options.language])));
  let buffer = BOM + header.join(',') + CRLF;
  let count = 0;
  for (const row of rows) {
    buffer += columns.map((c) => csvCell(c.value(row, options.language), c, options.utcOffsetMinutes)).join(',') + CRLF;
    count++;
    if (buffer.length >= CHUNK_CHARS) {
      const ok = out.write(buffer, 'utf8');
      buffer = '';
      if (!ok) await waitDrain(out);
    }
  }
  if (buffer) {
    if (!out.write(buffer, 'utf8')) await waitDrain(out);
  }
  return count;
}
