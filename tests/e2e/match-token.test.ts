// Issue 13 point 5 at the bench in Chromium: the renderer never holds the unit's serial or lot, only the
// station's match token; when the station no longer knows the token, the screen asks for a new scan.
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../contract/index.js';
import { signIn, startBench, wedgeScan, type Bench, productOf as productOfIn } from './harness.js';

let bench: Bench;
let page: Page;

beforeAll(async () => {
  bench = await startBench();
  page = await bench.newPage({ language: 'ja' });
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

const productOf = (sku: string): Product => productOfIn(bench.data, sku);

describe('the item scan stays at the station', () => {
  it('sends only a match token with the grade, and a token the station refuses sends the operator back to scan the item (in Japanese)', async () => {
    const rma = bench.data.rmas.find((r) => r.status === 'open' && r.lines.length === 1 && productOf(r.lines[0]!.sku).priceJpy < 50_000);
    if (!rma) throw new Error('no single-line RMA');
    const line = rma.lines[0]!;
    await signIn(page, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
    await wedgeScan(page, rma.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();

    const grades: Request[] = [];
    // Stands in for a token that expired or was spent: the station is asked with one it never issued.
    await page.route('**/api/call/item.grade', async (route) => {
      grades.push(route.request());
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, matchToken: 'A'.repeat(32) }) });
    });
    await wedgeScan(page, productOf(line.sku).gtin.slice(1));
    await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
    await page.keyboard.press('s');

    const notice = page.getByTestId('notice');
    await notice.waitFor();
    await expect(page.getByTestId('notice-text').textContent()).resolves.toContain('もう一度スキャンしてください');
    await expect(page.getByTestId('screen-intake').getAttribute('data-step')).resolves.toBe('scanItem');
    await expect(page.getByTestId('result-panel').count()).resolves.toBe(0);

    const sent = JSON.parse(grades[0]?.postData() ?? '{}') as Record<string, unknown>;
    expect(sent.matchToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    for (const field of ['identity', 'serial', 'lot', 'epc']) expect(sent).not.toHaveProperty(field);

    // A new scan gets a new token, and the grade goes through.
    await page.unroute('**/api/call/item.grade');
    await wedgeScan(page, productOf(line.sku).gtin.slice(1));
    await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
    await page.keyboard.press('s');
    await page.getByTestId('result-panel').waitFor();
  });
});
