// Issue 7's supervisor path: export CSV and XLSX and check them, then every screen in both languages.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { openDatabase } from '../../db/connection.js';
import { seedReportItems } from '../../fixtures/report-data/seedItems.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screensFor } from '../../renderer/src/navigation/screens.js';
import { en } from '../../renderer/src/i18n/en.js';
import { ja } from '../../renderer/src/i18n/ja.js';
import { closeParcel, openScreen, reportSinceYesterday, signIn, startBench, wedgeScan, type Bench } from './harness.js';

let bench: Bench;
let page: Page;
let exportDir = '';

beforeAll(async () => {
  bench = await startBench();
  exportDir = mkdtempSync(join(tmpdir(), 'rs-export-'));
  page = await bench.newPage({ width: 1400, height: 900 });
}, 120_000);

afterAll(async () => {
  await bench?.close();
  if (exportDir) rmSync(exportDir, { recursive: true, force: true });
});

function texts(tree: object): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : texts(v as object)));
}

/** Pieces of a language's texts long enough to be telling, with {{placeholders}} cut out. */
function fragments(tree: object, other: object): string[] {
  const otherTexts = new Set(texts(other));
  const out = new Set<string>();
  for (const s of texts(tree)) {
    if (otherTexts.has(s)) continue; // the same in both languages (SKU, JSON, LPN…)
    for (const f of s.split(/\{\{\s*\w+\s*\}\}/)) {
      const piece = f.trim();
      if (piece.length >= 6) out.add(piece);
    }
  }
  return [...out];
}
const jaOnly = fragments(ja, en).filter((f) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(f));
const enOnly = fragments(en, ja).filter((f) => /[a-z]{3}/.test(f));

