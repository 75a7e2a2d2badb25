// `npm run screenshots`: every screen in Japanese and English, saved to docs/screenshots/.
// Drives the real app in the browser preview (built renderer in dist/renderer) like an operator.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { demoTotes, UNKNOWN_RMA, type DemoTote } from '../fixtures/demo-data/manifests.js';
import { closeParcel, humanType, kanaWedgeScan, openScreen, signIn, signOut, startBench, waitFor, waitForPageTruthy, wedgeScan, type Bench } from '../tests/e2e/harness.js';

const OUT = resolve('docs/screenshots');

async function shot(page: Page, lang: string, name: string): Promise<void> {
  // Let sounds/fonts/images settle: the label preview is an <img> that decodes asynchronously.
  // Runs in the page; a string because the Node-side tsconfig has no DOM types.
  await page.evaluate(`(async () => {
    await document.fonts.ready;
    await Promise.all([...document.images].map((img) => (img.complete ? null : img.decode().catch(() => null))));
  })()`);
  const file = join(OUT, `${lang}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`saved ${file}`);
}

async function drive(bench: Bench, lang: 'ja' | 'en', rmaIndex: number): Promise<void> {
  const rma = bench.data.rmas[rmaIndex];
  if (!rma) throw new Error(`no RMA #${rmaIndex} in the demo data`);
  const line = rma.lines[0];
  const product = bench.data.products.find((p) => p.sku === line?.sku);
  if (!line || !product) throw new Error(`RMA ${rma.rmaNumber} has no product for its first line`);
  const op = bench.sample.operators.staff;

  const page = await bench.newPage({ language: lang });
  await page.getByTestId('signin-badge').waitFor();
  await shot(page, lang, '01-sign-in');

  await wedgeScan(page, op.badge);
  await page.getByTestId('signin-pin').waitFor();
  await humanType(page, '0000');
  await page.keyboard.press('Enter');
  await page.getByTestId('notice').waitFor();
  await shot(page, lang, '02-sign-in-wrong-pin');

  await humanType(page, op.pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('screen-intake').waitFor();
  await shot(page, lang, '03-scan-parcel');

  await wedgeScan(page, bench.sample.unknownTrackingNumber);
  await page.getByTestId('notice').waitFor();
  await shot(page, lang, '04-parcel-not-found');

  await page.getByTestId('blind-start').click();
  await page.getByTestId('blind-query').fill(rma.orderNumber);
  await page.getByTestId('blind-search-submit').click();
  await page.getByTestId('blind-candidate').first().waitFor();
  await shot(page, lang, '04a-blind-search');
  await page.getByTestId('blind-cancel').click();

  await kanaWedgeScan(page, 'ぬふあうえおやゆよ');
  await page.locator('[data-testid="notice"][data-code="SCANNER"]').waitFor();
  await shot(page, lang, '04b-scanner-kana-mode');

  await wedgeScan(page, rma.trackingNumber);
  await page.getByTestId('parcel-header').waitFor();
  await shot(page, lang, '05-parcel-open');

  await wedgeScan(page, product.gtin.slice(1));
  await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
  await shot(page, lang, '06-grade');
  await page.keyboard.press('2');
  await page.locator('[data-testid="grade-panel"]:not([data-question="packaging"])').waitFor();
  await shot(page, lang, '06b-grade-question');
  // The likely answers from here on: Enter until the station has graded it.
  for (let i = 0; i < 12 && (await page.getByTestId('result-panel').count()) === 0; i++) {
    await page.keyboard.press('Enter');
    await page.waitForTimeout(250);
  }
  await page.getByTestId('result-panel').waitFor();
  await page.locator('[data-testid="sync-pending"][data-count="0"]').waitFor({ timeout: 20_000 }).catch(() => undefined);
  await shot(page, lang, '07-result');

  // Containers: K, the disposition's number, the label; then the label again sorts the item in.
  const disposition = (await page.getByTestId('result-panel').getAttribute('data-disposition')) ?? 'restock';
  const bin = `BIN-${lang.toUpperCase()}-1`;
  await page.keyboard.press('k');
  await page.locator('[data-testid="containers-panel"][data-mode="open"]').waitFor();
  await shot(page, lang, '07a-container-pick');
  await page.keyboard.press(String(['restock', 'resale', 'repair', 'disposal', 'quarantine'].indexOf(disposition) + 1));
  await wedgeScan(page, bin);
  await page.locator(`[data-testid="container-row"][data-label="${bin}"]`).waitFor();
  await wedgeScan(page, bin);
  await page.locator('[data-testid="container-last"][data-kind="sorted"]').waitFor();
  await page.keyboard.press('r');
  await page.getByTestId('reprint-status').waitFor();
  await shot(page, lang, '07b-container-sorted-reprint');

  let wrongLpn = '';
  const other = bench.data.products.find((p) => !rma.lines.some((l) => l.sku === p.sku));
  if (other) {
    await wedgeScan(page, other.gtin.slice(1));
    await page.getByTestId('unexpected-offer').waitFor();
    await shot(page, lang, '08-item-not-on-return');
    await page.keyboard.press('1');
    await page.getByTestId('grade-panel').waitFor();
    await page.keyboard.press('c');
    await page.locator('[data-testid="photo-capture"][data-camera="on"]').waitFor();
    await waitForPageTruthy(page, `document.querySelector('.camera-video')?.videoWidth > 0`);
    await page.keyboard.press(' ');
    await page.locator('[data-testid="photo-capture"][data-count="1"]').waitFor();
    await shot(page, lang, '09-photo');
    await page.keyboard.press('Enter');
    await page.getByTestId('result-panel').waitFor();
    wrongLpn = (await page.getByTestId('result-lpn').textContent()) ?? '';
  }
  // F8 closes; with lines still unreceived the station asks first (Y confirms).
  await page.keyboard.press('F8');
  if (await page.getByTestId('close-confirm').waitFor({ timeout: 3000 }).then(() => true, () => false)) {
    await shot(page, lang, '10a-close-confirm');
    await page.keyboard.press('y');
  }
  await page.getByTestId('parcel-outcomes').waitFor();
  await shot(page, lang, '10-parcel-closed');

  // A blind return with nothing known but a name, for the lead to link to its RMA later (13-sync).
  await page.getByTestId('manual-code').fill(`BLIND-${lang.toUpperCase()}-1`);
  await page.getByTestId('manual-submit').click();
  await page.getByTestId('blind-start').click();
  await page.getByTestId('blind-query').fill('ZZZ no such customer');
  await page.getByTestId('blind-search-submit').click();
  await page.getByTestId('blind-source').waitFor();
  await page.getByTestId('blind-known-customerName').fill('山田 花子');
  await page.getByTestId('blind-receive').click();
  await page.getByTestId('parcel-header').waitFor();
  await closeParcel(page, { confirm: true });

  await openScreen(page, 'devices');
  await wedgeScan(page, product.gtin.slice(1));
  await page.getByTestId('scan-row').first().waitFor();
  await shot(page, lang, '11-devices');
  // A label held back by a printer out of paper, waiting in the queue with its state.
  bench.printer.setStatus({ paperOut: true });
  await page.getByTestId('reprint-lpn').fill(wrongLpn || 'LPN-BENCH01-0000001');
  await page.getByTestId('reprint-lpn-submit').click();
  await page.getByTestId('print-job').first().waitFor({ timeout: 5000 }).catch(() => undefined);
  await page.getByTestId('print-queue').scrollIntoViewIfNeeded();
  await shot(page, lang, '11a-print-queue');
  bench.printer.setStatus({ paperOut: false });

  await signOut(page);
  const sup = bench.sample.operators.supervisor;
  await signIn(page, sup.badge, sup.pin);
  await openScreen(page, 'review');
  // The wrong item (photographed above) when there is one, so the detail shows a thumbnail.
  const withPhoto = wrongLpn ? page.locator('[data-testid="review-row"]', { hasText: wrongLpn }).getByTestId('review-open') : page.getByTestId('review-open').first();
  await withPhoto.click();
  await page.getByTestId('review-detail').locator('dl').first().waitFor();
  await page.locator('[data-testid="review-photo"] img').first().waitFor({ timeout: 5000 }).catch(() => undefined);
  await shot(page, lang, '12-review');
  await openScreen(page, 'sync');
  await page.getByTestId('unlinked-parcels').waitFor();
  await page.waitForTimeout(500);
  await shot(page, lang, '13-sync');
  await openScreen(page, 'reports');
  await page.getByTestId('report-items').waitFor();
  await shot(page, lang, '14-reports');
  await openScreen(page, 'dashboard');
  await page.getByTestId('chart-hourly').locator('svg').waitFor();
  await shot(page, lang, '15-dashboard');
  await openScreen(page, 'rules');
  await page.getByTestId('rules-dry-run').click();
  await page.getByTestId('dry-run-result').waitFor();
  await shot(page, lang, '16-rules');
  await page.getByTestId('rules-mode-json').click();
  await shot(page, lang, '16b-rules-json');
  await page.context().close();
}

/**
 * Issue 17: a consolidated tote received at a 1024×768 bench, closed with its reconciliation, and the lead's flags.
 * Japanese: the demo's first tote (one bag missing, one stray from another tote). English: the tote whose manifest
 * names an RMA the station does not know.
 */
async function driveTote(bench: Bench, lang: 'ja' | 'en', tote: DemoTote): Promise<void> {
  const { toteId } = tote.manifest;
  // The station pulls manifests after the RMAs; scanning the label before that is refused.
  await waitFor(`the manifest of ${toteId}`, () => {
    const db = new Database(join(bench.dataDir, 'station.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM manifest_bags WHERE tote_id = ?').get(toteId) as { n: number }).n > 0;
    } finally {
      db.close();
    }
  }, 60_000);
  const page = await bench.newPage({ language: lang, width: 1024, height: 768 });
  await signIn(page, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
  await wedgeScan(page, toteId);
  const panel = page.locator(`[data-testid="tote-panel"][data-tote="${toteId}"]`);
  await panel.waitFor();
  const unknownBag = tote.manifest.bags.find((b) => b.rmaNumber === UNKNOWN_RMA)?.bagCode;
  const bags = lang === 'ja' ? tote.arrives : [...tote.arrives.filter((b) => b !== unknownBag).slice(0, 3), ...(unknownBag ? [unknownBag] : [])];
  for (const bag of bags) {
    await wedgeScan(page, bag);
    if (bag === unknownBag) {
      // No return to open: the bag line and the notice say the RMA is unknown here.
      await page.locator('[data-testid="tote-notice"]').waitFor();
    } else {
      // After the full walk one of these returns may already be received: the station says so, Escape goes on.
      await page.locator('[data-testid="parcel-header"], [data-testid="already-received"]').first().waitFor();
      if ((await page.getByTestId('already-received').count()) > 0) await page.keyboard.press('Escape');
      else await closeParcel(page, { confirm: true });
    }
    await panel.locator(`[data-testid="tote-bag"][data-bag="${bag}"]:not([data-state="expected"])`).waitFor();
  }
  await shot(page, lang, '17-tote');
  await page.keyboard.press('F8');
  await page.getByTestId('tote-close-confirm').waitFor();
  await page.keyboard.press('y');
  await page.locator(`[data-testid="tote-panel"][data-tote="${toteId}"][data-status="closed"]`).waitFor();
  await shot(page, lang, '17-tote-closed');
  await signOut(page);
  await signIn(page, bench.sample.operators.lead.badge, bench.sample.operators.lead.pin);
  await openScreen(page, 'review');
  await page.locator(`[data-testid="tote-flag"][data-tote="${toteId}"]`).first().waitFor();
  await shot(page, lang, '17-tote-flags');
  await page.context().close();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // `--only totes`: just the tote screens (issue 17), without the long walk through every other screen.
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const bench = await startBench({ staticDir: resolve('dist/renderer') });
  try {
    if (only !== 'totes') {
      await drive(bench, 'ja', 0);
      await drive(bench, 'en', 1);
    }
    const totes = demoTotes(bench.data);
    const first = totes[0];
    const withUnknown = totes.find((t) => t.manifest.bags.some((b) => b.rmaNumber === UNKNOWN_RMA));
    if (!first || !withUnknown) throw new Error('the demo data has too few totes');
    await driveTote(bench, 'ja', first);
    await driveTote(bench, 'en', withUnknown);
  } finally {
    await bench.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
