// An item's LPN scanned on the Review screen of the hub UI finds any bench's item in the site's tables: it opens in
// the site queue when it waits, or the screen says what became of it (decided, never held) or that no bench of the site
// graded it, in both languages. At a bench behind the hub, another bench's item opens the same way.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WmsEvent } from '../../contract/index.js';
import { itemGraded } from '../integration/sync-helpers.js';
import { eventually, openScreen, screenshotDir, signIn, wedgeScan } from './harness.js';
import { enrolBenchAtHub, signInAtHub, startSite, type Site } from './siteHarness.js';

let site: Site;
let waiting: { itemId: string; lpn: string };
let toDecide: { itemId: string; lpn: string };
const notHeld = { itemId: randomUUID(), lpn: 'LPN-BENCHK-0000001' };

beforeAll(async () => {
  site = await startSite({ benches: ['BENCH-A', 'BENCH-B'] });
  waiting = await site.gradeFlagged(1, 0);
  toDecide = await site.gradeFlagged(1, 1);
  // An item its bench did not hold for review, delivered by a bench that reports by hand.
  const cred = await enrolBenchAtHub(site, 'BENCH-K');
  const gradedAt = new Date(Date.now() - 60_000).toISOString();
  const event = {
    idempotencyKey: randomUUID(),
    aggregateType: 'item',
    aggregateId: notHeld.itemId,
    sequence: 1,
    occurredAt: gradedAt,
    type: 'item.graded',
    payload: { ...itemGraded('P-K-1', 1).payload, itemId: notHeld.itemId, lpn: notHeld.lpn, stationId: 'BENCH-K', gradedAt, operatorId: site.operators.staff.id, heldForReview: false },
  } as WmsEvent;
  const res = await fetch(site.hub.url + '/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${cred.token}` },
    body: JSON.stringify({ stationId: 'BENCH-K', events: [event] }),
  });
  expect(res.status).toBe(200);
}, 240_000);

afterAll(async () => {
  await site?.close();
});

async function language(page: Page, to: 'ja' | 'en'): Promise<void> {
  await page.getByRole('button', { name: to === 'ja' ? '日本語' : 'English' }).click();
  await page.locator(`[data-testid="app"][data-language="${to}"]`).waitFor();
  await page.evaluate('document.activeElement?.blur()');
}

