// Issue 15 (wt-15r): the site export, CSV (UTF-8 with BOM) or XLSX, streamed from a server-side cursor
// (pg-query-stream) straight into the HTTP response: never the whole result in memory, and a slow download
// holds the cursor back instead of piling rows up in the hub.
import { PassThrough, Readable } from 'node:stream';
import QueryStream from 'pg-query-stream';
import {
  CATEGORY_NAMES,
  CHANNEL_NAMES,
  DESTINATION_NAMES,
  DISPOSITION_NAMES,
  displayName,
  FLAG_NAMES,
  ITEM_KIND_NAMES,
  REASON_NAMES,
  REVIEW_STATUS_NAMES,
  RuleSetSource,
  SHIFT_NAMES,
  type DisplayLanguage,
  type Names,
  type ReportFilters,
} from '../contract/index.js';
import type { Pool, PoolClient } from './db.js';
import { CSV_BOM, CSV_ROW_END, csvText } from '../domain/spreadsheet/csvText.js';
import { Utf8Chunks } from '../domain/spreadsheet/utf8Chunks.js';
import { excelSerial } from '../domain/spreadsheet/sheetXml.js';
import { ruleSetLabel } from '../domain/rules/ruleSetLabel.js';
import { writeXlsxSheet, type SheetCell } from './siteXlsx.js';
import { factorSql, localMinuteSql, shiftSql, siteScope, type SiteReportSettings } from './siteReports.js';

/** One row as the cursor reads it: dates already in site time, figures already computed, in SQL. */
interface ExportRow {
  lpn: string;
  graded_local: string;
  received_local: string | null;
  cycle_sec: number | null;
  station_id: string;
  shift: string;
  operator_id: string;
  operator_name: string | null;
  rma_number: string | null;
  blind_return: number;
  kind: string;
  sku: string;
  category: string | null;
  reason: string | null;
  channel: string | null;
  grade: string;
  disposition: string;
  destination: string;
  rule_id: string;
  rule_set_version: number;
  /** Hub migration 0014; null for items graded before it, or by benches that do not say. */
  rule_set_source: string | null;
  rule_set_source_id: string | null;
  rule_set_sha256: string | null;
  serial: string | null;
  epc: string | null;
  flags: string;
  review_status: string;
  price_jpy: number;
  factor: number;
  recovery_jpy: number;
}

type Cell = string | number | null;
type ColumnType = 'text' | 'int' | 'yen' | 'decimal' | 'datetime';
interface Column {
  header: { ja: string; en: string };
  type: ColumnType;
  width: number;
  value(row: ExportRow, language: DisplayLanguage): Cell;
}

const named = (names: Names<string>, code: string | null, l: DisplayLanguage): string | null => (code === null ? null : displayName(names, code, l));
const flagNames = (codes: string, l: DisplayLanguage): string | null =>
  codes === '' ? null : codes.split(' ').map((c) => displayName(FLAG_NAMES, c, l)).join(l === 'ja' ? '、' : ', ');

/** "サイト v3" / "作業台 BENCH-01 v3" / "標準 v2" in the file's language; "v3" for an item whose rule set's source is not known. */
const ruleSetOf = (r: ExportRow, l: DisplayLanguage): string => {
  const source = RuleSetSource.safeParse(r.rule_set_source);
  return ruleSetLabel(r.rule_set_version, source.success ? { source: source.data, ...(r.rule_set_source_id !== null ? { sourceId: r.rule_set_source_id } : {}) } : null, l);
};

