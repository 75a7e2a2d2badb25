// Issue 15 (wt-15r) in Chromium: a supervisor at the hub UI sees the benches at a glance (what the bench
// reported of itself), the site dashboard updating live when a bench grades (PostgreSQL NOTIFY → WebSocket),
// the site report with its bench column, downloads the site CSV, and is told why a ten-year range is refused; a
// download asked for after the hub ended the session goes back to sign-in rather than saving the hub's refusal.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSinceYesterday } from './harness.js';
import { signInAtHub, startSite, type Site } from './siteHarness.js';

let site: Site;
let hub: Page;

beforeAll(async () => {
  site = await startSite({ benches: ['BENCH-A'] });
  await site.gradeFlagged(0, 0);
  hub = await site.hubPage('en');
  const sup = site.sample.operators.supervisor;
  await signInAtHub(hub, sup.badge, sup.pin);
}, 240_000);

afterAll(async () => {
  await site?.close();
});

describe('site reports, dashboard and benches at the hub UI', () => {
  it('lists the site screens for a supervisor, and shows each bench with what it reported', async () => {
    expect(await hub.getByTestId('nav').locator('button').allTextContents()).toEqual([
      expect.stringContaining('Review'),
      expect.stringContaining('Reports'),
      expect.stringContaining('Dashboard'),
      expect.stringContaining('Benches'),
      expect.stringContaining('Rules'),
      expect.stringContaining('Operators'),
    ]);
    await hub.getByTestId('nav-benches').click();
    const row = hub.getByTestId('bench-row-BENCH-A');
    await row.waitFor();
    expect(await row.getAttribute('data-online')).toBe('true');
    // The bench reports its rule set on its site sync (every few seconds).
    await expect.poll(async () => row.textContent(), { timeout: 20_000 }).toMatch(/version \d+/);
  });

  it('the dashboard moves when a bench grades, without a reload', async () => {
    await hub.getByTestId('nav-dashboard').click();
    const items = hub.getByTestId('kpi-items').locator('.kpi-value');
    await items.waitFor();
    await hub.getByTestId('kpi-benches-online').waitFor();
    const before = Number((await items.textContent())?.replace(/\D/g, ''));
    await site.gradeFlagged(0, 1);
    await expect.poll(async () => Number((await items.textContent())?.replace(/\D/g, '')), { timeout: 5000 }).toBe(before + 1);
  });

  it('reports every bench’s items with a bench column and downloads the site CSV', async () => {
    await hub.getByTestId('nav-reports').click();
    await reportSinceYesterday(hub);
    const benches = hub.getByTestId('report-benches');
    await benches.waitFor();
    expect(await benches.textContent()).toContain('BENCH-A');
    const [download] = await Promise.all([hub.waitForEvent('download'), hub.getByTestId('site-export-csv').click()]);
    const file = await download.path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('BENCH-A');
  });

  it('refuses a ten-year range with a message and offers no download', async () => {
    await hub.getByTestId('filter-from').fill('2016-01-01');
    await hub.getByTestId('reports-apply').click();
    await hub.getByText(/at most 366 days/).waitFor();
    expect(await hub.getByTestId('site-export-csv').count()).toBe(0);
  });

  it('a download asked for after the session ended goes back to sign-in, and saves no refusal as a file', async () => {
    await reportSinceYesterday(hub);
    await hub.getByTestId('site-export-csv').waitFor();
    // The hub ends the session (as its idle sign-out does), with the Reports screen still open.
    await site.hub.pool.query('DELETE FROM site_sessions');
    const downloads: string[] = [];
    hub.on('download', (d) => void downloads.push(d.suggestedFilename()));
    await hub.getByTestId('site-export-csv').click();
    await hub.getByTestId('screen-signin').waitFor();
    await hub.waitForTimeout(1000);
    // Before, the browser saved the hub's 401 answer as export.json and the screen said nothing.
    expect(downloads).toEqual([]);
  });
});
