// `npm run site -- --benches 3` in a test: the demo WMS, the hub (embedded PostgreSQL) and three bench previews
// as their own processes, one Chromium tab on each bench. An operator at each tab grades a different return
// on the screen (scan the parcel, scan the item, answer, close); the demo WMS's own database must then hold
// every event of each return exactly once, in order, sent in its bench's name through the hub.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { eventStats } from '../../fixtures/demo-wms/store.js';
import { startSite, type Site } from '../../hub/site.js';
import { CHROMIUM_ARGS, closeParcel, eventually, productOf, signIn, wedgeScan } from './harness.js';

const RMAS = 60;
// The demo WMS's CLI seeds 200 products and RMAS RMAs from seed 42: the same data, known here.
const data = generateDemoData({ seed: 42, products: 200, rmas: RMAS });
const staff = data.operators.find((o) => o.role === 'staff')!;
let dir: string;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-site-3tabs-'));
  chmodSync(dir, 0o755);
  // As `npm run site` does on a fresh clone: the first bench builds the app screens into dist/ when they are
  // missing or older than their sources (a clean checkout in CI has none), the others wait for it.
  site = await startSite({ benches: 3, dataDir: dir, siteId: 'SITE-E2E', rmas: RMAS });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function openTab(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  await context.addInitScript(`localStorage.setItem('rs.scanner', ${JSON.stringify(JSON.stringify({ maxGapMs: 120, prefix: ['F9'] }))});`);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await page.getByTestId('app').waitFor();
  return page;
}

describe('a site in three browser tabs', () => {
  it('grades one return in each tab and the demo WMS gets each event exactly once, through the hub', async () => {
    const returns = data.rmas.filter((r) => r.status === 'open' && r.lines.length === 1 && r.lines[0]!.qty === 1 && productOf(data, r.lines[0]!.sku).priceJpy < 50_000).slice(0, 3);
    expect(returns).toHaveLength(3);
    const tabs = await Promise.all(site.benches.map((b) => openTab(b.url)));

    // One tab after the other: the three benches stay up and signed in together, but a loaded CI machine
    // timed out waiting for a closed parcel when three processes and three pages all worked at once.
    for (const [i, page] of tabs.entries()) {
      const rma = returns[i]!;
      await signIn(page, staff.badge, staff.pin);
      await wedgeScan(page, rma.trackingNumber);
      await page.getByTestId('parcel-header').waitFor();
      await wedgeScan(page, productOf(data, rma.lines[0]!.sku).gtin.slice(1));
      await page.locator('[data-testid="grade-panel"][data-question="packaging"]').waitFor();
      await page.keyboard.press('s');
      await page.getByTestId('result-panel').waitFor();
      await closeParcel(page, { confirm: false });
    }

    const wms = new Database(site.wmsDbFile, { readonly: true });
    try {
      const rowsOf = (rmaNumber: string): { type: string; station: string }[] =>
        wms
          .prepare(
            `SELECT type, station_id AS station FROM events WHERE json_extract(payload, '$.parcelId') IN
               (SELECT json_extract(payload, '$.parcelId') FROM events WHERE type = 'parcel.received' AND json_extract(payload, '$.rmaNumber') = ?) ORDER BY seq`,
          )
          .all(rmaNumber) as { type: string; station: string }[];
      await eventually(
        async () => returns.map((r) => rowsOf(r.rmaNumber)),
        (all) => {
          all.forEach((rows, i) => {
            // The parcel's events and its item's (an aggregate of its own): each once.
            expect(rows.map((r) => r.type).sort()).toEqual(['item.graded', 'parcel.closed', 'parcel.received']);
            expect(new Set(rows.map((r) => r.station))).toEqual(new Set([site.benches[i]!.stationId]));
          });
        },
        60_000,
      );
      expect(eventStats(wms)).toMatchObject({ applied: 9, distinctKeys: 9, duplicated: 0, outOfOrder: 0 });
    } finally {
      wms.close();
    }
  }, 240_000);
});
