// Every scan gets a sensible answer on every screen: an item's LPN at intake's parcel step shows that item (and
// reprints its label), and with a parcel open says whether it is one of that parcel's (the parcel stays open), an LPN on the lead's review screen opens it or says what became of it, a scan the wedge could
// not read is answered on a screen that takes no parcel scans, and Space toggles a focused checkbox.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.js';
import { seedReportItems } from '../../fixtures/report-data/seedItems.js';
import { closeParcel, eventually, kanaWedgeScan, openScreen, productOf, screenshotDir, signIn, startBench, wedgeScan, type Bench } from './harness.js';

let bench: Bench;
let pendingLpn = '';
let approvedLpn = '';
/** The item graded in the first test, in a parcel closed since. */
let closedParcelLpn = '';

beforeAll(async () => {
  bench = await startBench();
  const db = openDatabase(join(bench.dataDir, 'station.sqlite'));
  try {
    const ops = Object.values(bench.sample.operators).map((o) => o.id);
    seedReportItems(db, { items: 12, start: new Date(Date.now() - 3 * 3_600_000).toISOString(), hours: 2, operatorIds: ops, flagShare: 1 });
    // As a grading bench writes them: UUID ids (the review calls take no other) and LPN-shaped labels.
    db.prepare("UPDATE items SET id = printf('00000000-0000-4000-8000-%012d', rowid), lpn = printf('LPN-SEED-%07d', rowid) WHERE lpn LIKE 'SEED%'").run();
    const pending = db.prepare("SELECT lpn FROM items WHERE review_status = 'pending' ORDER BY graded_at LIMIT 2").pluck().all() as string[];
    pendingLpn = pending[0] ?? '';
    approvedLpn = pending[1] ?? '';
    db.prepare("UPDATE items SET review_status = 'approved', reviewed_by = ?, reviewed_at = ? WHERE lpn = ?").run(bench.sample.operators.lead.id, new Date().toISOString(), approvedLpn);
  } finally {
    db.close();
  }
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

async function toJapanese(page: Page): Promise<void> {
  await page.getByRole('button', { name: '日本語' }).click();
  await page.locator('[data-testid="app"][data-language="ja"]').waitFor();
}

describe('an item LPN at the parcel step', () => {
  it('shows what the station knows about the item in both languages, and R reprints its label', async () => {
    const { sample } = bench;
    const page = await bench.newPage({ language: 'en' });
    await signIn(page, sample.operators.staff.badge, sample.operators.staff.pin);
    await wedgeScan(page, sample.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    await wedgeScan(page, sample.firstLine.jan);
    await page.getByTestId('grade-panel').waitFor();
    await page.keyboard.press('b');
    await page.getByTestId('result-panel').waitFor();
    const lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    closedParcelLpn = lpn;
    await eventually(() => page.getByTestId('print-status').getAttribute('data-status'), (v) => expect(v).toBe('printed'));
    await bench.printer.waitForJobs(1, 10_000);
    await closeParcel(page, { confirm: sample.rma.lines.reduce((n, l) => n + l.qty, 0) > 1 });

    // Found on the bench later: its own label scanned where a parcel label is expected.
    await wedgeScan(page, lpn);
    const panel = page.getByTestId('item-found');
    await panel.waitFor();
    expect(await panel.getAttribute('data-lpn')).toBe(lpn);
    await eventually(() => page.getByTestId('item-found-product').textContent(), (v) => expect(v).toContain(sample.firstLine.product.name));
    expect(await page.getByTestId('item-found-grade').textContent()).toBe('B');
    expect(await page.getByTestId('item-found-parcel').textContent()).toBe(`${sample.rmaNumber} · parcel closed`);
    expect(await page.getByTestId('item-found-graded').textContent()).toContain(sample.operators.staff.name);
    expect(await page.getByTestId('item-found-review').getAttribute('data-status')).toMatch(/^(none|pending)$/);
    // Not the blind-return offer of a parcel label that matched nothing.
    expect(await page.getByTestId('blind-start').count()).toBe(0);
    expect(await page.getByTestId('notice').count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir(), 'item-found-en.png') });

    await page.keyboard.press('r');
    await eventually(() => page.getByTestId('reprint-status').getAttribute('data-status'), (v) => expect(v).toBe('printed'));
    const jobs = await bench.printer.waitForJobs(2, 10_000);
    expect(jobs[1]?.toString('utf8')).toContain(lpn);

    await toJapanese(page);
    await eventually(() => panel.textContent(), (v) => expect(v).toContain('判定済みの商品'));
    expect(await page.getByTestId('item-found-parcel').textContent()).toBe(`${sample.rmaNumber} · 荷物は締め済み`);
    await page.screenshot({ path: join(screenshotDir(), 'item-found-ja.png') });

    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);

    // An LPN no item here carries: said as such, not as a return that matched nothing.
    await wedgeScan(page, 'LPN-ELSEWHERE-0000001');
    await eventually(() => page.getByTestId('notice-text').textContent(), (v) => expect(v).toContain('LPN-ELSEWHERE-0000001'));
    expect(await page.getByTestId('notice-text').textContent()).toContain('このステーションで判定されていません');
    expect(await page.getByTestId('blind-start').count()).toBe(0);
    await page.context().close();
  });
});