/** The bench's export columns (core/workflow/exports/columns.ts) with the site's: bench, shift, rule-set version, serial / EPC, channel. */
export const SITE_EXPORT_COLUMNS: readonly Column[] = [
  { header: { ja: 'LPN', en: 'LPN' }, type: 'text', width: 22, value: (r) => r.lpn },
  { header: { ja: '判定日時', en: 'Graded at' }, type: 'datetime', width: 20, value: (r) => r.graded_local },
  { header: { ja: '受付日時', en: 'Received at' }, type: 'datetime', width: 20, value: (r) => r.received_local },
  { header: { ja: '処理時間(秒)', en: 'Receipt to disposition (s)' }, type: 'decimal', width: 14, value: (r) => r.cycle_sec },
  { header: { ja: 'ステーション', en: 'Bench' }, type: 'text', width: 12, value: (r) => r.station_id },
  { header: { ja: 'シフト', en: 'Shift' }, type: 'text', width: 10, value: (r, l) => named(SHIFT_NAMES, r.shift, l) },
  { header: { ja: '作業者ID', en: 'Operator ID' }, type: 'text', width: 12, value: (r) => r.operator_id },
  { header: { ja: '作業者', en: 'Operator' }, type: 'text', width: 16, value: (r) => r.operator_name },
  { header: { ja: 'RMA番号', en: 'RMA' }, type: 'text', width: 16, value: (r) => r.rma_number },
  { header: { ja: 'RMAなし返品', en: 'Blind return' }, type: 'int', width: 10, value: (r) => r.blind_return },
  { header: { ja: '種別', en: 'Kind' }, type: 'text', width: 12, value: (r, l) => named(ITEM_KIND_NAMES, r.kind, l) },
  { header: { ja: 'SKU', en: 'SKU' }, type: 'text', width: 14, value: (r) => r.sku },
  { header: { ja: 'カテゴリ', en: 'Category' }, type: 'text', width: 12, value: (r, l) => named(CATEGORY_NAMES, r.category, l) },
  { header: { ja: '返品理由', en: 'Reason' }, type: 'text', width: 18, value: (r, l) => named(REASON_NAMES, r.reason, l) },
  { header: { ja: '返品経路', en: 'Channel' }, type: 'text', width: 14, value: (r, l) => named(CHANNEL_NAMES, r.channel, l) },
  { header: { ja: 'グレード', en: 'Grade' }, type: 'text', width: 8, value: (r) => r.grade },
  { header: { ja: '処分', en: 'Disposition' }, type: 'text', width: 14, value: (r, l) => named(DISPOSITION_NAMES, r.disposition, l) },
  { header: { ja: '行き先', en: 'Destination' }, type: 'text', width: 14, value: (r, l) => named(DESTINATION_NAMES, r.destination, l) },
  { header: { ja: 'ルール', en: 'Rule' }, type: 'text', width: 18, value: (r) => r.rule_id },
  { header: { ja: 'ルールセット', en: 'Rule set' }, type: 'text', width: 22, value: ruleSetOf },
  { header: { ja: 'ルールセット版', en: 'Rule set version' }, type: 'int', width: 10, value: (r) => r.rule_set_version },
  { header: { ja: 'シリアル番号', en: 'Serial' }, type: 'text', width: 16, value: (r) => r.serial },
  { header: { ja: 'EPC', en: 'EPC' }, type: 'text', width: 26, value: (r) => r.epc },
  { header: { ja: 'フラグ', en: 'Flags' }, type: 'text', width: 24, value: (r, l) => flagNames(r.flags, l) },
  { header: { ja: 'レビュー', en: 'Review' }, type: 'text', width: 14, value: (r, l) => named(REVIEW_STATUS_NAMES, r.review_status, l) },
  { header: { ja: '価格(円)', en: 'Price (JPY)' }, type: 'yen', width: 12, value: (r) => r.price_jpy },
  { header: { ja: '回収率', en: 'Recovery factor' }, type: 'decimal', width: 10, value: (r) => r.factor },
  { header: { ja: '回収額(円)', en: 'Recovery (JPY)' }, type: 'yen', width: 14, value: (r) => r.recovery_jpy },
  // Codes, for lookups and pivots that must not depend on the file's language.
  { header: { ja: '処分コード', en: 'Disposition code' }, type: 'text', width: 12, value: (r) => r.disposition },
  { header: { ja: '返品理由コード', en: 'Reason code' }, type: 'text', width: 14, value: (r) => r.reason },
  { header: { ja: 'フラグコード', en: 'Flag codes' }, type: 'text', width: 24, value: (r) => (r.flags === '' ? null : r.flags) },
  { header: { ja: 'レビューコード', en: 'Review code' }, type: 'text', width: 12, value: (r) => r.review_status },
  // The rule set as codes, as the bench's export has them (core/workflow/exports/columns.ts).
  { header: { ja: 'ルールセット区分コード', en: 'Rule set source code' }, type: 'text', width: 12, value: (r) => r.rule_set_source },
  { header: { ja: 'ルールセットの作業台・サイトID', en: 'Rule set bench or site ID' }, type: 'text', width: 14, value: (r) => r.rule_set_source_id },
  { header: { ja: 'ルールセットSHA-256', en: 'Rule set SHA-256' }, type: 'text', width: 66, value: (r) => r.rule_set_sha256 },
];

