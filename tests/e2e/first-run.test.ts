// A fresh production bench (a WMS configured, no demo mode) has no operator: the first screen enrols a
// supervisor on the bench itself, in either language, and signs them in.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { ja } from '../../renderer/src/i18n/ja.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { openScreen, screenshotDir, startBench, type Bench } from './harness.js';

let bench: Bench;
let wms: DemoWms;
let wmsDir: string;

beforeAll(async () => {
  wmsDir = mkdtempSync(join(tmpdir(), 'rs-site-wms-'));
  const data = generateDemoData({ seed: 7, rmas: 5 });
  // Stands in for the site's WMS: the station cannot tell it from a real one.
  wms = await startDemoWms({ dbFile: join(wmsDir, 'wms.sqlite'), token: 'site-wms-token-123456', seed: { products: data.products, rmas: data.rmas } });
  bench = await startBench({ production: { wms: { url: wms.url, token: wms.token } } });
}, 180_000);

afterAll(async () => {
  await bench?.close();
  await wms?.close();
  if (wmsDir) rmSync(wmsDir, { recursive: true, force: true });
});

describe('first start of a production bench', () => {
  it('shows the first-run enrolment in both languages, never the sign-in, and no demo badge', async () => {
    for (const [language, dict] of [['ja', ja], ['en', en]] as const) {
      const page = await bench.newPage({ language, width: 1280, height: 860 });
      await page.getByTestId('screen-first-run').waitFor();
      expect(await page.getByTestId('screen-signin').count()).toBe(0);
      expect(await page.getByTestId('prompt').textContent()).toBe(dict.firstRun.title);
      expect(await page.getByText(dict.sync.demo).count()).toBe(0);
      await page.getByTestId('first-run-badge').fill('SUP-0001');
      await page.getByTestId('first-run-name').fill(language === 'ja' ? '山田 太郎' : 'Taro Yamada');
      await page.getByTestId('first-run-pin').fill('908172');
      await page.getByTestId('first-run-pin-repeat').fill('908173');
      // Typed twice and different: said at once, and the button stays off.
      expect(await page.getByTestId('first-run-pins-differ').textContent()).toBe(dict.firstRun.pinsDiffer);
      expect(await page.getByTestId('first-run-submit').isDisabled()).toBe(true);
      await page.screenshot({ path: join(screenshotDir(), `${language}-00-first-run.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('enrols the supervisor, signs them in, and from then on the bench shows the sign-in', async () => {
    const page = await bench.newPage({ language: 'en' });
    await page.getByTestId('first-run-badge').fill('SUP-0001');
    await page.getByTestId('first-run-name').fill('Taro Yamada');
    await page.getByTestId('first-run-pin').fill('908172');
    await page.getByTestId('first-run-pin-repeat').fill('908172');
    await page.getByTestId('first-run-submit').click();
    expect(await page.getByTestId('header-role').textContent()).toBe(en.header.role.supervisor);

    // The supervisor enrols the rest of the bench, and can take a badge out of use.
    await openScreen(page, 'operators');
    await page.getByTestId('enrol-badge').fill('ST-0042');
    await page.getByTestId('enrol-name').fill('Aoi Kimura');
    await page.getByTestId('enrol-pin').fill('5566');
    await page.getByTestId('enrol-pin-repeat').fill('5566');
    await page.getByTestId('enrol-submit').click();
    const row = page.getByTestId('operator-ST-0042');
    await row.waitFor();
    expect(await row.textContent()).toContain(en.operators.active);
    await page.getByTestId('operator-toggle-ST-0042').click();
    await row.getByText(en.operators.disabled).waitFor();
    // Nobody disables their own badge: the supervisor's row has no such button.
    expect(await page.getByTestId('operator-toggle-SUP-0001').count()).toBe(0);
    await page.context().close();

    const next = await bench.newPage({ language: 'en' });
    await next.getByTestId('screen-signin').waitFor();
    expect(await next.getByTestId('screen-first-run').count()).toBe(0);
    await next.context().close();
  });
});
