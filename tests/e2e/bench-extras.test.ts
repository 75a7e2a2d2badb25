// Containers at the bench, a late RMA link for a blind return, label reprints, and review photos.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Disposition } from '../../contract/index.js';
import { DESTINATION_NAMES } from '../../contract/displayNames.js';
import { closeParcel, openScreen, signIn, signOut, startBench, wedgeScan, waitForPageTruthy, type Bench, eventually } from './harness.js';

let bench: Bench;
let page: Page;
let lpn = '';
let disposition: Disposition = 'restock';
let photoLpn = '';

beforeAll(async () => {
  bench = await startBench();
  page = await bench.newPage({ language: 'en' });
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

function gtinOf(sku: string): string {
  const p = bench.data.products.find((x) => x.sku === sku);
  if (!p) throw new Error(`no product ${sku}`);
  return p.gtin.slice(1);
}

const panel = () => page.getByTestId('containers-panel');
const row = (label: string) => page.locator(`[data-testid="container-row"][data-label="${label}"]`);

/** K, the disposition's number, then the label scan. */
async function openContainer(label: string, d: Disposition): Promise<void> {
  await page.keyboard.press('k');
  await page.locator('[data-testid="containers-panel"][data-mode="open"]').waitFor();
  await page.keyboard.press(String(Disposition.options.indexOf(d) + 1));
  await page.locator(`[data-testid="containers-panel"][data-mode="open-${d}"]`).waitFor();
  await wedgeScan(page, label);
  await row(label).waitFor();
}

describe('containers at the bench', () => {
  // Sign-in, a parcel, a grade and five scans took near 20 s with both cores busy: its own budget, not the default.
  it('opens a container for the graded item, refuses a container of another disposition, sorts and closes', async () => {
    const rma = bench.sample.multiLineRma;
    const first = rma.lines[0];
    if (!first) throw new Error('multi-line RMA without lines');
    await signIn(page, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
    await wedgeScan(page, rma.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    await wedgeScan(page, gtinOf(first.sku));
    await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
    await page.keyboard.press('1');
    await page.getByTestId('result-panel').waitFor();
    lpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    disposition = Disposition.parse(await page.getByTestId('result-panel').getAttribute('data-disposition'));
    await eventually(() => panel().getAttribute('data-mode'), (v) => expect(v).toBe('idle'));

    await openContainer('BIN-E2E-1', disposition);
    await eventually(() => row('BIN-E2E-1').getAttribute('data-disposition'), (v) => expect(v).toBe(disposition));
    const other = Disposition.options.find((d) => d !== disposition) ?? 'disposal';
    await openContainer('BIN-E2E-2', other);

    // The wrong container: the station refuses and says where the item goes.
    await wedgeScan(page, 'BIN-E2E-2');
    await page.locator('[data-testid="notice"][data-code="CONFLICT"]').waitFor();
    await eventually(() => row('BIN-E2E-2').getAttribute('data-count'), (v) => expect(v).toBe('0'));

    await wedgeScan(page, 'BIN-E2E-1');
    await page.locator('[data-testid="container-last"][data-kind="sorted"]').waitFor();
    await eventually(() => row('BIN-E2E-1').getAttribute('data-count'), (v) => expect(v).toBe('1'));
    await eventually(() => page.getByTestId('container-last').textContent(), (v) => expect(v).toContain(lpn));

    await page.keyboard.press('x');
    await page.locator('[data-testid="containers-panel"][data-mode="close"]').waitFor();
    await wedgeScan(page, 'BIN-E2E-1');
    await page.locator('[data-testid="container-last"][data-kind="closed"]').waitFor();
    await eventually(() => row('BIN-E2E-1').count(), (v) => expect(v).toBe(0));
    await eventually(() => row('BIN-E2E-2').count(), (v) => expect(v).toBe(1));
  }, 90_000);

  it('R on the result reprints the label on the printer', async () => {
    const before = (await bench.printer.waitForJobs(1, 10_000)).length;
    await page.keyboard.press('r');
    await page.locator('[data-testid="reprint-status"][data-status="printed"]').waitFor();
    const jobs = await bench.printer.waitForJobs(before + 1, 10_000);
    expect(jobs.at(-1)?.toString('utf8')).toContain(lpn);
  });

  it('a wrong item graded with a webcam photo, then the parcel closed', async () => {
    const rma = bench.sample.multiLineRma;
    const onRma = new Set(rma.lines.map((l) => l.sku));
    const stranger = bench.data.products.find((p) => !onRma.has(p.sku));
    if (!stranger) throw new Error('no product outside the RMA');
    await wedgeScan(page, stranger.gtin.slice(1));
    await page.getByTestId('unexpected-offer').waitFor();
    await page.keyboard.press('1');
    await page.getByTestId('grade-panel').waitFor();
    await page.keyboard.press('c');
    await page.locator('[data-testid="photo-capture"][data-camera="on"]').waitFor();
    await waitForPageTruthy(page, `document.querySelector('.camera-video')?.videoWidth > 0`);
    // Enter before any photo is answered, not ignored, and grades nothing.
    await page.keyboard.press('Enter');
    await page.getByTestId('photo-first').waitFor();
    expect(await page.getByTestId('result-panel').count()).toBe(0);
    await page.keyboard.press(' ');
    await page.locator('[data-testid="photo-capture"][data-count="1"]').waitFor();
    expect(await page.getByTestId('photo-first').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByTestId('result-panel').waitFor();
    photoLpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
    expect(photoLpn).not.toBe(lpn);
    await closeParcel(page, { confirm: true });
    await page.getByTestId('parcel-outcomes').waitFor();
  });

  it('a blind parcel with no candidate is received unexpected', async () => {
    await page.getByTestId('manual-code').fill('BLIND-E2E-1');
    await page.getByTestId('manual-submit').click();
    await page.getByTestId('blind-start').click();
    await page.getByTestId('blind-query').fill('ZZZ no such customer');
    await page.getByTestId('blind-search-submit').click();
    await page.getByTestId('blind-source').waitFor();
    await page.getByTestId('blind-known-customerName').fill('佐藤 次郎');
    await page.getByTestId('blind-receive').click();
    await page.getByTestId('parcel-header').waitFor();
    await closeParcel(page, { confirm: true });
  });
});

describe('leads', () => {
  it('a lead links the blind parcel to its RMA on the sync screen', async () => {
    await signOut(page);
    await signIn(page, bench.sample.operators.lead.badge, bench.sample.operators.lead.pin);
    await openScreen(page, 'sync');
    const blind = page.locator('[data-testid="unlinked-row"]', { hasText: 'BLIND-E2E-1' });
    await blind.waitFor();
    await eventually(() => blind.textContent(), (v) => expect(v).toContain('佐藤 次郎'));
    await blind.getByTestId('unlinked-rma').fill(bench.sample.multiLineRma.rmaNumber);
    await blind.getByTestId('unlinked-link').click();
    await page.locator(`[data-testid="unlinked-done"][data-rma="${bench.sample.multiLineRma.rmaNumber}"]`).waitFor();
    await eventually(() => blind.count(), (v) => expect(v).toBe(0));
  });

  it('the review detail shows the photo itself', async () => {
    await openScreen(page, 'review');
    const r = page.locator('[data-testid="review-row"]', { hasText: photoLpn });
    await r.waitFor();
    await r.getByTestId('review-open').click();
    const img = page.getByTestId('review-detail').locator('[data-testid="review-photo"] img');
    await img.waitFor();
    await eventually(() => img.getAttribute('src'), (v) => expect(v).toMatch(/^data:image\/(jpeg|png);base64,/));
    await waitForPageTruthy(page, `document.querySelector('[data-testid="review-photo"] img')?.naturalWidth > 0`);
  });

  it('the devices screen shows the print queue and reprints a label by its LPN', async () => {
    await openScreen(page, 'devices');
    // Every label printed, so nothing is left unfinished in the queue.
    await page.getByTestId('print-queue-empty').waitFor();
    const before = bench.printer.jobs.length;
    await page.getByTestId('reprint-lpn').fill(lpn.toLowerCase());
    await page.getByTestId('reprint-lpn-submit').click();
    await page.locator(`[data-testid="queue-reprint-result"][data-lpn="${lpn}"][data-status="printed"]`).waitFor();
    const jobs = await bench.printer.waitForJobs(before + 1, 10_000);
    expect(jobs.at(-1)?.toString('utf8')).toContain(lpn);
  });

  it('a label held back by a printer out of paper waits in the queue and prints from its row once paper is in', async () => {
    bench.printer.setStatus({ paperOut: true });
    await page.getByTestId('reprint-lpn').fill(photoLpn);
    await page.getByTestId('reprint-lpn-submit').click();
    await page.locator(`[data-testid="queue-reprint-result"][data-lpn="${photoLpn}"]:not([data-status="printed"])`).waitFor();
    const job = page.locator(`[data-testid="print-job"][data-lpn="${photoLpn}"]`);
    await job.waitFor();
    await eventually(() => job.getAttribute('data-state'), (v) => expect(v).not.toBe('printed'));
    // Why it waits, said from the station's key (the English page says it in English).
    const why = job.getByTestId('print-job-error');
    await eventually(() => why.getAttribute('data-key'), (v) => expect(v).toBe('printer.fault.paperOut'));
    await expect(why.textContent()).resolves.toBe('Out of labels');
    const before = bench.printer.jobs.length;
    bench.printer.setStatus({ paperOut: false });
    await job.getByTestId('job-reprint').click();
    const jobs = await bench.printer.waitForJobs(before + 1, 15_000);
    expect(jobs.at(-1)?.toString('utf8')).toContain(photoLpn);
    await page.getByTestId('print-queue-empty').waitFor();
  });
});

describe('the relabel list at the intake screen', () => {
  it('R outside the code field prints the new label of an item a lead re-routed', async () => {
    // A lead's re-route reaches a bench from the site hub; here it is put on the list in the station's own database.
    const db = new Database(join(bench.dataDir, 'station.sqlite'), { fileMustExist: true, timeout: 10_000 });
    try {
      db.prepare("UPDATE items SET relabel_since = ?, reviewed_by = 'OP-2001', review_reason = 'e2e re-route' WHERE lpn = ?").run(new Date().toISOString(), lpn);
    } finally {
      db.close();
    }
    const fresh = await bench.newPage({ language: 'en' });
    await signIn(fresh, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
    await fresh.locator('[data-testid="screen-intake"][data-step="scanParcel"]').waitFor();
    await fresh.getByTestId('relabel-row').first().waitFor({ timeout: 20_000 });
    // The new destination by its name in the screen's language, not its code (RESTOCK).
    const destination = fresh.getByTestId('relabel-destination').first();
    const code = (await destination.getAttribute('data-code')) ?? '';
    expect(DESTINATION_NAMES[code]).toBeDefined();
    await expect(destination.textContent()).resolves.toBe(DESTINATION_NAMES[code]?.en);
    await fresh.evaluate(`document.activeElement?.blur()`);
    const before = bench.printer.jobs.length;
    await fresh.keyboard.press('r');
    await fresh.locator('[data-testid="relabel-printed"][data-status="printed"]').waitFor({ timeout: 10_000 });
    const jobs = await bench.printer.waitForJobs(before + 1, 10_000);
    expect(jobs.at(-1)?.toString('utf8')).toContain(lpn);
    await fresh.context().close();
  }, 60_000);
});
