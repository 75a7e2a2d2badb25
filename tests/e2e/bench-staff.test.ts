// What staff at a bench met (fix/bench-staff): a product the catalogue does not know is received as an extra item
// (its SKU and category asked for, not a dead end); a unit of another lot than the one sold is flagged, and the
// lead reads both lots; the result and review screens name the rule that routed an item in words, and the review
// screen the checklist's answers.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeParcel, eventually, openScreen, signIn, signOut, startBench, wedgeScan, type Bench } from './harness.js';

let bench: Bench;
let page: Page;

beforeAll(async () => {
  bench = await startBench();
  page = await bench.newPage({ language: 'ja' });
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

function itemRow(lpn: string): { sku: string; kind: string; grade: string; flags_json: string } {
  const db = new Database(join(bench.dataDir, 'station.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT sku, kind, grade, flags_json FROM items WHERE lpn = ?').get(lpn) as { sku: string; kind: string; grade: string; flags_json: string };
  } finally {
    db.close();
  }
}

describe('an item the catalogue does not know', () => {
  it('is received as an extra item: the bench asks for its SKU and category, then grades it', async () => {
    // A valid JAN (check digit right) of no product in the catalogue.
    const jan = '4512999999990';
    expect(bench.data.products.some((p) => p.gtin === `0${jan}`)).toBe(false);
    await signIn(page, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
    await wedgeScan(page, bench.sample.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    await wedgeScan(page, jan);
    await page.getByTestId('unexpected-offer').waitFor();
    await page.keyboard.press('0');

    const form = page.getByTestId('unknown-product');
    await form.waitFor();
    // Typed with the IME left in full-width mode, as happens on a Japanese keyboard.
    await page.getByTestId('unknown-product-sku').fill('ＮＥＷ－ＳＫＵ－１');
    await page.getByTestId('unknown-product-category').selectOption('apparel');
    await page.getByTestId('unknown-product-submit').click();
    // Its category's checklist, as for any apparel item.
    await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
    await page.keyboard.press('b');
    await page.getByTestId('result-panel').waitFor();
    const lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    expect(itemRow(lpn)).toMatchObject({ sku: 'NEW-SKU-1', kind: 'extra', grade: 'B' });
    await closeParcel(page, { confirm: true });
  }, 90_000);
});

describe('a unit of another lot than the one sold', () => {
  it('is kept on its line, flagged, routed to review, and the lead reads both lots and the rule in words', async () => {
    const found = bench.data.rmas
      .filter((r) => r.rmaNumber !== bench.sample.rmaNumber)
      .flatMap((r) => r.lines.filter((l) => l.lot).map((l) => ({ rma: r, line: l })))[0];
    if (!found?.line.lot) throw new Error('no RMA line sold with a lot in the demo data');
    const product = bench.data.products.find((p) => p.sku === found.line.sku);
    if (!product) throw new Error(`no product ${found.line.sku}`);
    const returnedLot = 'LZZ0001';
    await wedgeScan(page, found.rma.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    // GS1 DataMatrix: AI 01 GTIN, then AI 10 lot.
    await wedgeScan(page, `]d201${product.gtin}10${returnedLot}`);
    await page.getByTestId('grade-panel').waitFor();
    await eventually(() => page.getByTestId('matched-product').textContent(), (v) => expect(v).toBe(product.nameJa));
    // Its checklist: factory sealed, which grades it N at once.
    await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
    await page.keyboard.press('1');
    await page.getByTestId('result-panel').waitFor();
    await eventually(() => page.getByTestId('result-panel').getAttribute('data-disposition'), (v) => expect(v).toBe('quarantine'));
    // The rule in words, naming the flag that made it fire; its id only small beside.
    await eventually(() => page.getByTestId('result-rule-words').textContent(), (v) => expect(v).toContain('ロット不一致'));
    expect(await page.getByTestId('result-rule').locator('.rule-id').textContent()).toContain('flagged-to-review');
    const lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    expect(JSON.parse(itemRow(lpn).flags_json)).toContain('lot_mismatch');
    await closeParcel(page, { confirm: true });

    await signOut(page);
    await signIn(page, bench.sample.operators.lead.badge, bench.sample.operators.lead.pin);
    await openScreen(page, 'review');
    const row = page.locator('[data-testid="review-row"]', { hasText: lpn });
    await row.waitFor();
    await eventually(() => row.textContent(), (v) => expect(v).toContain('ロット不一致'));
    await row.getByTestId('review-open').click();
    const detail = page.getByTestId('review-detail');
    await eventually(() => detail.getByTestId('review-differs').textContent(), (v) => expect(v).toBe(`ロットが異なります：販売時 ${found.line.lot}、返品 ${returnedLot}`));
    await eventually(() => detail.getByTestId('review-rule-words').textContent(), (v) => expect(v).toContain('ロット不一致'));
    // In Japanese, the rule's own explanation (the stored one is English only).
    await eventually(() => detail.getByTestId('review-why').textContent(), (v) => expect(v).toContain('リーダーの確認'));
    // The checklist's answers as its questions and answers, not their ids.
    await eventually(() => detail.getByTestId('review-answers').textContent(), (v) => expect(v).toBe('パッケージの状態は：未開封（メーカー封印あり）'));
  }, 120_000);
});