/** Bytes gathered per write into the response. */
const CHUNK_BYTES = 256 * 1024;

/** The cursor's query: every figure a row needs, computed by PostgreSQL, in graded order. */
function exportQuery(siteId: string, filters: ReportFilters, settings: SiteReportSettings): { sql: string; params: unknown[] } {
  const s = siteScope(siteId, filters, settings.clock);
  const off = `interval '${Math.trunc(settings.clock.utcOffsetMinutes)} minutes'`;
  const local = (col: string): string => `to_char((${col} AT TIME ZONE 'UTC') + ${off}, 'YYYY-MM-DD HH24:MI:SS')`;
  // The local minute and the recovery factor are each used more than once a row: computed once, in a subquery
  // that OFFSET 0 keeps from being folded back into every place that names it (which would compute them again).
  return {
    sql: `SELECT i.lpn, ${local('i.graded_at')} AS graded_local, ${local('i.received_at')} AS received_local,
                 round(extract(epoch FROM i.graded_at - i.received_at), 1)::float8 AS cycle_sec, i.station_id, ${shiftSql(settings.clock, 'x.minute')} AS shift,
                 i.operator_id, o.name AS operator_name, i.rma_number, i.blind_return::int AS blind_return, i.kind, i.sku, i.category, i.reason, i.channel,
                 i.grade, i.disposition, i.destination, i.rule_id, i.rule_set_version, i.rule_set_source, i.rule_set_source_id, i.rule_set_sha256, i.serial, i.epc,
                 CASE WHEN i.flags = '[]'::jsonb THEN '' ELSE COALESCE((SELECT string_agg(f, ' ') FROM jsonb_array_elements_text(i.flags) f), '') END AS flags,
                 i.review_status, COALESCE(i.price_jpy, 0)::float8 AS price_jpy, x.factor::float8 AS factor, round(COALESCE(i.price_jpy, 0) * x.factor)::float8 AS recovery_jpy
          FROM site_items i LEFT JOIN operators o ON o.site_id = i.site_id AND o.id = i.operator_id
               CROSS JOIN LATERAL (SELECT ${localMinuteSql(settings.clock.utcOffsetMinutes)} AS minute, ${factorSql(settings.factors)} AS factor OFFSET 0) x
          WHERE ${s.where} ORDER BY i.graded_at, i.item_id`,
    params: s.params,
  };
}

/**
 * Checks the filters (a too-long range throws a SiteError before anything is sent) and opens the cursor on
 * a client of its own, released when the stream ends, fails or the download is abandoned.
 */
async function openCursor(
  pool: Pool,
  siteId: string,
  filters: ReportFilters,
  settings: SiteReportSettings,
  batchSize: number,
): Promise<{ rows: AsyncIterable<ExportRow>; release: () => void }> {
  const { sql, params } = exportQuery(siteId, filters, settings);
  const client: PoolClient = await pool.connect();
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    client.release();
  };
  const stream = client.query(new QueryStream(sql, params, { batchSize, highWaterMark: batchSize }));
  stream.once('close', release);
  stream.once('error', release);
  return { rows: stream as AsyncIterable<ExportRow>, release };
}

export interface SiteExportStream {
  body: Readable;
  contentType: string;
  fileName: string;
}