/** Every text node, option label, placeholder, title and aria-label on the page. */
async function visibleTexts(p: Page): Promise<string[]> {
  return p.evaluate(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const s = (n.textContent || '').trim();
      if (s) out.push(s);
    }
    for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],[alt]')) {
      for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.push(v.trim());
      }
    }
    return out;
  })()`) as Promise<string[]>;
}

describe('supervisor', () => {
  it('grades two items so the period has something to report', async () => {
    const op = bench.sample.operators.supervisor;
    await signIn(page, op.badge, op.pin);
    for (const rma of bench.data.rmas.filter((r) => r.status === 'open').slice(0, 2)) {
      const line = rma.lines[0];
      const product = bench.data.products.find((p) => p.sku === line?.sku);
      if (!product) throw new Error('no product');
      await wedgeScan(page, rma.trackingNumber);
      await page.getByTestId('parcel-header').waitFor();
      await wedgeScan(page, product.gtin.slice(1));
      await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
      await page.keyboard.press('1');
      await page.getByTestId('result-panel').waitFor();
      await closeParcel(page, { confirm: rma.lines.reduce((n, l) => n + l.qty, 0) > 1 });
    }
  });

  it('exports CSV and XLSX into the chosen folder, with the rows and totals the report shows', async () => {
    await openScreen(page, 'reports');
    await page.getByTestId('export-folder-input').fill(exportDir);
    await page.getByTestId('export-folder-set').click();
    // The folder shows once the station has stored it: wait for it rather than read at once.
    await page.getByTestId('export-folder').filter({ hasText: exportDir }).waitFor();
    await reportSinceYesterday(page);
    await page.locator('[data-testid="report-items"] .kpi-value', { hasText: '2' }).waitFor();
    const recoveryText = (await page.locator('[data-testid="report-recovery"] .kpi-value').textContent()) ?? '';
    const recovery = Number(recoveryText.replace(/[^\d]/g, ''));

    await page.getByTestId('export-filename').fill('e2e-report');
    await page.getByTestId('export-csv').click();
    const csvResult = page.locator('[data-testid="export-result"][data-path$=".csv"]');
    // Each export starts a worker thread that, from TypeScript sources, compiles its modules through tsx first:
    // seconds when quiet, over 30 s at a load of 15.
    await csvResult.waitFor({ timeout: 90_000 });
    const csvPath = (await csvResult.getAttribute('data-path')) ?? '';
    expect(csvPath.startsWith(exportDir)).toBe(true);
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM, so Excel in Japanese reads UTF-8
    const lines = csv.slice(1).trim().split(/\r\n/);
    const header = (lines[0] ?? '').split(',');
    expect(lines.length - 1).toBe(2);
    const col = header.findIndex((h) => h.startsWith('回収額'));
    expect(col).toBeGreaterThanOrEqual(0);
    const csvRecovery = lines.slice(1).reduce((sum, l) => sum + Number(l.split(',')[col]), 0);
    expect(csvRecovery).toBe(recovery);

    await page.getByTestId('export-xlsx').click();
    const xlsxResult = page.locator('[data-testid="export-result"][data-path$=".xlsx"]');
    await xlsxResult.waitFor({ timeout: 90_000 });
    const xlsxPath = (await xlsxResult.getAttribute('data-path')) ?? '';
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const items = wb.getWorksheet('明細');
    if (!items) throw new Error('no items sheet');
    const headerRow = items.getRow(1).values as unknown[];
    const xCol = headerRow.findIndex((h) => typeof h === 'string' && h.startsWith('回収額'));
    let rows = 0;
    let xlsxRecovery = 0;
    items.eachRow((row, n) => {
      if (n === 1) return;
      rows++;
      xlsxRecovery += Number(row.getCell(xCol).value);
    });
    expect(rows).toBe(2);
    expect(xlsxRecovery).toBe(recovery);
    expect(wb.getWorksheet('サマリー')).toBeDefined();
  }, 240_000);

  it('the dashboard follows work done at another bench without a reload', async () => {
    await openScreen(page, 'dashboard');
    await page.getByTestId('chart-hourly').locator('svg').waitFor();
    const items = page.locator('[data-testid="kpi-items"] .kpi-value');
    const before = Number((await items.textContent())?.replace(/[^\d]/g, ''));
    const other = await bench.newPage();
    try {
      await signIn(other, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
      const rma = bench.data.rmas.filter((r) => r.status === 'open')[2];
      const product = bench.data.products.find((p) => p.sku === rma?.lines[0]?.sku);
      if (!rma || !product) throw new Error('no third RMA');
      await wedgeScan(other, rma.trackingNumber);
      await other.getByTestId('parcel-header').waitFor();
      await wedgeScan(other, product.gtin.slice(1));
      await other.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
      await other.keyboard.press('1');
      await other.getByTestId('result-panel').waitFor();
    } finally {
      await other.context().close();
    }
    // dashboard.changed, not the one-minute poll, brings it: well inside 15 s.
    await page.locator('[data-testid="kpi-items"] .kpi-value', { hasText: String(before + 1) }).waitFor({ timeout: 15_000 });
  });

  it('every screen speaks one language at a time, with no untranslated key', async () => {
    const problems: string[] = [];
    for (const screen of screensFor('supervisor')) {
      await openScreen(page, screen);
      for (const lang of ['en', 'ja'] as const) {
        await page.getByTestId(`lang-${lang}`).click();
        await page.locator(`[data-testid="app"][data-language="${lang}"]`).waitFor();
        // Let queries answer, so their texts are on screen too.
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await page.waitForTimeout(300);
        const seen = await visibleTexts(page);
        for (const s of seen) if (/^[a-z]+\.[a-zA-Z.]+$/.test(s)) problems.push(`${screen}/${lang}: raw key ${s}`);
        const body = seen.join('\n');
        for (const f of lang === 'en' ? jaOnly : enOnly) if (body.includes(f)) problems.push(`${screen}/${lang}: other language "${f}"`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('a large export shows its progress bar, and cancel stops it without leaving a file', async () => {
    // Enough rows that the XLSX export is still writing when the bar is looked at.
    const db = openDatabase(join(bench.dataDir, 'station.sqlite'));
    try {
      const ops = Object.values(bench.sample.operators).map((o) => o.id);
      seedReportItems(db, { items: 100_000, start: '2026-10-01T00:00:00.000Z', hours: 72, operatorIds: ops });
    } finally {
      db.close();
    }
    await openScreen(page, 'reports');
    await page.getByTestId('lang-ja').click();
    // The whole history, not just today.
    await page.getByTestId('filter-from').fill('');
    await page.getByTestId('filter-to').fill('');
    await page.getByTestId('reports-apply').click();
    await page.getByTestId('export-filename').fill('e2e-cancelled');
    await page.getByTestId('export-xlsx').click();
    const bar = page.getByTestId('export-progress');
    await bar.waitFor();
    // Rows are being written and the bar says how many of how many. From TypeScript sources the worker thread
    // compiles its module graph through tsx before the first row, which took over 30 s at a load of 15.
    await page.locator('[data-testid="export-progress"]:not([data-rows="0"])').waitFor({ timeout: 90_000 });
    const total = Number(await bar.getAttribute('data-total'));
    expect(total).toBeGreaterThanOrEqual(100_000);
    await expect(bar.textContent()).resolves.toContain('書き出し中');
    await page.getByTestId('export-cancel').click();
    await page.getByText(ja.error.exportCancelled).waitFor({ timeout: 10_000 });
    await bar.waitFor({ state: 'detached' });
    expect(readdirSync(exportDir).filter((f) => f.startsWith('e2e-cancelled') || f.endsWith('.partial'))).toEqual([]);
  }, 180_000);

  it('at 03:00 in Tokyo the report opens on the night shift’s day, not on the calendar date', async () => {
    const night = await bench.newPage({ width: 1400, height: 900, language: 'en' });
    // 18:00 UTC on 2 Nov is 03:00 JST on 3 Nov; the site's day starts at 06:00, so it is still 2 Nov's day.
    await night.clock.setFixedTime(new Date('2026-11-02T18:00:00Z'));
    const op = bench.sample.operators.supervisor;
    await signIn(night, op.badge, op.pin);
    await openScreen(night, 'reports');
    await expect.poll(async () => night.getByTestId('filter-from').inputValue()).toBe('2026-11-02');
    expect(await night.getByTestId('filter-to').inputValue()).toBe('2026-11-02');
    expect(await night.getByTestId('export-filename').inputValue()).toBe('returns-2026-11-02');
    await night.context().close();
  });
});
