import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult, ReportsConfig, ReportSummary } from '../../contract/index.js';
import { openDatabase } from '../../db/connection.js';
import { seedReportItems } from '../../fixtures/report-data/seedItems.js';
import { startStation, type Station } from '../../app/station.js';

const OPERATORS = [
  { id: 'OP-1', badge: 'OP-1', name: '佐藤 花子', role: 'staff' as const, pin: '1111' },
  { id: 'OP-2', badge: 'OP-2', name: '田中 一郎', role: 'lead' as const, pin: '2222' },
  { id: 'OP-3', badge: 'OP-3', name: '鈴木 三郎', role: 'supervisor' as const, pin: '3333' },
];
const ITEMS = 3000;

let dir: string;
let exportDir: string;
let station: Station;

async function ok<T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function signIn(session: string, badge: string, pin: string): Promise<void> {
  await ok(station.handle(session, 'session.signIn', { badge, pin }));
}

const FRESH_RMA = 'RMA-80000001';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-reports-'));
  exportDir = join(dir, 'exports');
  mkdirSync(exportDir);
  const dataDir = join(dir, 'data');
  station = await startStation({ dataDir, stationId: 'BENCH-01', exportsRoots: [dir] }, { operators: OPERATORS, log: () => undefined });
  // Seed through a second connection to the same file, as another process would.
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  seedReportItems(db, { items: ITEMS, start: '2026-11-01T21:00:00.000Z', hours: 72, operatorIds: ['OP-1', 'OP-2'], stationIds: ['BENCH-01', 'BENCH-02'] });
  // Every seeded return is already received; one more that is not, for a live grade.
  db.prepare(
    `INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at)
     VALUES (?, 'ORD-800000001', '山田 花子', 'ヤマダ ハナコ', '09000000001', 'yamato', '800000000011', 'open', ?, ?)`,
  ).run(FRESH_RMA, '2026-11-01T21:00:00.000Z', '2026-11-01T21:00:00.000Z');
  db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES ('FRESH-L1', ?, 1, 'RPT-0', 1, 'changed_mind', '')").run(FRESH_RMA);
  db.close();
  await signIn('staff', 'OP-1', '1111');
  await signIn('lead', 'OP-2', '2222');
  await signIn('sup', 'OP-3', '3333');
});

