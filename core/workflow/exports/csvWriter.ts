import type { Writable } from 'node:stream';
import type { ItemReportRow } from '../../../db/repositories/reports.js';
import type { ItemColumn } from './columns.js';
import { CSV_BOM, CSV_ROW_END, csvText, guardFormula, quoteField } from '../../../domain/spreadsheet/csvText.js';
import { Utf8Chunks } from '../../../domain/spreadsheet/utf8Chunks.js';

/** Bytes gathered per write: large enough to keep syscalls few, small enough to bound memory. */
const CHUNK_BYTES = 256 * 1024;

export function csvCell(value: string | number | null, column: Pick<ItemColumn, 'type'>, utcOffsetMinutes: number): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (column.type === 'datetime') {
    // "2026-11-02 09:05:00": Excel reads this as a date-time; the header names the time zone.
    const local = new Date(Date.parse(value) + utcOffsetMinutes * 60_000).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
  }
  return csvText(value);
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
  const chunks = new Utf8Chunks(CHUNK_BYTES);
  chunks.add(CSV_BOM + header.join(',') + CSV_ROW_END);
  let count = 0;
  for (const row of rows) {
    const full = chunks.add(columns.map((c) => csvCell(c.value(row, options.language), c, options.utcOffsetMinutes)).join(',') + CSV_ROW_END);
    count++;
    if (full && !out.write(full)) await waitDrain(out);
  }
  const last = chunks.take();
  if (last && !out.write(last)) await waitDrain(out);
  return count;
}
