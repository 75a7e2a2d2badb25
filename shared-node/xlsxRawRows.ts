// exceljs 4.4's streaming writer makes the package (styles, frozen header, filter), but it builds an object
// graph per cell (~50 µs a row) and its StreamBuf ignores backpressure (exceljs#1894 / #2916), which at
// millions of rows is minutes and the whole sheet in memory. So the bench's export and the hub's site export
// both write their rows as SpreadsheetML (domain/spreadsheet/sheetXml.ts) straight into the worksheet's
// stream, through this one wrapper of the internals it needs.
import type ExcelJS from 'exceljs';
import { Utf8Chunks } from '../domain/spreadsheet/utf8Chunks.js';

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
/** Sheet bytes allowed to wait for the compressor before the writer pauses. */
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
    // A failed zip reports its error through workbook.commit(); stop waiting for it here.
    if (!drained) return;
  }
}

export interface RawRows {
  /** The workbook's style id for a number format ("@" for text). */
  styleFor(numFmt: string): number;
  /**
   * Adds one row's XML. Returns a promise only when a chunk went to the compressor and the caller must wait
   * before the next row; a promise per row would cost more than the row at millions of rows.
   */
  add(rowXml: string): Promise<void> | undefined;
  /** Writes the rows still buffered and commits the sheet. */
  finish(): void;
}

/**
 * Rows for a sheet whose header exceljs has already committed (so it has started the sheet's data); the
 * caller commits the workbook after finish().
 */
export function rawRows(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet): RawRows {
  const internals = sheet as unknown as WorksheetInternals;
  const styles = (workbook as unknown as WorkbookInternals).styles;
  if (!internals.startedData || typeof internals.stream?.write !== 'function' || typeof styles?.addStyleModel !== 'function') {
    throw new Error('exceljs internals changed: update shared-node/xlsxRawRows.ts for this exceljs version');
  }
  const chunks = new Utf8Chunks(CHUNK_BYTES);
  const write = (bytes: Uint8Array): void => {
    internals.stream.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  };
  return {
    styleFor: (numFmt) => styles.addStyleModel({ numFmt }),
    add(rowXml) {
      const full = chunks.add(rowXml);
      if (!full) return undefined;
      write(full);
      return waitForCompressor(internals.stream);
    },
    finish() {
      const last = chunks.take();
      if (last) write(last);
      sheet.commit();
    },
  };
}
