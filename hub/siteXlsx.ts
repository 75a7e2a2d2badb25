// Issue 15 (wt-15r): the site export's XLSX, streamed. exceljs 4.4's streaming writer makes the package
// (styles, frozen header, filter); the rows are rendered as SpreadsheetML here and written into its worksheet
// stream, waiting for the compressor, as the bench's writer does (core/workflow/exports/xlsxWriter.ts and
// domain/spreadsheet/sheetXml.ts, which renders the rows for both): exceljs
// builds an object graph per cell (~50 µs a row) and its StreamBuf ignores backpressure (exceljs#1894), which
// at millions of rows is minutes and the whole sheet in memory.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnLetters, rowXml as sheetRowXml, type XmlCell } from '../domain/spreadsheet/sheetXml.js';

export type SheetCell = { kind: 'text'; value: string } | { kind: 'number'; value: number } | null;
export interface SheetColumn {
  header: string;
  width: number;
  /** Excel number format ("@" for text). */
  numFmt: string;
}

interface WorksheetInternals {
  startedData?: boolean;
  stream: { write(chunk: string): unknown; pipes?: ZipEntryInput[] };
}
interface WorkbookInternals {
  styles: { addStyleModel(style: { numFmt: string }): number };
}
/** The stream archiver reads the sheet from (a readable-stream PassThrough). */
interface ZipEntryInput {
  _writableState?: { length: number };
  once(event: 'drain' | 'error' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'error' | 'close', listener: () => void): unknown;
}

const CHUNK_CHARS = 256 * 1024;
const MAX_PENDING_BYTES = 1 << 20;

/** The site's cells with their column's style, as the shared SpreadsheetML renderer takes them. */
function rowXml(rowNumber: number, cells: readonly SheetCell[], letters: readonly string[], styles: readonly number[]): string {
  return sheetRowXml(rowNumber, cells.map((c, i): XmlCell => (c ? { ...c, style: styles[i] ?? 0 } : null)), letters);
}

async function waitForCompressor(stream: WorksheetInternals['stream']): Promise<void> {
  const input = stream.pipes?.[0];
  if (!input?._writableState) return new Promise((resolve) => setImmediate(resolve));
  while (input._writableState.length > MAX_PENDING_BYTES) {
    const drained = await new Promise<boolean>((resolve) => {
      const finish = (ok: boolean) => (): void => {
        input.off('drain', onDrain);
        input.off('error', onEnd);
        input.off('close', onEnd);
        resolve(ok);
      };
      const onDrain = finish(true);
      const onEnd = finish(false);
      input.once('drain', onDrain);
      input.once('error', onEnd);
      input.once('close', onEnd);
    });
    // A failed zip reports its error through workbook.commit().
    if (!drained) return;
  }
}

/** One sheet, a bold frozen header with a filter, then every row as it comes. Returns the rows written. */
export async function writeXlsxSheet(out: Writable, sheetName: string, columns: readonly SheetColumn[], rows: AsyncIterable<readonly SheetCell[]>): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Returns Station site hub';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const internals = sheet as unknown as WorksheetInternals;
  const styles = (workbook as unknown as WorkbookInternals).styles;
  if (!internals.startedData || typeof internals.stream?.write !== 'function' || typeof styles?.addStyleModel !== 'function') {
    throw new Error('exceljs internals changed: update hub/siteXlsx.ts for this exceljs version');
  }
  const styleIds = columns.map((c) => styles.addStyleModel({ numFmt: c.numFmt }));
  const letters = columns.map((_, i) => columnLetters(i + 1));
  let chunk = '';
  let count = 0;
  for await (const cells of rows) {
    chunk += rowXml(count + 2, cells, letters, styleIds);
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      internals.stream.write(chunk);
      chunk = '';
      await waitForCompressor(internals.stream);
    }
  }
  if (chunk) internals.stream.write(chunk);
  sheet.commit();
  await workbook.commit();
  return count;
}
