// Issue 15 (wt-15r): the site export's XLSX, streamed. exceljs 4.4's streaming writer makes the package
// (styles, frozen header, filter); the rows are rendered as SpreadsheetML here and written into its worksheet
// stream, waiting for the compressor, as the bench's writer does (core/workflow/exports/xlsxWriter.ts and
// domain/spreadsheet/sheetXml.ts, which renders the rows for both): exceljs
// builds an object graph per cell (~50 µs a row) and its StreamBuf ignores backpressure (exceljs#1894), which
// at millions of rows is minutes and the whole sheet in memory.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnLetters, valuesRowXml, type XmlColumn } from '../domain/spreadsheet/sheetXml.js';
import { Utf8Chunks } from '../domain/spreadsheet/utf8Chunks.js';

/** Text, a number, or an empty cell. */
export type SheetCell = string | number | null;
export interface SheetColumn {
  header: string;
  width: number;
  /** Excel number format ("@" for text). */
  numFmt: string;
}

interface WorksheetInternals {
  startedData?: boolean;
  /** exceljs's StreamBuf: it takes a string or a Buffer, and refuses any other Uint8Array. */
  stream: { write(chunk: string | Buffer): unknown; pipes?: ZipEntryInput[] };
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

/** Sheet XML handed to the zip stream at a time. */
const CHUNK_BYTES = 256 * 1024;
const MAX_PENDING_BYTES = 1 << 20;

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
  const xmlColumns: XmlColumn[] = columns.map((c, i) => ({ letter: columnLetters(i + 1), style: styles.addStyleModel({ numFmt: c.numFmt }) }));
  const chunks = new Utf8Chunks(CHUNK_BYTES);
  let count = 0;
  for await (const cells of rows) {
    const full = chunks.add(valuesRowXml(count + 2, cells, xmlColumns));
    count++;
    if (full) {
      internals.stream.write(Buffer.from(full.buffer, full.byteOffset, full.byteLength));
      await waitForCompressor(internals.stream);
    }
  }
  const last = chunks.take();
  if (last) internals.stream.write(Buffer.from(last.buffer, last.byteOffset, last.byteLength));
  sheet.commit();
  await workbook.commit();
  return count;
}