describe('an LPN scanned on the hub UI’s Review screen', () => {
  let page: Page;
  beforeAll(async () => {
    page = await site.hubPage('en');
    await signInAtHub(page, site.sample.operators.lead.badge, site.sample.operators.lead.pin);
  }, 60_000);

  it('opens a waiting item of any bench in the site queue (the label read in any case)', async () => {
    await wedgeScan(page, waiting.lpn.toLowerCase());
    const detail = page.locator('[data-testid="review-detail"][data-status="pending"]');
    await detail.waitFor();
    await eventually(() => detail.locator('h3').textContent(), (v) => expect(v).toBe(waiting.lpn));
    expect(await page.getByTestId('notice').count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir(), 'site-scan-open-en.png') });
  });

  it('says a decided item is decided, with its bench and who decided, in both languages', async () => {
    await wedgeScan(page, toDecide.lpn);
    await eventually(() => page.locator('[data-testid="review-detail"] h3').textContent(), (v) => expect(v).toBe(toDecide.lpn));
    await page.getByTestId('review-approve').click();
    await page.locator('[data-testid="review-detail"][data-status="approved"]').waitFor();
    await wedgeScan(page, toDecide.lpn);
    const card = page.getByTestId('review-not-waiting');
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('approved');
    await eventually(() => card.locator('h3').textContent(), (v) => expect(v).toBe(`${toDecide.lpn} is not waiting for review: Approved.`));
    expect(await page.getByTestId('item-found-review').textContent()).toContain(`by ${site.sample.operators.lead.name}`);
    expect(await page.getByTestId('item-found-graded').textContent()).toContain('at BENCH-B');
    await page.screenshot({ path: join(screenshotDir(), 'site-scan-decided-en.png') });
    await language(page, 'ja');
    await eventually(() => card.locator('h3').textContent(), (v) => expect(v).toBe(`${toDecide.lpn} はレビュー待ちではありません：承認済み。`));
    expect(await page.getByTestId('item-found-graded').textContent()).toContain('（BENCH-B）');
    await page.screenshot({ path: join(screenshotDir(), 'site-scan-decided-ja.png') });
    await language(page, 'en');
    await page.keyboard.press('Escape');
    await expect.poll(() => card.count()).toBe(0);
  });

  it('says an item its bench did not hold needs no review', async () => {
    await wedgeScan(page, notHeld.lpn);
    const card = page.locator('[data-testid="review-not-waiting"][data-status="none"]');
    await card.waitFor();
    await eventually(() => card.locator('h3').textContent(), (v) => expect(v).toBe(`${notHeld.lpn} is not waiting for review: Not needed.`));
    await page.keyboard.press('Escape');
    await expect.poll(() => card.count()).toBe(0);
  });

  it('says no bench of the site graded an unknown LPN, in both languages', async () => {
    await wedgeScan(page, 'LPN-BENCHB-9999999');
    const text = page.getByTestId('notice-text');
    await eventually(() => text.textContent(), (v) => expect(v).toContain('No item with the label LPN-BENCHB-9999999 has reached the site hub from any bench'));
    await page.screenshot({ path: join(screenshotDir(), 'site-scan-unknown-en.png') });
    await language(page, 'ja');
    await eventually(() => text.textContent(), (v) => expect(v).toContain('ラベル LPN-BENCHB-9999999 の商品は、サイトのどの作業台からもサイトハブに届いていません'));
    await page.screenshot({ path: join(screenshotDir(), 'site-scan-unknown-ja.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => text.count()).toBe(0);
  });
});

describe('an LPN of another bench scanned on a bench’s Review screen', () => {
  it('opens it from the hub in the site queue', async () => {
    const page = await site.benchPage(0, 'en');
    await signIn(page, site.sample.operators.lead.badge, site.sample.operators.lead.pin);
    await openScreen(page, 'review');
    await page.locator('[data-testid="scope-note"][data-scope="site"]').waitFor();
    await wedgeScan(page, waiting.lpn);
    const detail = page.locator('[data-testid="review-detail"][data-status="pending"]');
    await detail.waitFor();
    await eventually(() => detail.locator('h3').textContent(), (v) => expect(v).toBe(waiting.lpn));
    expect(await page.getByTestId('notice').count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir(), 'site-scan-bench-en.png') });
    await page.context().close();
  });
});

describe('a failure inside the hub, at a bench’s Review screen', () => {
  it('is said in both languages with the hub’s reference, not answered from the bench’s own copy as if the hub were away', async () => {
    const page = await site.benchPage(0, 'en');
    await signIn(page, site.sample.operators.lead.badge, site.sample.operators.lead.pin);
    // The hub's queue table is gone for a moment: the hub answers the bench's review.list with its own failure.
    await site.hub.pool.query('ALTER TABLE site_review_items RENAME TO site_review_items_away');
    try {
      await openScreen(page, 'review');
      const text = page.getByTestId('notice-text');
      await eventually(() => text.first().textContent(), (v) => expect(v).toMatch(/^Something went wrong inside the site hub\. Try again; if it happens again, tell IT the reference [0-9a-f]{8}\.$/));
      // Not the bench's own copy under a "this bench only" note.
      expect(await page.locator('[data-testid="scope-note"][data-scope="bench"]').count()).toBe(0);
      // Nor an empty queue: the list did not load, which is not "nothing waiting".
      expect(await page.getByTestId('review-empty').count()).toBe(0);
      await page.screenshot({ path: join(screenshotDir(), 'site-bench-hub-failed-en.png') });
      await language(page, 'ja');
      await eventually(() => text.first().textContent(), (v) => expect(v).toContain('サイトハブ内部でエラーが起きました'));
      await page.screenshot({ path: join(screenshotDir(), 'site-bench-hub-failed-ja.png') });
    } finally {
      await site.hub.pool.query('ALTER TABLE site_review_items_away RENAME TO site_review_items');
    }
    await page.context().close();
  });
});
