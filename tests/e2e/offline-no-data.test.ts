// Issue 11, point 8: a fresh station that cannot reach its WMS has no returns to match. A valid tracking
// number then says so (not "no return matches") and offers the blind-return path; the sync bar speaks Japanese.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';
import { ja } from '../../renderer/src/i18n/ja.js';
import { signIn, startBench, wedgeScan, type Bench } from './harness.js';

let bench: Bench;
let page: Page;

beforeAll(async () => {
  // Port 1 on loopback: nothing listens, so every sync round fails as "cannot reach".
  bench = await startBench({ env: { RS_WMS_URL: 'http://127.0.0.1:1', RS_WMS_TOKEN: 'offline-test-token' } });
  page = await bench.newPage({ language: 'ja' });
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

describe('offline with no reference data', () => {
  it('a valid tracking number says the station has no data yet and is offline, and offers the blind-return path', async () => {
    await signIn(page, bench.sample.operators.staff.badge, bench.sample.operators.staff.pin);
    const tracking = makeTrackingNumber('yamato', '12312312312');
    await wedgeScan(page, tracking);
    await page.getByTestId('notice').waitFor();
    const text = (await page.getByTestId('notice-text').textContent()) ?? '';
    expect(text).toBe(ja.error.noReferenceDataOffline.replace('{{code}}', tracking));
    expect(text).not.toBe(ja.error.noRmaForCode.replace('{{code}}', tracking));
    await page.getByTestId('blind-start').click();
    await page.getByTestId('blind-search').waitFor();
  });

  it('the sync bar shows the WMS error in the operator language', async () => {
    const error = page.getByTestId('sync-last-error');
    await error.waitFor();
    await expect(error.getAttribute('data-key')).resolves.toBe('sync.error.network');
    const shown = (await error.textContent()) ?? '';
    expect(shown).toContain('WMS（http://127.0.0.1:1）に接続できません');
    expect(shown).not.toContain('Cannot reach');
  });
});