describe('an item LPN with a parcel open', () => {
  it('says it is an item of the parcel in hand, or of another parcel, and the parcel stays open; an item not on the return is a check', async () => {
    const { sample, data } = bench;
    // Another open return with two lines, its first like the first test's (category and reason, no declaration), so
    // grade B asks for no photo there either.
    const first = sample.rma.lines[0]!;
    const rma = data.rmas.find(
      (r) =>
        r.rmaNumber !== sample.rmaNumber &&
        r.status === 'open' &&
        !r.declaration &&
        r.lines.length >= 2 &&
        r.lines[0]!.reason === first.reason &&
        productOf(data, r.lines[0]!.sku).category === sample.firstLine.product.category,
    );
    if (!rma || !closedParcelLpn) throw new Error('no second return to open, or the first test did not grade');
    const jan = (sku: string) => productOf(data, sku).gtin.slice(1);
    const onRma = new Set(rma.lines.map((l) => l.sku));
    const stranger = data.products.find((p) => !onRma.has(p.sku));
    if (!stranger) throw new Error('no product off the return');
    const page = await bench.newPage({ language: 'en' });
    await signIn(page, sample.operators.staff.badge, sample.operators.staff.pin);
    await wedgeScan(page, rma.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    await wedgeScan(page, jan(rma.lines[0]!.sku));
    await page.getByTestId('grade-panel').waitFor();
    await page.keyboard.press('b');
    await page.getByTestId('result-panel').waitFor();
    const lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    await eventually(() => page.getByTestId('print-status').getAttribute('data-status'), (v) => expect(v).toBe('printed'));

    // Its own label, scanned with its parcel still open: that item, said to be this parcel's, not "already graded".
    await wedgeScan(page, lpn);
    const panel = page.locator('[data-testid="item-found"][data-in-hand="thisParcel"]');
    await panel.waitFor();
    expect(await panel.getAttribute('data-lpn')).toBe(lpn);
    expect(await panel.locator('h3').textContent()).toBe(`Already graded in this parcel ${lpn}`);
    expect(await page.getByTestId('item-found-hint').textContent()).toContain('graded in the parcel in hand');
    expect(await page.getByTestId('notice').count()).toBe(0);
    expect(await page.getByTestId('screen-intake').getAttribute('data-step')).toBe('scanItem');
    expect(await page.getByTestId('parcel-header').textContent()).toContain(rma.rmaNumber);
    await page.screenshot({ path: join(screenshotDir(), 'item-found-this-parcel-en.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await page.getByTestId('parcel-header').textContent()).toContain(rma.rmaNumber);

    // An item of another parcel (another return's, graded in the first test): shown as such, nothing received here.
    await wedgeScan(page, closedParcelLpn);
    const other = page.locator('[data-testid="item-found"][data-in-hand="otherParcel"]');
    await other.waitFor();
    expect(await page.getByTestId('item-found-parcel').textContent()).toContain(sample.rmaNumber);
    expect(await page.getByTestId('item-found-hint').textContent()).toContain('received with another parcel');
    expect(await page.getByTestId('notice').count()).toBe(0);
    await toJapanese(page);
    await eventually(() => other.locator('h3').textContent(), (v) => expect(v).toBe(`判定済みの商品 ${closedParcelLpn}`));
    expect(await page.getByTestId('item-found-hint').textContent()).toContain('別の荷物で受付済み');
    await page.screenshot({ path: join(screenshotDir(), 'item-found-other-parcel-ja.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => other.count()).toBe(0);

    // A product the return does not list: a question for the operator (確認), not an error.
    await wedgeScan(page, jan(stranger.sku));
    await page.getByTestId('unexpected-offer').waitFor();
    const notice = page.getByTestId('notice');
    expect(await notice.locator('.notice-title').textContent()).toBe('確認してください');
    expect(await notice.getAttribute('class')).toContain('notice-warn');
    await page.screenshot({ path: join(screenshotDir(), 'item-not-on-return-ja.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => notice.count()).toBe(0);

    // The parcel was open all along: its next item is graded into it.
    await wedgeScan(page, jan(rma.lines[1]!.sku));
    await page.getByTestId('grade-panel').waitFor();
    await page.context().close();
  });
});

describe('the lead review screen', () => {
  let page: Page;
  beforeAll(async () => {
    page = await bench.newPage({ language: 'en' });
    await signIn(page, bench.sample.operators.lead.badge, bench.sample.operators.lead.pin);
    await openScreen(page, 'review');
    await page.locator('[data-testid="review-row"][data-index="1"] [data-testid="review-open"]').waitFor();
  }, 60_000);

  it('an LPN waiting for review opens in the review panel, on this screen', async () => {
    await wedgeScan(page, pendingLpn);
    const detail = page.locator('[data-testid="review-detail"][data-status="pending"]');
    await detail.waitFor();
    await eventually(() => detail.locator('h3').textContent(), (v) => expect(v).toBe(pendingLpn));
    expect(await page.getByTestId('screen-review').count()).toBe(1);
    expect(await page.getByTestId('screen-intake').count()).toBe(0);
  });

  it('an LPN not waiting says so and what its state is, in both languages', async () => {
    await wedgeScan(page, approvedLpn);
    const card = page.getByTestId('review-not-waiting');
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('approved');
    await eventually(() => card.locator('h3').textContent(), (v) => expect(v).toBe(`${approvedLpn} is not waiting for review: Approved.`));
    // Who decided, by name: the lead is enrolled at this bench.
    expect(await page.getByTestId('item-found-review').textContent()).toContain(`by ${bench.sample.operators.lead.name}`);
    await page.screenshot({ path: join(screenshotDir(), 'review-not-waiting-en.png') });
    await toJapanese(page);
    await eventually(() => card.locator('h3').textContent(), (v) => expect(v).toBe(`${approvedLpn} はレビュー待ちではありません：承認済み。`));
    await page.screenshot({ path: join(screenshotDir(), 'review-not-waiting-ja.png') });
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('[data-testid="app"][data-language="en"]').waitFor();
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('Escape');
    await expect.poll(() => card.count()).toBe(0);
    expect(await page.getByTestId('screen-review').count()).toBe(1);
  });

  it('a scan typed through a kana-mode IME is answered here with the notice intake shows', async () => {
    await kanaWedgeScan(page, 'ぬふあうえおやゆよ');
    const notice = page.getByTestId('input-notice');
    await notice.waitFor();
    await eventually(() => notice.textContent(), (v) => expect(v).toContain('kana mode'));
    expect(await notice.getByTestId('notice').getAttribute('class')).toContain('notice-error');
    expect(await page.getByTestId('screen-review').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => notice.count()).toBe(0);
  });

  it('on the sync screen too (its unlinked-parcels list takes scans, but had no place to say why one was unreadable)', async () => {
    await openScreen(page, 'sync');
    await kanaWedgeScan(page, 'ぬふあうえおやゆよ');
    const notice = page.getByTestId('input-notice');
    await eventually(() => notice.textContent(), (v) => expect(v).toContain('kana mode'));
    expect(await page.getByTestId('screen-sync').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => notice.count()).toBe(0);
    await openScreen(page, 'review');
    await page.locator('[data-testid="review-row"][data-index="1"] [data-testid="review-open"]').waitFor();
  });

  it('Space toggles a focused checkbox (and nothing else happens)', async () => {
    const box = page.getByTestId('review-select').first();
    await box.focus();
    expect(await box.isChecked()).toBe(false);
    await page.keyboard.press(' ');
    await eventually(() => box.isChecked(), (v) => expect(v).toBe(true));
    await page.keyboard.press(' ');
    await eventually(() => box.isChecked(), (v) => expect(v).toBe(false));
    expect(await page.getByTestId('input-notice').count()).toBe(0);
  });
});
