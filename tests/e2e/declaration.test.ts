// Issue 17: the customer's declaration beside the grading questions, and a declared-vs-graded mismatch
// that the lead reviews with the customer's photos beside the bench's.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openScreen, signIn, signOut, startBench, wedgeScan, waitForPageTruthy, type Bench } from './harness.js';

let bench: Bench;
let page: Page;
let lpn = '';
// Only when asked (`npm run screenshots:tests` sets RS_SCREENSHOT_DIR): switching languages for the pictures costs time.
const shotDir = process.env.RS_SCREENSHOT_DIR;

beforeAll(async () => {
  bench = await startBench();
  page = await bench.newPage({ language: 'en' });
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

function storedCustomerPhotos(rmaNumber: string): number {
  const db = new Database(join(bench.dataDir, 'station.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM customer_photos WHERE rma_number = ? AND status = 'stored'").get(rmaNumber) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("the customer's declaration", () => {
  it('shows the declaration and the customer photos beside the questions; declared unused, graded C, is flagged for review', async () => {
    const rma = bench.sample.declaredRma;
    expect(rma.declaration?.condition).toBe('unused_with_tags');
    const photos = rma.declaration?.photos.length ?? 0;
    expect(photos).toBeGreaterThan(0);
    const line = rma.lines[0];
    const product = bench.data.products.find((p) => p.sku === line?.sku);
    if (!product) throw new Error('declared RMA without a product');
    // The station fetches the customer's photos right after its first pull.
    await eventually(async () => storedCustomerPhotos(rma.rmaNumber), (n) => expect(n).toBe(photos), 30_000);

    await signIn(page, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
    await wedgeScan(page, rma.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    await eventually(() => page.getByTestId('return-channel').textContent(), (v) => expect(v?.length ?? 0).toBeGreaterThan(0));
    await wedgeScan(page, product.gtin.slice(1));
    const panel = page.getByTestId('grade-panel');
    await panel.waitFor();
    await eventually(() => panel.getByTestId('declared-condition').textContent(), (v) => expect(v).toBe('Unused, tags attached'));
    await eventually(() => panel.locator('[data-testid="customer-photo"] img').count(), (n) => expect(n).toBe(photos));
    if (shotDir) {
      mkdirSync(shotDir, { recursive: true });
      await page.screenshot({ path: join(shotDir, 'en-17-declaration.png'), fullPage: true });
      await page.getByTestId('lang-ja').click();
      await eventually(() => panel.getByTestId('declared-condition').textContent(), (v) => expect(v).toBe('未使用・タグ付き'));
      await page.screenshot({ path: join(shotDir, 'ja-17-declaration.png'), fullPage: true });
      await page.getByTestId('lang-en').click();
      await eventually(() => panel.getByTestId('declared-condition').textContent(), (v) => expect(v).toBe('Unused, tags attached'));
    }

    await page.getByTestId('grade-key-C').click();
    // Grading against the declaration needs the bench's own photo as evidence: the station asks for one.
    await page.locator('[data-testid="photo-capture"][data-camera="on"]').waitFor();
    await waitForPageTruthy(page, `document.querySelector('.camera-video')?.videoWidth > 0`);
    await page.keyboard.press(' ');
    await page.locator('[data-testid="photo-capture"][data-count="1"]').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('result-panel').waitFor();
    await eventually(() => page.getByTestId('result-grade').textContent(), (v) => expect(v).toBe('C'));
    lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    expect(lpn).not.toBe('');
  });

  it('the lead sees the mismatch flag and the two photo sets side by side', async () => {
    await signOut(page);
    await signIn(page, bench.sample.operators.lead.badge, bench.sample.operators.lead.pin);
    await openScreen(page, 'review');
    const row = page.locator('[data-testid="review-row"]', { hasText: lpn });
    await row.waitFor();
    await row.getByTestId('review-open').click();
    const detail = page.getByTestId('review-detail');
    await detail.waitFor();
    await eventually(() => detail.textContent(), (v) => expect(v).toContain('Declared vs graded mismatch'));
    const compare = detail.getByTestId('photo-compare');
    await compare.waitFor();
    const photos = bench.sample.declaredRma.declaration?.photos.length ?? 0;
    await eventually(() => compare.locator('[data-testid="customer-photo"] img').count(), (n) => expect(n).toBe(photos));
    await eventually(() => compare.locator('[data-testid="review-photos"] [data-testid="review-photo"] img').count(), (n) => expect(n).toBe(1));
  });
});
