// Issue 15 (wt-15r): the site export's XLSX, streamed. exceljs 4.4's streaming writer makes the package
// (styles, frozen header, filter); the rows go in as SpreadsheetML through shared-node/xlsxRawRows.ts, as the
// bench's writer's do (core/workflow/exports/xlsxWriter.ts).
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnLetters, valuesRowXml, type XmlColumn } from '../domain/spreadsheet/sheetXml.js';
import { rawRows } from '../shared-node/xlsxRawRows.js';

/** Text, a number, or an empty cell. */
export type SheetCell = string | number | null;
export interface SheetColumn {
  header: string;
  width: number;
  /** Excel number format ("@" for text). */
  numFmt: string;
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
  const raw = rawRows(workbook, sheet);
  const xmlColumns: XmlColumn[] = columns.map((c, i) => ({ letter: columnLetters(i + 1), style: raw.styleFor(c.numFmt) }));
  let count = 0;
  for await (const cells of rows) {
    const wait = raw.add(valuesRowXml(count + 2, cells, xmlColumns));
    count++;
    if (wait) await wait;
  }
  raw.finish();
  await workbook.commit();
  return count;
}
