// The supervisor's Reports screen at its edges: the period typed but not yet shown, an export that runs on while
// the supervisor looks at another screen (and is cancelled from there on return, with the language switched
// meanwhile), and figures too long for their cards and columns.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.js';
import { seedReportItems } from '../../fixtures/report-data/seedItems.js';
import { en } from '../../renderer/src/i18n/en.js';
import { ja } from '../../renderer/src/i18n/ja.js';
import { siteToday } from '../../renderer/src/ui/format.js';
import { closeParcel, eventually, openScreen, signIn, startBench, wedgeScan, type Bench } from './harness.js';

let bench: Bench;
let page: Page;
let exportDir = '';

beforeAll(async () => {
  bench = await startBench();
  exportDir = mkdtempSync(join(tmpdir(), 'rs-export-edges-'));
  page = await bench.newPage({ width: 1400, height: 900, language: 'en' });
  const op = bench.sample.operators.supervisor;
  await signIn(page, op.badge, op.pin);
}, 120_000);

afterAll(async () => {
  await bench?.close();
  if (exportDir) rmSync(exportDir, { recursive: true, force: true });
});

async function exportAndWait(format: 'csv' | 'xlsx', fileName: string): Promise<{ rows: string | null; text: string | null }> {
  await page.getByTestId('export-filename').fill(fileName);
  await page.getByTestId(`export-${format}`).click();
  // The first export starts a worker that compiles its modules through tsx: slow on a loaded machine.
  const result = page.locator(`[data-testid="export-result"][data-path$="${fileName}.${format}"]`);
  await result.waitFor({ timeout: 90_000 });
  return { rows: await result.getAttribute('data-rows'), text: await result.textContent() };
}

describe('reports at the edges', () => {
  it('one graded item exports as "1 row"; a period typed but not shown is the one exported, and the figures follow', async () => {
    const rma = bench.data.rmas.filter((r) => r.status === 'open')[0];
    const product = bench.data.products.find((p) => p.sku === rma?.lines[0]?.sku);
    if (!rma || !product) throw new Error('no open RMA with a product');
    await wedgeScan(page, rma.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    await wedgeScan(page, product.gtin.slice(1));
    await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
    await page.keyboard.press('1');
    await page.getByTestId('result-panel').waitFor();
    await closeParcel(page, { confirm: rma.lines.reduce((n, l) => n + l.qty, 0) > 1 });

    await openScreen(page, 'reports');
    await page.getByTestId('export-folder-input').fill(exportDir);
    await page.getByTestId('export-folder-set').click();
    await page.getByTestId('export-folder').filter({ hasText: exportDir }).waitFor();
    const now = new Date();
    const [from, to] = [siteToday(new Date(now.getTime() - 86_400_000)), siteToday(now)];
    await page.getByTestId('filter-from').fill(from);
    await page.getByTestId('filter-to').fill(to);
    // Until the supervisor types a name, the file is named after the period it holds.
    expect(await page.getByTestId('export-filename').inputValue()).toBe(`returns-${from}_${to}`);
    await page.getByTestId('reports-apply').click();
    await page.locator('[data-testid="report-items"] .kpi-value', { hasText: /^1$/ }).waitFor();
    const one = await exportAndWait('csv', 'one-item');
    expect(one.rows).toBe('1');
    expect(one.text).toContain('(1 row, recovery');

    // A quiet period, typed and exported without pressing Show: the file is of that period, not of the one shown.
    await page.getByTestId('filter-from').fill('2020-01-01');
    await page.getByTestId('filter-to').fill('2020-01-02');
    const none = await exportAndWait('csv', 'quiet-period');
    expect(none.rows).toBe('0');
    expect(none.text).toContain('(0 rows, recovery');
    await page.locator('[data-testid="report-items"] .kpi-value', { hasText: /^0$/ }).waitFor();
  }, 240_000);

  it('long figures stay whole: the yen totals on one line, words in the reason × channel table left-aligned', async () => {
    const db = openDatabase(join(bench.dataDir, 'station.sqlite'));
    try {
      seedReportItems(db, { items: 100_000, start: '2026-10-01T00:00:00.000Z', hours: 72, operatorIds: Object.values(bench.sample.operators).map((o) => o.id) });
    } finally {
      db.close();
    }
    await page.getByTestId('filter-from').fill('');
    await page.getByTestId('filter-to').fill('');
    await page.getByTestId('reports-apply').click();
    const recovery = page.locator('[data-testid="report-recovery"] .kpi-value');
    await eventually(() => recovery.textContent(), (v) => expect((v ?? '').replace(/[^\d]/g, '').length).toBeGreaterThan(8));
    // Read in the page (a string: the Node side has no DOM types).
    const layout = (await page.evaluate(`(() => {
      const value = document.querySelector('[data-testid="report-recovery"] .kpi-value');
      const size = parseFloat(getComputedStyle(value).fontSize);
      const row = document.querySelector('[data-testid="report-reason-channels"] tbody tr');
      return {
        oneLine: value.getBoundingClientRect().height < size * 1.8,
        inside: value.scrollWidth <= value.parentElement.clientWidth,
        channel: getComputedStyle(row.children[1]).textAlign,
        items: getComputedStyle(row.children[2]).textAlign,
      };
    })()`)) as { oneLine: boolean; inside: boolean; channel: string; items: string };
    expect(layout).toMatchObject({ oneLine: true, inside: true, items: 'right' });
    expect(layout.channel).not.toBe('right');
  }, 120_000);

  it('an export outlives a visit to the dashboard: back on Reports its bar and cancel are there, and a cancel is no error', async () => {
    await page.getByTestId('export-filename').fill('left-behind');
    await page.getByTestId('export-xlsx').click();
    await page.locator('[data-testid="export-progress"]:not([data-rows="0"])').waitFor({ timeout: 90_000 });
    await openScreen(page, 'dashboard');
    await page.getByTestId('lang-ja').click();
    await openScreen(page, 'reports');
    // The same export, still running: its bar in the new language, the buttons that would start another held.
    const bar = page.locator('[data-testid="export-progress"]:not([data-rows="0"])');
    await bar.waitFor({ timeout: 5000 });
    await expect(bar.textContent()).resolves.toContain('left-behind.xlsx を書き出し中');
    expect(await page.getByTestId('export-xlsx').isDisabled()).toBe(true);
    await page.getByTestId('export-cancel').click();
    const cancelled = page.getByTestId('export-cancelled');
    await cancelled.waitFor({ timeout: 10_000 });
    expect(await cancelled.textContent()).toBe(ja.error.exportCancelled);
    expect(await page.getByTestId('notice').count()).toBe(0);
    await page.getByTestId('export-progress').waitFor({ state: 'detached' });
    expect(readdirSync(exportDir).filter((f) => f.startsWith('left-behind') || f.endsWith('.partial'))).toEqual([]);
    expect(await page.getByTestId('export-xlsx').isDisabled()).toBe(false);
    await page.getByTestId('lang-en').click();
    await expect(cancelled.textContent()).resolves.toBe(en.error.exportCancelled);
  }, 180_000);
});
