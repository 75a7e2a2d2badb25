// Shared by the end-to-end tests and `npm run screenshots`: the whole app in the browser preview,
// a recording TCP 9100 printer, and Debian's Chromium driven like an operator at the bench.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Product } from '../../contract/index.js';
import { build } from 'vite';
import { demoSample, generateDemoData, type DemoData, type DemoSample } from '../../fixtures/demo-data/generate.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { startPreview, type RunningPreview } from '../../preview/server.js';
import { siteToday } from '../../renderer/src/ui/format.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // A fake webcam (a moving test pattern) granted without a prompt, for photos and camera scanning.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

/** Same seed the app uses, so the sample's tracking numbers and GTINs exist in the demo WMS. */
const DEMO_SEED = 42;
const DEMO_RMAS = 60;
const WEDGE_GAP_MS = 120;
/** The key our simulated wedge scanner sends before each code (scanners are commonly programmed with one). */
const SCANNER_PREFIX_KEY = 'F9';

export interface Bench {
  preview: RunningPreview;
  printer: TcpPrinterSim;
  browser: Browser;
  sample: DemoSample;
  data: DemoData;
  /** The station's data folder (station.sqlite lives here). */
  dataDir: string;
  /** A fresh page signed out, at the preview's URL. */
  newPage(options?: { width?: number; height?: number; language?: 'ja' | 'en' }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the renderer into a temp dir (so parallel work on dist/ does not matter) and starts everything. */
export async function startBench(
  options: {
    staticDir?: string;
    devices?: readonly unknown[];
    /** A production bench on this WMS: no demo parts, no demo operators (first start enrols a supervisor). */
    /** The bench's settings (e.g. RS_WMS_URL of a WMS that is down); none: the demo WMS. */
    env?: NodeJS.ProcessEnv;
    production?: { wms: { url: string; token: string } };
  } = {},
): Promise<Bench> {
  const tmp = mkdtempSync(join(tmpdir(), 'rs-e2e-'));
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(tmp, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    let staticDir = options.staticDir;
    if (!staticDir) {
      staticDir = join(tmp, 'renderer');
      await build({
        configFile: resolve('vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: staticDir, emptyOutDir: true, sourcemap: false },
      });
    }
    if (options.devices) {
      // The bench's device file, read by the station at start (app/devicesFile.ts).
      mkdirSync(join(tmp, 'data'), { recursive: true });
      writeFileSync(join(tmp, 'data', 'devices.json'), JSON.stringify({ devices: options.devices }));
    }
    const printer = await startTcpPrinterSim({ mode: 'zpl' });
    cleanups.push(() => printer.close());
    const preview = await startPreview({
      dataDir: join(tmp, 'data'),
      port: 0,
      staticDir,
      demoRmas: DEMO_RMAS,
      // Export folders in the tests are temp folders (not under the home folder).
      ...(options.production
        ? { demo: false, env: { RS_EXPORTS_DIR: tmpdir(), RS_WMS_URL: options.production.wms.url, RS_WMS_TOKEN: options.production.wms.token } }
        : { env: { RS_EXPORTS_DIR: tmpdir(), ...(options.env ?? {}) } }),
      printer: { transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zpl', timeoutMs: 3000 },
      log: () => undefined,
    });
    cleanups.push(() => preview.close());
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const data = generateDemoData({ seed: DEMO_SEED, rmas: DEMO_RMAS });
    const sample = demoSample(data);

    return {
      preview,
      printer,
      browser,
      sample,
      data,
      dataDir: join(tmp, 'data'),
      async newPage(o = {}) {
        const context = await browser.newContext({
          viewport: { width: o.width ?? 1280, height: o.height ?? 860 },
          locale: o.language === 'en' ? 'en-US' : 'ja-JP',
          timezoneId: 'Asia/Tokyo',
          permissions: ['camera'],
        });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        // Keystrokes sent over CDP on a busy 2-core machine arrive up to ~70 ms apart now and then;
        // a real scanner is steady. Widen the wedge's gap the way a site would for a slow scanner.
        // And program the scanner with a prefix key, as sites do: recognition then no longer hangs on timing.
        await context.addInitScript(`localStorage.setItem('rs.scanner', ${JSON.stringify(JSON.stringify({ maxGapMs: WEDGE_GAP_MS, prefix: [SCANNER_PREFIX_KEY] }))});`);
        if (o.language) {
          // A string, because this file is compiled without DOM types: it runs in the page, not here.
          const stored = JSON.stringify(JSON.stringify({ state: { language: o.language }, version: 0 }));
          await context.addInitScript(`localStorage.setItem('rs.language', ${stored});`);
        }
        await page.goto(preview.url);
        await page.getByTestId('app').waitFor();
        return page;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Where a test saves its screenshots. A test run must leave a fresh clone's tree clean, so by default they go to
 * test-results/screenshots (ignored by git, kept for a look after a run); `npm run screenshots:tests` sets
 * RS_SCREENSHOT_DIR to docs/screenshots to refresh the README's pictures on purpose.
 */
export function screenshotDir(): string {
  const dir = resolve(process.env.RS_SCREENSHOT_DIR || join('test-results', 'screenshots'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A keyboard-wedge scan: fast keystrokes and Enter, the way a scanner types. */
/** The demo catalogue's product for a SKU (the tests' RMAs name products by SKU). */
export function productOf(data: DemoData, sku: string): Product {
  const p = data.products.find((x) => x.sku === sku);
  if (!p) throw new Error(`no product ${sku}`);
  return p;
}

export async function wedgeScan(page: Page, code: string): Promise<void> {
  await page.keyboard.press(SCANNER_PREFIX_KEY);
  await page.keyboard.type(code, { delay: 4 });
  await page.keyboard.press('Enter');
}

/** A person typing: slow enough that the wedge never takes it for a scan. */
export async function humanType(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 2 * WEDGE_GAP_MS + 20 });
}

/** Goes to a screen by its nav tab and waits for it. */
export async function openScreen(page: Page, screen: string): Promise<void> {
  await page.getByTestId(`nav-${screen}`).click();
  await page.getByTestId(`screen-${screen}`).waitFor();
}

/**
 * Sets the report's period to yesterday through today (site time) and applies it. The screen opens on today, so a
 * test whose items were graded just before midnight in Tokyo (15:00 UTC) found an empty report after it.
 */
export async function reportSinceYesterday(page: Page): Promise<void> {
  const now = new Date();
  await page.getByTestId('filter-from').fill(siteToday(new Date(now.getTime() - 86_400_000)));
  await page.getByTestId('filter-to').fill(siteToday(now));
  await page.getByTestId('reports-apply').click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('screen-signin').waitFor();
}

export async function signIn(page: Page, badge: string, pin: string): Promise<void> {
  // The screen takes keys once its field has the focus (set after the first render); on a loaded machine a scan
  // sent the moment the field appears lost its first characters ("OP-1001" read as "1001").
  await page.locator('html[data-scanner="ready"] [data-testid="signin-badge"]:focus').waitFor();
  await wedgeScan(page, badge);
  await page.getByTestId('signin-pin').waitFor();
  await humanType(page, pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('screen-intake').waitFor();
}

export async function waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A scanner whose keystrokes an IME in kana mode turned into kana. Playwright types characters
 * outside the US layout with insertText (no keydown), so the keydowns are dispatched in the page.
 */
export async function kanaWedgeScan(page: Page, kana: string): Promise<void> {
  await page.evaluate(`(() => {
    const target = document.activeElement ?? document.body;
    for (const key of ${JSON.stringify([...kana])}.concat(['Enter'])) {
      target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    }
  })()`);
}

/**
 * Waits until a page expression is truthy. Polled from here with page.evaluate (a DevTools evaluation,
 * which the CSP does not govern): page.waitForFunction polls inside the page with eval, and the
 * renderer's strict script-src refuses that as soon as the first check is false.
 */
export async function waitForPageTruthy(page: Page, expression: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Closes the parcel in hand with its own key (F8; Escape never closes). A parcel with lines still
 * unreceived, or nothing graded, asks first: Y confirms.
 */
export async function closeParcel(page: Page, options: { confirm: boolean }): Promise<void> {
  await page.keyboard.press('F8');
  if (options.confirm) {
    await page.getByTestId('close-confirm').waitFor();
    await page.keyboard.press('y');
  }
  await page.locator('[data-step="scanParcel"]').waitFor();
}

/**
 * Web-first assertion: reads the page again until `check` passes (or `timeoutMs` passes, then its last failure is
 * thrown). A single read right after some other signal (a notice, a panel) raced the re-render it was about,
 * and failed on a loaded machine; this waits for the state itself.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check(await read());
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