afterAll(async () => {
  await station?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reports on a real station database', () => {
  it('refuses staff everything, lets leads read, keeps exports and the folder to supervisors', async () => {
    for (const call of ['reports.summary', 'reports.config', 'dashboard.shift', 'reports.export', 'reports.setExportFolder']) {
      const input = call === 'reports.export' ? { format: 'csv', fileName: 'x' } : call === 'reports.setExportFolder' ? { folder: exportDir } : {};
      expect(await station.handle('staff', call, input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await station.handle('nobody', call, input)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    expect(await station.handle('lead', 'reports.summary', {})).toMatchObject({ ok: true });
    expect(await station.handle('lead', 'dashboard.shift', {})).toMatchObject({ ok: true });
    expect(await station.handle('lead', 'reports.export', { format: 'csv', fileName: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await station.handle('lead', 'reports.setExportFolder', { folder: exportDir })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(readdirSync(exportDir)).toEqual([]);
  });

  it('refuses an export before a folder is chosen', async () => {
    expect(await station.handle('sup', 'reports.export', { format: 'csv', fileName: 'early' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', messageKey: 'error.exportFolderNotSet' },
    });
  });

  it('exports CSV and XLSX whose rows and totals match reports.summary', async () => {
    const config = await ok<ReportsConfig>(station.handle('sup', 'reports.setExportFolder', { folder: exportDir }));
    expect(config.exportFolder).toBe(exportDir);
    const filters = { from: '2026-11-02', to: '2026-11-03', stationId: 'BENCH-01' };
    const summary = await ok<ReportSummary>(station.handle('sup', 'reports.summary', filters));
    expect(summary.totals.items).toBeGreaterThan(300);
    expect(summary.totals.items).toBeLessThan(ITEMS);

    const csv = await ok<ExportResult>(station.handle('sup', 'reports.export', { format: 'csv', filters, fileName: '返品 11月.csv' }));
    expect(csv.fileName).toBe('返品 11月.csv');
    expect(csv.path).toBe(join(exportDir, '返品 11月.csv'));
    expect(csv.rows).toBe(summary.totals.items);
    const bytes = readFileSync(csv.path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n').length).toBeGreaterThan(summary.totals.items);
    const records = parse(text, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(records).toHaveLength(summary.totals.items);
    const csvRecovery = records.reduce((s, r) => s + Number(r['回収額(円)']), 0);
    expect(csvRecovery).toBe(summary.totals.recoveryJpy);
    const csvByDisposition = new Map<string, number>();
    for (const r of records) csvByDisposition.set(r['処分コード']!, (csvByDisposition.get(r['処分コード']!) ?? 0) + 1);
    for (const d of summary.dispositions) expect(csvByDisposition.get(d.disposition)).toBe(d.items);
    expect(new Set(records.map((r) => r['ステーション']))).toEqual(new Set(['BENCH-01']));
    // Formula-looking product names come out as text, and embedded newlines/quotes survive.
    expect(records.some((r) => r['商品名'] === `'=HYPERLINK("http://x")`)).toBe(true);
    expect(records.some((r) => r['商品名'] === 'ノートPC\n15インチ')).toBe(true);
    // Site time: every graded-at lies inside the operational days 11-02 06:00 .. 11-04 06:00 JST.
    for (const r of records) {
      const at = r['判定日時 (JST)']!;
      expect(at >= '2026-11-02 06:00:00' && at < '2026-11-04 06:00:00').toBe(true);
    }

    const xlsx = await ok<ExportResult>(station.handle('sup', 'reports.export', { format: 'xlsx', filters, fileName: '返品 11月', language: 'en' }));
    expect(xlsx.fileName).toBe('返品 11月.xlsx');
    expect(xlsx.rows).toBe(summary.totals.items);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Items']);
    const items = wb.getWorksheet('Items')!;
    expect(items.actualRowCount).toBe(summary.totals.items + 1);
    const header = (items.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    const col = (name: string): number => header.indexOf(name) + 1;
    expect(col('Recovery (JPY)')).toBeGreaterThan(0);
    let xlsxRecovery = 0;
    items.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.getCell(col('Recovery (JPY)')).value;
      expect(typeof v).toBe('number');
      xlsxRecovery += v as number;
    });
    expect(xlsxRecovery).toBe(summary.totals.recoveryJpy);
    const firstRow = items.getRow(2);
    expect(firstRow.getCell(col('Graded at (JST)')).value).toBeInstanceOf(Date);
    expect(firstRow.getCell(col('Recovery (JPY)')).numFmt).toBe('"¥"#,##0');
    expect(items.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(items.getColumn(col('Product')).width).toBe(30);
    // The same graded-at in both files: the XLSX date cell shows JST wall-clock time.
    const csvFirst = records[0]!['判定日時 (JST)']!;
    const xlsxFirst = (firstRow.getCell(col('Graded at (JST)')).value as Date).toISOString().slice(0, 19).replace('T', ' ');
    expect(xlsxFirst).toBe(csvFirst);

    const sheet = wb.getWorksheet('Summary')!;
    const totalsRow = sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(1).value === 'All')!;
    expect(totalsRow.getCell(2).value).toBe(summary.totals.items);
    expect(totalsRow.getCell(4).value).toBe(summary.totals.recoveryJpy);

    // Exporting under a taken name never overwrites: the second file gets " (2)".
    const again = await ok<ExportResult>(station.handle('sup', 'reports.export', { format: 'csv', filters, fileName: '返品 11月' }));
    expect(again.fileName).toBe('返品 11月 (2).csv');
    expect(readdirSync(exportDir).sort()).toEqual(['返品 11月 (2).csv', '返品 11月.csv', '返品 11月.xlsx']);
  });

  it('writes display names in the chosen language, codes in their own columns (CSV ja, XLSX en and ja)', async () => {
    await ok(station.handle('sup', 'reports.setExportFolder', { folder: exportDir }));
    const filters = { from: '2026-11-02', to: '2026-11-02', shift: 'early' };
    const csv = await ok<ExportResult>(station.handle('sup', 'reports.export', { format: 'csv', filters, fileName: 'names-ja', language: 'ja' }));
    const records = parse(readFileSync(csv.path, 'utf8'), { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(records.length).toBeGreaterThan(10);
    const values = (column: string) => new Set(records.map((r) => r[column]));
    const ascii = /^[\x20-\x7e]+$/;
    for (const column of ['カテゴリ', '処分', 'レビュー', '種別']) {
      expect([...values(column)].filter((v) => v && ascii.test(v)), column).toEqual([]);
    }
    expect([...values('返品理由')].filter((v) => v && ascii.test(v))).toEqual([]);
    expect(values('カテゴリ')).toContain('家電');
    expect(values('カテゴリコード')).toContain('electronics');
    expect([...values('カテゴリコード')].every((v) => !v || ascii.test(v))).toBe(true);
    const flagged = records.find((r) => r['フラグコード']);
    if (flagged) expect(flagged['フラグ']).not.toMatch(/[a-z]_[a-z]/);
    for (const r of records) expect(r['処分']).toBe({ restock: '再入庫', resale: '再販売', repair: '修理', disposal: '廃棄', quarantine: '保留（要確認）' }[r['処分コード']!]);

    for (const language of ['en', 'ja'] as const) {
      const xlsx = await ok<ExportResult>(station.handle('sup', 'reports.export', { format: 'xlsx', filters, fileName: `names-${language}`, language }));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(xlsx.path);
      const items = wb.worksheets[1]!;
      const header = (items.getRow(1).values as ExcelJS.CellValue[]).slice(1);
      const cell = (row: number, name: string) => items.getRow(row).getCell(header.indexOf(name) + 1).value;
      const category = language === 'en' ? 'Category' : 'カテゴリ';
      const code = language === 'en' ? 'Category code' : 'カテゴリコード';
      const names: Record<string, string> =
        language === 'en'
          ? { apparel: 'Apparel', shoes: 'Shoes', cosmetics: 'Cosmetics', electronics: 'Electronics' }
          : { apparel: '衣料品', shoes: '靴', cosmetics: '化粧品', electronics: '家電' };
      for (let row = 2; row <= Math.min(items.actualRowCount, 50); row++) {
        const c = cell(row, code);
        if (typeof c === 'string') expect(cell(row, category)).toBe(names[c]);
      }
      // The summary names the shift filter and the dispositions too.
      const summary = wb.worksheets[0]!;
      const text = summary.getRows(1, summary.rowCount)!.flatMap((r) => (r.values as ExcelJS.CellValue[]).slice(1).map(String)).join('\n');
      expect(text).toContain(language === 'en' ? 'shift=Early' : 'シフト=早番');
      expect(text).not.toMatch(/\b(restock|resale|quarantine|return_window_exceeded|approved)\b/);
    }
  });

  it('filters by shift, operator, flag and category consistently with the whole', async () => {
    const all = await ok<ReportSummary>(station.handle('lead', 'reports.summary', {}));
    expect(all.totals.items).toBe(ITEMS);
    let byShift = 0;
    for (const shift of ['early', 'late', 'night']) {
      byShift += (await ok<ReportSummary>(station.handle('lead', 'reports.summary', { shift }))).totals.items;
    }
    expect(byShift).toBe(ITEMS);
    const ops = all.throughput.operators;
    expect(ops.map((o) => o.operatorId).sort()).toEqual(['OP-1', 'OP-2']);
    expect(ops.reduce((n, o) => n + o.items, 0)).toBe(ITEMS);
    const op1 = await ok<ReportSummary>(station.handle('lead', 'reports.summary', { operatorId: 'OP-1' }));
    expect(op1.totals.items).toBe(ops.find((o) => o.operatorId === 'OP-1')!.items);
    expect(all.flags.length).toBeGreaterThan(0);
    const flag = all.flags[0]!;
    const flagged = await ok<ReportSummary>(station.handle('lead', 'reports.summary', { flag: flag.flag }));
    expect(flagged.totals.items).toBe(flag.items);
    expect(flag.outcomes.reduce((n, o) => n + o.items, 0)).toBe(flag.items);
    const blindItems = all.reasons.find((r) => r.reason === 'none')?.items ?? 0;
    expect(all.blindReturns.items).toBe(blindItems);
    expect(all.cycleTime.items).toBe(ITEMS);
    expect(all.cycleTime.medianSec!).toBeGreaterThanOrEqual(30);
    expect(all.cycleTime.p90Sec!).toBeGreaterThanOrEqual(all.cycleTime.medianSec!);
    expect(all.cycleTime.p90Sec!).toBeLessThanOrEqual(3600);
    const shoes = await ok<ReportSummary>(station.handle('lead', 'reports.summary', { category: 'shoes' }));
    expect(shoes.totals.items).toBeGreaterThan(0);
    expect(shoes.totals.items).toBeLessThan(ITEMS);
    expect(await station.handle('lead', 'reports.summary', { shift: 'lunch' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.unknownShift' } });
    expect(await station.handle('lead', 'reports.summary', { from: '2026-11-05', to: '2026-11-01' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('never writes outside the chosen folder, whatever the file name', async () => {
    const outside = readdirSync(dir).sort();
    const attempts = ['../escape', '..\\escape', '/etc/passwd', 'sub/file', 'a/../../b', '..', '.hidden', 'CON', 'name\u0000.csv', ' ', 'x'.repeat(200)];
    for (const fileName of attempts) {
      const r = await station.handle('sup', 'reports.export', { format: 'csv', fileName });
      expect(r, fileName).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(readdirSync(dir).sort()).toEqual(outside);
    expect(existsSync(join(dir, 'escape.csv'))).toBe(false);
    expect(readdirSync(exportDir).some((f) => f.includes('escape'))).toBe(false);
  });

  it('pushes dashboard.changed when an item is graded, and the dashboard counts it', async () => {
    const seen: { at: string }[] = [];
    const unsubscribe = station.subscribe((event, payload) => {
      if (event === 'dashboard.changed') seen.push(payload as { at: string });
    });
    const before = await ok<{ totals: { items: number } }>(station.handle('lead', 'dashboard.shift', {}));
    const parcel = await ok<{ parcelId: string; lines: { lineId: string; gtin: string }[] }>(station.handle('staff', 'parcel.open', { code: FRESH_RMA }));
    const line = parcel.lines[0]!;
    await ok(station.handle('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: line.gtin }));
    const countBeforeGrade = seen.length;
    await ok(station.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: line.lineId, grade: 'A' }));
    // The feed coalesces bursts; the grading's event arrives at once or within its interval.
    for (let i = 0; i < 50 && seen.length === countBeforeGrade; i++) await new Promise((r) => setTimeout(r, 50));
    unsubscribe();
    expect(seen.length).toBeGreaterThan(countBeforeGrade);
    expect(Number.isNaN(Date.parse(seen.at(-1)!.at))).toBe(false);
    const after = await ok<{ totals: { items: number } }>(station.handle('lead', 'dashboard.shift', {}));
    expect(after.totals.items).toBe(before.totals.items + 1);
  });

  it('refuses an export folder that was swapped for a symlink after it was chosen', async () => {
    const chosen = join(dir, 'chosen');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(chosen);
    mkdirSync(elsewhere);
    await ok(station.handle('sup', 'reports.setExportFolder', { folder: chosen }));
    rmSync(chosen, { recursive: true });
    symlinkSync(elsewhere, chosen);
    expect(await station.handle('sup', 'reports.export', { format: 'csv', fileName: 'r' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', messageKey: 'error.exportFolderMoved' },
    });
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(await station.handle('sup', 'reports.setExportFolder', { folder: 'relative/path' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await station.handle('sup', 'reports.setExportFolder', { folder: join(dir, 'missing') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await ok(station.handle('sup', 'reports.setExportFolder', { folder: exportDir }));
  });

  it('offers only folders under the home folder or a configured exports root: never /etc', async () => {
    const notAllowed = { ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.exportFolderNotAllowed' } };
    expect(await station.handle('sup', 'reports.setExportFolder', { folder: '/etc' })).toMatchObject(notAllowed);
    const outside = mkdtempSync(join(tmpdir(), 'rs-outside-'));
    try {
      expect(await station.handle('sup', 'reports.setExportFolder', { folder: outside })).toMatchObject(notAllowed);
      // A link inside the allowed root that leads out of it is judged by where it leads.
      const link = join(dir, 'to-etc');
      symlinkSync('/etc', link);
      expect(await station.handle('sup', 'reports.setExportFolder', { folder: link })).toMatchObject(notAllowed);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    expect((await ok<ReportsConfig>(station.handle('sup', 'reports.setExportFolder', { folder: exportDir }))).exportFolder).toBe(realpathSync(exportDir));
  });
});