/**
 * Rows fetched per round trip. Fewer round trips make the CSV faster (each one waits for PostgreSQL and then for
 * the hub in turn). The XLSX makes about three times the garbage per row, so rows waiting in a large batch
 * outlive the young generation and fill the old one: at 2,000 the hub's RSS rose by 220 MB during a 500k-row
 * XLSX, at 500 by 25 MB; the CSV's by 260 MB at 2,000 over 5M rows, by about 10 MB at 1,000 over 500k.
 */
const BATCH_ROWS = { csv: 1000, xlsx: 500 } as const;

const TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

export async function siteExport(
  pool: Pool,
  siteId: string,
  input: { format: 'csv' | 'xlsx'; filters: ReportFilters; language: DisplayLanguage },
  settings: SiteReportSettings,
  now = new Date(),
): Promise<SiteExportStream> {
  const { rows, release } = await openCursor(pool, siteId, input.filters, settings, BATCH_ROWS[input.format]);
  const tz = settings.clock.timeZone;
  const stamp = new Date(now.getTime() + settings.clock.utcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const fileName = `site-${siteId}-${stamp}.${input.format}`;
  const headers = SITE_EXPORT_COLUMNS.map((c) => (c.type === 'datetime' ? `${c.header[input.language]} (${tz})` : c.header[input.language]));
  if (input.format === 'csv') {
    async function* csv(): AsyncGenerator<Buffer> {
      try {
        const chunks = new Utf8Chunks(CHUNK_BYTES);
        chunks.add(CSV_BOM + headers.map(csvText).join(',') + CSV_ROW_END);
        for await (const row of rows) {
          const full = chunks.add(
            SITE_EXPORT_COLUMNS.map((c) => {
              const v = c.value(row, input.language);
              return v === null ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : c.type === 'datetime' ? v : csvText(v);
            }).join(',') + CSV_ROW_END,
          );
          if (full) yield Buffer.from(full.buffer, full.byteOffset, full.byteLength);
        }
        const last = chunks.take();
        if (last) yield Buffer.from(last.buffer, last.byteOffset, last.byteLength);
      } finally {
        release();
      }
    }
    return { body: Readable.from(csv(), { objectMode: false }), contentType: TYPES.csv, fileName };
  }
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  const columns = SITE_EXPORT_COLUMNS.map((c, n) => ({ header: headers[n] ?? '', width: c.width, numFmt: NUM_FORMATS[c.type] }));
  void writeXlsxSheet(out, input.language === 'ja' ? '明細' : 'Items', columns, sheetRows(rows, input.language)).then(
    () => release(),
    (err: unknown) => {
      release();
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    },
  );
  return { body: out, contentType: TYPES.xlsx, fileName };
}

const NUM_FORMATS: Record<ColumnType, string> = { text: '@', int: '0', yen: '"¥"#,##0', decimal: '0.0##', datetime: 'yyyy-mm-dd hh:mm:ss' };

/**
 * A site-local date-time as the cursor reads it ("2026-04-01 09:00:00") as an Excel date cell (its serial day
 * number, read as wall-clock time), as the bench's XLSX writes them, so Excel sorts, filters and groups by date.
 */
export function localDateTimeSerial(local: string): number | string {
  const ms = Date.parse(`${local.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? local : excelSerial(new Date(ms));
}

/** The rows as sheet cells; site-local date-times as date cells (text in the CSV). */
async function* sheetRows(rows: AsyncIterable<ExportRow>, language: DisplayLanguage): AsyncGenerator<SheetCell[]> {
  for await (const row of rows) {
    const cells: SheetCell[] = new Array<SheetCell>(SITE_EXPORT_COLUMNS.length);
    for (let i = 0; i < SITE_EXPORT_COLUMNS.length; i++) {
      const column = SITE_EXPORT_COLUMNS[i]!;
      const v = column.value(row, language);
      cells[i] = typeof v === 'number' && !Number.isFinite(v) ? null : column.type === 'datetime' && typeof v === 'string' ? localDateTimeSerial(v) : v;
    }
    yield cells;
  }
}
