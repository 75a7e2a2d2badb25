import { CATEGORY_NAMES, DISPOSITION_NAMES, displayName, FLAG_NAMES, GRADE_NAMES, REASON_NAMES, REVIEW_STATUS_NAMES, SHIFT_NAMES, type Names } from '../../../contract/displayNames.js';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ReportSummary } from '../../../contract/index.js';
import type { ItemReportRow } from '../../../db/repositories/reports.js';
import type { ColumnType, ItemColumn } from './columns.js';
import { summaryLabels, type Language } from './labels.js';
import { columnLetters, rowXml, type XmlCell } from '../../../domain/spreadsheet/sheetXml.js';
import { Utf8Chunks } from '../../../domain/spreadsheet/utf8Chunks.js';

export const YEN_FORMAT = '"¥"#,##0';
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
/** Every column names its format (text as "@"), so no cell's style depends on the value's type. */
const NUM_FORMATS: Record<ColumnType, string> = { text: '@', yen: YEN_FORMAT, datetime: DATETIME_FORMAT, int: '0', decimal: '0.0#' };

/** The parts of exceljs 4.4's streaming writer the Items sheet uses beyond its typed API. */
interface WorksheetInternals {
  startedData?: boolean;
  /** exceljs's StreamBuf: it takes a string or a Buffer, and refuses any other Uint8Array. */
  stream: { write(chunk: string | Buffer): unknown; pipes?: ZipEntryInput[] };
}
/** The stream archiver reads the sheet from (a readable-stream PassThrough). */
interface ZipEntryInput {
  _writableState?: { length: number };
  once(event: 'drain' | 'error' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'error' | 'close', listener: () => void): unknown;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Sheet bytes allowed to wait for the compressor before the writer pauses. */
/** Sheet XML handed to the zip stream at a time. */
const CHUNK_BYTES = 256 * 1024;
const MAX_PENDING_BYTES = 1 << 20;

/**
 * exceljs 4.4's StreamBuf pushes into the zip entry without heeding its backpressure (upstream
 * exceljs#1894 / #2916), so a fast producer piles the whole sheet up in memory. Waiting here for
 * the entry's input to drain keeps the sheet streaming.
 */
async function waitForCompressor(sheetStream: WorksheetInternals['stream']): Promise<void> {
  const input = sheetStream.pipes?.[0];
  if (!input?._writableState) return yieldToLoop();
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

interface WorkbookInternals {
  styles: { addStyleModel(style: { numFmt: string }): number };
}

function toXmlCell(value: string | number | null, type: ColumnType, style: number, offset: number): XmlCell {
  if (value === null) return null;
  if (type === 'datetime' && typeof value === 'string') return { kind: 'date', value: siteDate(value, offset), style };
  if (typeof value === 'number') return { kind: 'number', value, style };
  return { kind: 'text', value, style };
}

export interface XlsxOptions {
  language: Language;
  utcOffsetMinutes: number;
  timeZoneLabel: string;
}

/**
 * Excel keeps no time zone: a date cell shows its wall-clock value. Shift the instant by the site's
 * offset so the cell reads in site time (JST) on any PC.
 */
export function siteDate(iso: string, utcOffsetMinutes: number): Date {
  return new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
}

function writeSummarySheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, summary: ReportSummary, rows: number, opts: XlsxOptions): void {
  const t = summaryLabels[opts.language];
  const sheet = workbook.addWorksheet(t.summarySheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [{ width: 34 }, { width: 16 }, { width: 18 }, { width: 18 }];
  const yen = (cell: ExcelJS.Cell): void => {
    cell.numFmt = YEN_FORMAT;
  };
  const add = (values: ExcelJS.CellValue[], style?: { bold?: boolean; yenFrom?: number }): void => {
    const row = sheet.addRow(values);
    if (style?.bold) row.font = { bold: true };
    if (style?.yenFrom !== undefined) for (let c = style.yenFrom; c <= values.length; c++) yen(row.getCell(c));
    values.forEach((v, i) => {
      if (v instanceof Date) row.getCell(i + 1).numFmt = DATETIME_FORMAT;
    });
    row.commit();
  };
  const f = summary.filters;
  const l = opts.language;
  // Names in the file's language, as the item sheet shows them; the codes are on the item sheet.
  const name = (names: Names<string>, code: string | null | undefined): string => (code ? displayName(names, code, l) : '');
  add([t.title], { bold: true });
  add([t.generatedAt, siteDate(summary.generatedAt, opts.utcOffsetMinutes)]);
  add([t.timeZone, opts.timeZoneLabel]);
  add([t.period, f.from ?? t.any, f.to ?? t.any]);
  add([t.filters, [f.shift && `${t.shift}=${name(SHIFT_NAMES, f.shift)}`, f.stationId && `${t.station}=${f.stationId}`, f.operatorId && `${t.operator}=${f.operatorId}`, f.category && `${t.category}=${name(CATEGORY_NAMES, f.category)}`, f.disposition && `${t.disposition}=${name(DISPOSITION_NAMES, f.disposition)}`, f.flag && `${t.flag}=${name(FLAG_NAMES, f.flag)}`].filter(Boolean).join(', ') || t.none]);
  add([]);
  add([t.totals, t.items, t.price, t.recovery], { bold: true });
  add([t.all, summary.totals.items, summary.totals.priceJpy, summary.totals.recoveryJpy], { yenFrom: 3 });
  add([t.detailRows, rows]);
  add([]);
  add([t.disposition, t.items, t.price, t.recovery], { bold: true });
  for (const d of summary.dispositions) add([name(DISPOSITION_NAMES, d.disposition), d.items, d.priceJpy, d.recoveryJpy], { yenFrom: 3 });
  add([]);
  add([t.grade, t.items], { bold: true });
  for (const g of summary.grades) add([`${g.grade} ${name(GRADE_NAMES, g.grade)}`, g.items]);
  add([]);
  add([t.reason, t.items], { bold: true });
  for (const r of summary.reasons) add([r.reason === null ? t.none : name(REASON_NAMES, r.reason), r.items]);
  add([]);
  add([t.flag, t.items, t.outcomes], { bold: true });
  for (const fl of summary.flags) add([name(FLAG_NAMES, fl.flag), fl.items, fl.outcomes.map((o) => `${name(REVIEW_STATUS_NAMES, o.outcome)}: ${o.items}`).join(', ')]);
  add([]);
  add([t.operator, t.items, t.activeHours, t.perHour], { bold: true });
  for (const o of summary.throughput.operators) add([`${o.operatorName} (${o.operatorId})`, o.items, o.activeHours, o.itemsPerActiveHour]);
  add([]);
  add([t.cycleTime, t.items, t.median, t.p90], { bold: true });
  add(['', summary.cycleTime.items, summary.cycleTime.medianSec, summary.cycleTime.p90Sec]);
  add([]);
  add([t.blindReturns, summary.blindReturns.parcels, summary.blindReturns.items]);
  add([t.deadLetters, summary.deadLetters.open, summary.deadLetters.skipped, summary.deadLetters.openNow]);
  sheet.commit();
}

/**
 * Streams a workbook: a Summary sheet, then every item on the Items sheet, committed row by row
 * (no shared-strings table, which exceljs would otherwise keep in memory for the whole file).
 */
export async function writeXlsx(
  out: Writable,
  summary: ReportSummary,
  rows: Iterable<ItemReportRow>,
  columns: readonly ItemColumn[],
  opts: XlsxOptions,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Returns Station';
  workbook.created = new Date();
  writeSummarySheet(workbook, summary, summary.totals.items, opts);

  const t = summaryLabels[opts.language];
  const sheet = workbook.addWorksheet(t.itemsSheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    key: c.key,
    header: c.type === 'datetime' ? `${c.header[opts.language]} (${opts.timeZoneLabel})` : c.header[opts.language],
    width: c.width,
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };

  // The rows go straight into the worksheet's stream as XML (sheetXml.ts); exceljs has written the
  // sheet's head and header row and closes the sheet on commit. Style ids come from its style table.
  const internals = sheet as unknown as WorksheetInternals;
  const styles = (workbook as unknown as WorkbookInternals).styles;
  if (!internals.startedData || typeof internals.stream?.write !== 'function' || typeof styles?.addStyleModel !== 'function') {
    throw new Error('exceljs internals changed: update xlsxWriter.ts for this exceljs version');
  }
  const styleIds = columns.map((c) => styles.addStyleModel({ numFmt: NUM_FORMATS[c.type] }));
  const letters = columns.map((_, i) => columnLetters(i + 1));
  const chunks = new Utf8Chunks(CHUNK_BYTES);
  let count = 0;
  for (const item of rows) {
    const cells = columns.map((c, i): XmlCell => toXmlCell(c.value(item, opts.language), c.type, styleIds[i]!, opts.utcOffsetMinutes));
    const full = chunks.add(rowXml(count + 2, cells, letters));
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
