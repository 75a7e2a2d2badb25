import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeParcel, humanType, kanaWedgeScan, startBench, waitFor, wedgeScan, waitForPageTruthy, type Bench, eventually } from './harness.js';

let bench: Bench;
let page: Page;

beforeAll(async () => {
  bench = await startBench();
  page = await bench.newPage();
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

function gradedEventFor(lpn: string): { type: string; payload: { lpn: string; grade: string } } | undefined {
  const wms = bench.preview.app.demoWms;
  if (!wms) throw new Error('the preview should run the demo WMS');
  const rows = wms.db.prepare("SELECT type, payload FROM events WHERE type = 'item.graded'").all() as { type: string; payload: string }[];
  return rows.map((r) => ({ type: r.type, payload: JSON.parse(r.payload) as { lpn: string; grade: string } })).find((e) => e.payload.lpn === lpn);
}

describe('operator path in the browser preview', () => {
  it('signs in by badge scan and PIN, opens a parcel, grades an item, prints and syncs', async () => {
    const { sample } = bench;
    const op = sample.operators.staff;

    // The page starts signed out, in Japanese, and says the WMS is the demo one.
    await eventually(() => page.getByTestId('prompt').textContent(), (v) => expect(v).toBe('社員証をスキャンしてください'));
    await page.getByTestId('demo-wms-badge').waitFor();

    await page.getByTestId('signin-badge').waitFor();
    await wedgeScan(page, op.badge);
    await eventually(() => page.getByTestId('signin-badge-read').textContent(), (v) => expect(v).toContain(op.badge));
    await signInPin(page, op.pin);
    await eventually(() => page.getByTestId('header-operator').textContent(), (v) => expect(v).toContain(op.name));

    // Parcel: the wedge scan lands in the focused code field but must not stay there.
    await wedgeScan(page, sample.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    await eventually(() => page.getByTestId('rma-number').textContent(), (v) => expect(v).toBe(sample.rmaNumber));
    await eventually(() => page.getByTestId('order-number').textContent(), (v) => expect(v).toBe(sample.orderNumber));
    await eventually(() => page.getByTestId('line-row').count(), (v) => expect(v).toBe(sample.rma.lines.length));
    await eventually(() => page.getByTestId('manual-code').inputValue(), (v) => expect(v).toBe(''));
    await eventually(() => page.getByTestId('parcel-lines').textContent(), (v) => expect(v).toContain(sample.firstLine.product.nameJa));

    // Item: scanned as the JAN-13 printed on the box.
    await wedgeScan(page, sample.firstLine.jan);
    await page.getByTestId('grade-panel').waitFor();
    await eventually(() => page.locator(`[data-line-id="${sample.firstLine.lineId}"]`).getAttribute('data-active'), (v) => expect(v).toBe('true'));

    await page.keyboard.press('b');
    const result = page.getByTestId('result-panel');
    await result.waitFor();
    const disposition = await result.getAttribute('data-disposition');
    expect(['restock', 'resale', 'repair', 'disposal', 'quarantine']).toContain(disposition);
    await eventually(() => page.getByTestId('result-disposition').textContent(), (v) => expect(v).not.toBe(''));
    await eventually(() => page.getByTestId('result-grade').textContent(), (v) => expect(v).toBe('B'));
    expect((await page.getByTestId('result-why').textContent())?.length).toBeGreaterThan(3);
    // The rule in words in the operator's language (its conditions), its id only small beside them.
    const ruleId = (await page.getByTestId('result-rule').getAttribute('data-rule-id')) ?? '';
    expect(ruleId).toMatch(/^[a-z0-9-]+$/);
    await eventually(() => page.getByTestId('result-rule-words').textContent(), (v) => expect(v).toMatch(/^ルール：\S+/));
    expect(await page.getByTestId('result-rule-words').textContent()).not.toContain(ruleId);
    expect(await page.getByTestId('result-rule').locator('.rule-id').textContent()).toContain(ruleId);
    // Beside it, whose rule set routed it: this demo bench has published none, so the shipped one.
    expect(await page.getByTestId('result-rule').locator('.rule-id').textContent()).toBe(`${ruleId} · 標準 v2`);
    expect(await page.getByTestId('result-rule').getAttribute('data-rule-set-source')).toBe('shipped');
    const lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    expect(lpn.length).toBeGreaterThan(3);

    // The label preview is an image that actually decoded.
    const label = page.getByTestId('label-preview');
    await eventually(() => label.getAttribute('src'), (v) => expect(v).toMatch(/^data:image\/svg\+xml/));
    await waitForImage(page);

    await eventually(() => page.getByTestId('print-status').getAttribute('data-status'), (v) => expect(v).toBe('printed'));
    const [job] = await bench.printer.waitForJobs(1, 10_000);
    const zpl = job?.toString('utf8') ?? '';
    expect(zpl).toContain('^XA');
    expect(zpl).toContain(lpn);

    // The outbox reaches the demo WMS, and the sync bar comes back to nothing waiting.
    const event = await waitFor('item.graded at the demo WMS', () => gradedEventFor(lpn), 20_000);
    expect(event.payload.grade).toBe('B');
    await page.locator('[data-testid="sync-pending"][data-count="0"]').waitFor({ timeout: 20_000 });
    await eventually(() => page.getByTestId('sync-online').getAttribute('data-online'), (v) => expect(v).toBe('true'));
  });

  it('says clearly when an item is not on the return, and keeps the result on screen', async () => {
    await wedgeScan(page, bench.sample.productNotOnRma.gtin.slice(1));
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    await eventually(() => notice.getAttribute('data-code'), (v) => expect(v).toBe('NOT_FOUND'));
    await eventually(() => page.getByTestId('notice-text').textContent(), (v) => expect(v).toContain(bench.sample.rmaNumber));
    await eventually(() => page.getByTestId('result-panel').isVisible(), (v) => expect(v).toBe(true));
    await eventually(() => page.getByTestId('screen-intake').getAttribute('data-step'), (v) => expect(v).toBe('result'));
  });

  it('says clearly when a parcel matches no return, in the language chosen', async () => {
    // One item graded: the rest of the return (if any) is still unreceived, so closing asks first.
    await closeParcel(page, { confirm: bench.sample.rma.lines.reduce((n, l) => n + l.qty, 0) > 1 });
    await page.getByTestId('lang-en').click();
    await page.getByTestId('manual-code').focus();
    await wedgeScan(page, bench.sample.unknownTrackingNumber);
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    const text = (await page.getByTestId('notice-text').textContent()) ?? '';
    expect(text).toContain('No return matches this code');
    expect(text).toContain(bench.sample.unknownTrackingNumber);
    await eventually(() => notice.textContent(), (v) => expect(v).toContain('Check the label'));
    await eventually(() => page.getByTestId('screen-intake').getAttribute('data-step'), (v) => expect(v).toBe('scanParcel'));
    await eventually(() => page.getByTestId('manual-code').inputValue(), (v) => expect(v).toBe(''));
  });
});

describe('scanner pitfalls', () => {
  it('a scan typed through a kana-mode IME says what is wrong instead of looking it up', async () => {
    await kanaWedgeScan(page, 'ぬふあうえおやゆよ');
    const notice = page.locator('[data-testid="notice"][data-code="SCANNER"]');
    await notice.waitFor();
    await eventually(() => notice.textContent(), (v) => expect(v).toContain('kana mode'));
    await eventually(() => page.getByTestId('screen-intake').getAttribute('data-step'), (v) => expect(v).toBe('scanParcel'));
  });
});

describe('session', () => {
  it('survives a reload of the tab and ends with sign-out', async () => {
    await page.reload();
    await page.getByTestId('screen-intake').waitFor();
    await eventually(() => page.getByTestId('header-operator').textContent(), (v) => expect(v).toContain(bench.sample.operators.staff.name));
    await page.getByTestId('sign-out').click();
    await page.getByTestId('screen-signin').waitFor();
    await eventually(() => page.getByTestId('header-operator').count(), (v) => expect(v).toBe(0));
  });
});

async function signInPin(p: Page, pin: string): Promise<void> {
  await p.getByTestId('signin-pin').waitFor();
  await humanType(p, pin);
  await p.keyboard.press('Enter');
  await p.getByTestId('screen-intake').waitFor();
}

async function waitForImage(p: Page): Promise<void> {
  // Runs in the page; a string because the Node-side tsconfig has no DOM types.
  await waitForPageTruthy(p, `(() => {
    const img = document.querySelector('[data-testid="label-preview"]');
    return img !== null && img.complete && img.naturalWidth > 0;
  })()`);
}
