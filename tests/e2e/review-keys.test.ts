// The lead's review queue at a bench, worked from the keyboard: keys pressed together are answered on this screen too
// (it takes no scans), Esc is the way back after O, and R reaches the relabel list shown above the queue.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.js';
import { seedReportItems } from '../../fixtures/report-data/seedItems.js';
import { eventually, openScreen, screenshotDir, signIn, startBench, type Bench } from './harness.js';

let bench: Bench;
let page: Page;

beforeAll(async () => {
  bench = await startBench();
  const db = openDatabase(join(bench.dataDir, 'station.sqlite'));
  try {
    const ops = Object.values(bench.sample.operators).map((o) => o.id);
    seedReportItems(db, { items: 20, start: new Date(Date.now() - 3 * 3_600_000).toISOString(), hours: 2, operatorIds: ops, flagShare: 1 });
    // The review calls take item ids as a grading bench writes them (UUIDs); the seed's own ids are not.
    db.prepare("UPDATE items SET id = printf('00000000-0000-4000-8000-%012d', rowid) WHERE id LIKE 'SEEDI-%'").run();
  } finally {
    db.close();
  }
  page = await bench.newPage({ language: 'en' });
  await signIn(page, bench.sample.operators.lead.badge, bench.sample.operators.lead.pin);
  await openScreen(page, 'review');
  await page.locator('[data-testid="review-row"][data-index="1"] [data-testid="review-open"]').waitFor();
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

const cursorAt = () => page.locator('[data-testid="review-row"][aria-current="true"]').getAttribute('data-index');
const detail = () => page.getByTestId('review-detail');

/** The keys to the queue, not to a field or button the last click left focused. */
async function keysToQueue(): Promise<void> {
  await page.evaluate('document.activeElement?.blur()');
}

describe('review queue keys', () => {
  it('keys pressed together act on nothing and are answered on this screen, in its language; the next key alone acts', async () => {
    await keysToQueue();
    await page.keyboard.press('j');
    await page.locator('[data-testid="review-detail"][data-status="pending"]').waitFor();
    expect(await cursorAt()).toBe('0');
    // Back to back, as two fingers press them: faster than the scanner gap, too short for a scan.
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    const notice = page.getByTestId('input-notice');
    await notice.waitFor();
    await eventually(() => notice.textContent(), (text) => expect(text).toMatch(/Keys not used.*The keys j a were pressed at the same moment/));
    expect(await notice.getByTestId('notice').getAttribute('class')).toContain('notice-error');
    // Neither moved the cursor nor approved the item shown.
    await page.waitForTimeout(500);
    expect(await cursorAt()).toBe('0');
    expect(await detail().getAttribute('data-status')).toBe('pending');
    await page.keyboard.press('j');
    await eventually(cursorAt, (v) => expect(v).toBe('1'));
    await expect.poll(() => notice.count()).toBe(0);
  });

  it('in Japanese too; Esc takes the notice away and leaves the item open', async () => {
    await page.getByRole('button', { name: '日本語' }).click();
    await page.locator('[data-testid="app"][data-language="ja"]').waitFor();
    await keysToQueue();
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    const notice = page.getByTestId('input-notice');
    await eventually(() => notice.textContent(), (text) => expect(text).toMatch(/キー操作を使いませんでした.*キー k x が同時に押されたため/));
    expect(await cursorAt()).toBe('1');
    expect(await page.locator('[data-testid="review-select"]:checked').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => notice.count()).toBe(0);
    expect(await detail().count()).toBe(1);
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('[data-testid="app"][data-language="en"]').waitFor();
  });

  it('after O, Esc gives the keys back to the queue, and a second Esc closes the item', async () => {
    await keysToQueue();
    await page.keyboard.press('o');
    await page.locator('[data-testid="override-grade"]:focus').waitFor();
    // The list box has the keys: J would pick an option, not move.
    await page.keyboard.press('Escape');
    await eventually(() => page.evaluate('document.activeElement?.dataset?.testid ?? null'), (v) => expect(v).toBeNull());
    expect(await detail().count()).toBe(1);
    await page.keyboard.press('j');
    await eventually(cursorAt, (v) => expect(v).toBe('2'));
    await page.keyboard.press('Escape');
    await expect.poll(() => detail().count()).toBe(0);
  });

  it('R prints the new label of the relabel list above the queue, as the list says', async () => {
    const lpn = (await page.locator('[data-testid="review-row"][data-index="0"] [data-testid="review-open"]').textContent()) ?? '';
    const db = openDatabase(join(bench.dataDir, 'station.sqlite'));
    try {
      // A lead's re-route reaches a bench from its site hub; here it is put on the list in the station's own database.
      db.prepare("UPDATE items SET relabel_since = ?, reviewed_by = 'OP-2001', review_reason = 'e2e re-route' WHERE lpn = ?").run(new Date().toISOString(), lpn);
    } finally {
      db.close();
    }
    await page.getByTestId('relabel-row').first().waitFor({ timeout: 20_000 });
    await keysToQueue();
    const before = bench.printer.jobs.length;
    await page.keyboard.press('r');
    await page.getByTestId('relabel-printed').waitFor({ timeout: 10_000 });
    const jobs = await bench.printer.waitForJobs(before + 1, 10_000);
    expect(jobs.at(-1)?.toString('utf8')).toContain(lpn);
  });
});

describe('the queue beside an open item', () => {
  // Cells of the rows on screen whose text is cut (wider than their box) or that spill below their row: the LPN,
  // the disposition, each flag and the wait must be read whole; the product is in the detail and keeps its title.
  const cutCells = (): Promise<string[]> =>
    page.evaluate(`(() => {
      const rows = [...document.querySelectorAll('[data-testid="review-row"][data-item-id]')];
      const cells = rows.flatMap((r) => [...r.querySelectorAll('.review-lpn, .review-disposition, .tag, [data-testid="review-row-age"]')].map((c) => [r, c]));
      return cells
        .filter(([r, c]) => c.scrollWidth > c.clientWidth + 1 || c.getBoundingClientRect().bottom > r.getBoundingClientRect().bottom + 1)
        .map(([, c]) => c.textContent);
    })()`);

  it.each([
    [1280, 800],
    [1366, 768],
  ])('at %i×%i the rows stay readable in both languages, and the detail closes with a button that says so', async (width, height) => {
    await page.setViewportSize({ width, height });
    for (const [language, button, close] of [
      ['en', 'English', 'Close details'],
      ['ja', '日本語', '詳細を閉じる'],
    ] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.locator(`[data-testid="app"][data-language="${language}"]`).waitFor();
      await page.locator('[data-testid="review-row"][data-index="1"] [data-testid="review-open"]').click();
      await detail().locator('dl').waitFor();
      // The seeded queue has flags and a two-word disposition to cut.
      expect(await page.locator('[data-testid="review-row"] .tag').count()).toBeGreaterThan(0);
      expect(await cutCells()).toEqual([]);
      await page.screenshot({ path: join(screenshotDir(), `review-detail-${width}-${language}.png`) });
      const closeButton = page.getByTestId('review-detail-close');
      expect((await closeButton.textContent())?.trim()).toBe(close);
      await closeButton.click();
      await expect.poll(() => detail().count()).toBe(0);
      // Nothing was decided: the item is still in the queue.
      expect(await page.locator('[data-testid="review-row"][data-index="1"]').getAttribute('data-item-id')).toBeTruthy();
    }
  });
});
