// Issue 5's end-to-end path: a multi-item parcel with a wrong item, a blind return, a lead override.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product, Rma } from '../../contract/index.js';
import { closeParcel, openScreen, signIn, signOut, startBench, wedgeScan, waitForPageTruthy, type Bench, eventually, productOf as productOfIn } from './harness.js';

let bench: Bench;
let page: Page;
let wrongLpn = '';

beforeAll(async () => {
  bench = await startBench();
  page = await bench.newPage({ language: 'en' });
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

const productOf = (sku: string): Product => productOfIn(bench.data, sku);

describe('multi-item parcel with a wrong item', () => {
  it('a factory-sealed item takes three actions: scan parcel, scan item, one key; the label prints by itself', async () => {
    const rma: Rma = bench.sample.multiLineRma;
    const first = rma.lines[0];
    if (!first) throw new Error('multi-line RMA without lines');
    await signIn(page, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);

    await wedgeScan(page, rma.trackingNumber); // action 1
    await page.getByTestId('parcel-header').waitFor();
    await eventually(() => page.getByTestId('line-row').count(), (v) => expect(v).toBe(rma.lines.length));
    await wedgeScan(page, productOf(first.sku).gtin.slice(1)); // action 2
    await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
    // Packaging first, with the profile's likely answer preselected.
    await eventually(() => page.getByTestId('grade-question').textContent(), (v) => expect(v).toBe('Packaging state?'));
    await eventually(() => page.locator('.answer[aria-selected="true"]').count(), (v) => expect(v).toBe(1));
    await page.keyboard.press('1'); // action 3: factory sealed

    await page.getByTestId('result-panel').waitFor();
    await eventually(() => page.getByTestId('result-grade').textContent(), (v) => expect(v).toBe('N'));
    await eventually(() => page.getByTestId('print-status').getAttribute('data-status'), (v) => expect(v).toBe('printed'));
    const lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    const jobs = await bench.printer.waitForJobs(1, 10_000);
    expect(jobs.some((j) => j.toString('utf8').includes(lpn))).toBe(true);
  });

  it('an item that is not on the return is graded as a wrong item, with a webcam photo, and shows both SKUs', async () => {
    const rma = bench.sample.multiLineRma;
    const onRma = new Set(rma.lines.map((l) => l.sku));
    const stranger = bench.data.products.find((p) => !onRma.has(p.sku));
    if (!stranger) throw new Error('no product outside the RMA');
    await wedgeScan(page, stranger.gtin.slice(1));
    await page.getByTestId('unexpected-offer').waitFor();
    await eventually(() => page.getByTestId('notice').getAttribute('data-code'), (v) => expect(v).toBe('NOT_FOUND'));

    // Key 1: it came instead of the first line still waiting.
    const instead = await page.getByTestId('unexpected-wrong').first().getAttribute('data-line-id');
    await page.keyboard.press('1');
    await page.getByTestId('grade-panel').waitFor();
    await eventually(() => page.getByTestId('matched-product').textContent(), (v) => expect(v).toBe('Wrong item'));
    await page.keyboard.press('c');

    // A wrong item always needs a photo: the fake webcam is on, Space takes one, Enter finishes.
    await page.locator('[data-testid="photo-capture"][data-camera="on"]').waitFor();
    await waitForPageTruthy(page, `document.querySelector('.camera-video')?.videoWidth > 0`);
    await page.keyboard.press(' ');
    await page.locator('[data-testid="photo-capture"][data-count="1"]').waitFor();
    await page.keyboard.press('Enter');

    await page.getByTestId('result-panel').waitFor();
    wrongLpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    const wrongRow = page.locator('[data-testid="item-row"][data-kind="wrong"]');
    await wrongRow.waitFor();
    const expectedSku = rma.lines.find((l) => l.id === instead)?.sku ?? '';
    await eventually(() => wrongRow.textContent(), (v) => expect(v).toContain(`${stranger.sku} ≠ ${expectedSku}`));
  });

  it('closing the parcel records the wrong item as an outcome', async () => {
    await closeParcel(page, { confirm: true });
    const outcomes = page.getByTestId('parcel-outcomes');
    await outcomes.waitFor();
    await eventually(() => page.locator('[data-testid="outcome"][data-kind="wrong"]').count(), (v) => expect(v).toBe(1));
    await eventually(() => page.getByTestId('screen-intake').getAttribute('data-step'), (v) => expect(v).toBe('scanParcel'));
  });
});

describe('blind return', () => {
  it('a label that matches nothing leads to a search, and picking a candidate opens that return', async () => {
    const target = bench.data.rmas.find((r) => r.status === 'open' && r.rmaNumber !== bench.sample.multiLineRma.rmaNumber && r.rmaNumber !== bench.sample.rmaNumber);
    if (!target) throw new Error('no second open RMA');
    await wedgeScan(page, bench.sample.unknownTrackingNumber);
    await page.getByTestId('blind-start').click();
    await page.getByTestId('blind-search').waitFor();
    await page.getByTestId('blind-query').fill(target.orderNumber);
    await page.getByTestId('blind-search-submit').click();
    const candidate = page.locator(`[data-testid="blind-candidate"][data-rma="${target.rmaNumber}"]`);
    await candidate.waitFor();
    // The lines' products in the screen's language (English here), as the parcel view shows them.
    const firstProduct = bench.data.products.find((p) => p.sku === target.lines[0]?.sku);
    if (!firstProduct) throw new Error('no product for the first line');
    await eventually(() => candidate.textContent(), (v) => {
      expect(v).toContain(firstProduct.name);
      expect(v).not.toContain(firstProduct.nameJa);
    });
    await candidate.click();
    await page.getByTestId('parcel-header').waitFor();
    await eventually(() => page.getByTestId('rma-number').textContent(), (v) => expect(v).toBe(target.rmaNumber));
    await closeParcel(page, { confirm: true });
  });

  it('a code scanned on the search is searched for (a product\'s JAN from inside the box), not refused', async () => {
    const target = bench.data.rmas.find((r) => r.status === 'open' && r.rmaNumber !== bench.sample.multiLineRma.rmaNumber && r.rmaNumber !== bench.sample.rmaNumber);
    const product = bench.data.products.find((p) => p.sku === target?.lines[0]?.sku);
    if (!target || !product) throw new Error('no open RMA with a catalogued product');
    await wedgeScan(page, bench.sample.unknownTrackingNumber);
    await page.getByTestId('blind-start').click();
    await page.getByTestId('blind-search').waitFor();
    await wedgeScan(page, product.gtin.slice(1));
    await eventually(() => page.getByTestId('blind-query').inputValue(), (v) => expect(v).toBe(product.gtin.slice(1)));
    await page.getByTestId('blind-source').waitFor();
    await eventually(() => page.getByTestId('blind-candidate').count(), (v) => expect(v).toBeGreaterThan(0));
    await expect(page.getByTestId('notice').count()).resolves.toBe(0);
    // The same code scanned again is searched again (the operator may have scanned it before the list came).
    await page.getByTestId('blind-query').fill('');
    await wedgeScan(page, product.gtin.slice(1));
    await eventually(() => page.getByTestId('blind-query').inputValue(), (v) => expect(v).toBe(product.gtin.slice(1)));
    await page.getByTestId('blind-cancel').click();
    await eventually(() => page.getByTestId('screen-intake').getAttribute('data-step'), (v) => expect(v).toBe('scanParcel'));
  });

  it('with no candidate, the parcel is received as unexpected and its item goes to the lead', async () => {
    await page.getByTestId('manual-code').fill('BLIND-0001');
    await page.getByTestId('manual-submit').click();
    await page.getByTestId('blind-start').click();
    await page.getByTestId('blind-query').fill('ZZZ no such customer');
    await page.getByTestId('blind-search-submit').click();
    await page.getByTestId('blind-source').waitFor();
    await eventually(() => page.getByTestId('blind-candidate').count(), (v) => expect(v).toBe(0));
    await page.getByTestId('blind-known-customerName').fill('山田 太郎');
    await page.getByTestId('blind-receive').click();
    await page.getByTestId('parcel-header').waitFor();

    // Every item of a parcel with no return is an extra one: no red error, no key to say so (issue 11, point 7).
    await wedgeScan(page, bench.sample.firstLine.jan);
    await page.getByTestId('grade-panel').waitFor();
    await expect(page.getByTestId('matched-product').textContent()).resolves.toBe('Extra item');
    await expect(page.getByTestId('notice').count()).resolves.toBe(0);
    await expect(page.getByTestId('unexpected-offer').count()).resolves.toBe(0);
    await page.keyboard.press('b');
    await page.getByTestId('result-panel').waitFor();
    await eventually(() => page.locator('[data-testid="item-row"][data-kind="extra"]').textContent(), (v) => expect(v).toContain('Waiting for review'));
    await closeParcel(page, { confirm: false });
  });
});

describe('lead review', () => {
  it('staff cannot see the review screen; a lead overrides the wrong item with a reason', async () => {
    await eventually(() => page.getByTestId('nav-review').count(), (v) => expect(v).toBe(0));
    await signOut(page);
    await signIn(page, bench.sample.operators.lead.badge, bench.sample.operators.lead.pin);
    await openScreen(page, 'review');
    const row = page.locator('[data-testid="review-row"]', { hasText: wrongLpn });
    await row.waitFor();
    await row.getByTestId('review-open').click();
    const detail = page.getByTestId('review-detail');
    await detail.locator('[data-status="pending"]').or(detail).waitFor();
    await eventually(() => detail.getAttribute('data-status'), (v) => expect(v).toBe('pending'));
    await eventually(() => detail.textContent(), (v) => expect(v).toContain('Photos: 1'));
    await page.getByTestId('override-disposition').selectOption('disposal');
    await page.getByTestId('override-reason').fill('Seal torn, not resellable');
    await page.getByTestId('override-submit').click();
    await page.locator('[data-testid="review-detail"][data-status="overridden"]').waitFor();
    await eventually(() => detail.textContent(), (v) => expect(v).toContain('Seal torn, not resellable'));
  });
});
