import { CATEGORY_NAMES, DISPOSITION_NAMES, displayName, FLAG_NAMES, GRADE_NAMES, REASON_NAMES, REVIEW_STATUS_NAMES, SHIFT_NAMES, type Names } from '../../../contract/displayNames.js';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ReportSummary } from '../../../contract/index.js';
import type { ItemReportRow } from '../../../db/repositories/reports.js';
import type { ColumnType, ItemColumn } from './columns.js';
import { summaryLabels, type Language } from './labels.js';
import { columnLetters, rowXml, type XmlCell } from '../../../domain/spreadsheet/sheetXml.js';
import { rawRows } from '../../../shared-node/xlsxRawRows.js';

export const YEN_FORMAT = '"¥"#,##0';
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
/** Every column names its format (text as "@"), so no cell's style depends on the value's type. */
const NUM_FORMATS: Record<ColumnType, string> = { text: '@', yen: YEN_FORMAT, datetime: DATETIME_FORMAT, int: '0', decimal: '0.0#' };

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
  const raw = rawRows(workbook, sheet);
  const styleIds = columns.map((c) => raw.styleFor(NUM_FORMATS[c.type]));
  const letters = columns.map((_, i) => columnLetters(i + 1));
  let count = 0;
  for (const item of rows) {
    const cells = columns.map((c, i): XmlCell => toXmlCell(c.value(item, opts.language), c.type, styleIds[i]!, opts.utcOffsetMinutes));
    const wait = raw.add(rowXml(count + 2, cells, letters));
    count++;
    if (wait) await wait;
  }
  raw.finish();
  await workbook.commit();
  return count;
}
