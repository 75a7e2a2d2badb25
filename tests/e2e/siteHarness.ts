// Issue 15, shared by tests/e2e/site-review.test.ts and `npm run screenshots:site`: a site for real — the
// demo WMS, the site hub (embedded PostgreSQL) serving the hub UI, and benches (browser previews) delivering
// through it — with Debian's Chromium for the hub UI and a bench's screen.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import type { OperatorSummary, Rma } from '../../contract/index.js';
import { demoSample, generateDemoData, type DemoData, type DemoSample } from '../../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';
import { startPreview, type RunningPreview } from '../../preview/server.js';
import { CHROMIUM_ARGS, humanType, productOf, wedgeScan } from './harness.js';
import { startTcpProxy, type TcpProxy } from './tcpProxy.js';

const DEMO_SEED = 42;
const DEMO_RMAS = 60;

export interface Site {
  hub: Hub;
  wms: DemoWms;
  benches: RunningPreview[];
  /** Each bench's TCP 9100 label printer (a recording simulator), by bench index. */
  printers: TcpPrinterSim[];
  browser: Browser;
  data: DemoData;
  sample: DemoSample;
  /** The site's operators, enrolled at the hub with the demo badges and PINs. */
  operators: Record<'staff' | 'lead' | 'supervisor', OperatorSummary>;
  admin(path: string, body: unknown): Promise<{ status: number; json: unknown }>;
  /** With `proxied`: the relay the benches and the hub UI reach the hub through, to cut and restore. */
  hubLink: TcpProxy | null;
  /** A fresh browser page at the hub UI, signed out. */
  hubPage(language?: 'ja' | 'en'): Promise<Page>;
  /** A fresh browser page at a bench, signed out. */
  benchPage(bench: number, language?: 'ja' | 'en'): Promise<Page>;
  /** Grades one item of an RMA returned as damaged as grade N at a bench: flagged, so held for review. Returns its id and LPN. */
  gradeFlagged(bench: number, nth: number): Promise<{ itemId: string; lpn: string; disposition: string }>;
  close(): Promise<void>;
}

type Answer = { ok: true; value: unknown } | { ok: false; error: { messageKey: string; message: string } };
async function ok<T>(p: Promise<Answer>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.messageKey}: ${r.error.message}`);
  return r.value as T;
}

export async function startSite(options: { benches: string[]; idleMs?: number; proxied?: boolean }): Promise<Site> {
  const tmp = mkdtempSync(join(tmpdir(), 'rs-e2e-site-'));
  // As root the embedded PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(tmp, 0o755);
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(tmp, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const staticDir = join(tmp, 'renderer');
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn', build: { outDir: staticDir, emptyOutDir: true, sourcemap: false } });
    const data = generateDemoData({ seed: DEMO_SEED, rmas: DEMO_RMAS });
    const sample = demoSample(data);
    const wms = await startDemoWms({ dbFile: join(tmp, 'wms.sqlite'), token: 'wms-token-site-e2e', seed: { products: data.products, rmas: data.rmas } });
    cleanups.push(() => wms.close());
    const hub = await startHub({
      siteId: 'SITE-E2E',
      dataDir: join(tmp, 'hub'),
      wms: { url: wms.url, token: wms.token, timeoutMs: 3000 },
      relay: { intervalMs: 1000 },
      site: { staticDir, ...(options.idleMs ? { idleMs: options.idleMs } : {}) },
      log: () => undefined,
    });
    cleanups.push(() => hub.close());
    await hub.reference.pullNow();
    const hubLink = options.proxied ? await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(hub.url).port) }) : null;
    if (hubLink) cleanups.push(() => hubLink.close());
    const hubUrl = hubLink?.url ?? hub.url;
    const admin = async (path: string, body: unknown) => {
      const res = await fetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.adminToken}` }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as unknown };
    };
    const operators = {} as Site['operators'];
    for (const role of ['staff', 'lead', 'supervisor'] as const) {
      const op = sample.operators[role];
      const r = await admin('/admin/v1/operators', { badge: op.badge, name: op.name, role, pin: op.pin });
      if (r.status !== 200) throw new Error(`enrolling ${op.badge} at the hub: ${JSON.stringify(r.json)}`);
      operators[role] = r.json as OperatorSummary;
    }
    const benches: RunningPreview[] = [];
    const printers: TcpPrinterSim[] = [];
    for (const stationId of options.benches) {
      const { code } = (await admin(HUB_PATHS.adminCodes, { stationId })).json as { code: string };
      const res = await fetch(hub.url + HUB_PATHS.enrol, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      const cred = (await res.json()) as BenchCredential;
      const printer = await startTcpPrinterSim({ mode: 'zpl' });
      cleanups.push(() => printer.close());
      printers.push(printer);
      const preview = await startPreview({
        dataDir: join(tmp, stationId),
        port: 0,
        staticDir,
        demoRmas: DEMO_RMAS,
        env: { RS_EXPORTS_DIR: tmpdir(), RS_HUB_URL: hubUrl, RS_HUB_TOKEN: cred.token, RS_STATION_ID: stationId },
        printer: { transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zpl', timeoutMs: 3000 },
        log: () => undefined,
      });
      cleanups.push(() => preview.close());
      benches.push(preview);
    }
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());

    const newPage = async (url: string, language: 'ja' | 'en' = 'ja'): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: language === 'en' ? 'en-US' : 'ja-JP', timezoneId: 'Asia/Tokyo' });
      // As the bench harness: a scanner programmed with a prefix key, and the language chosen.
      await context.addInitScript(`localStorage.setItem('rs.scanner', ${JSON.stringify(JSON.stringify({ maxGapMs: 120, prefix: ['F9'] }))});`);
      await context.addInitScript(`localStorage.setItem('rs.language', ${JSON.stringify(JSON.stringify({ state: { language }, version: 0 }))});`);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(url);
      await page.getByTestId('app').waitFor();
      return page;
    };

    // RMAs returned as damaged: grading one N raises a flag, so the item waits for a lead.
    const damaged: Rma[] = data.rmas.filter((r) => r.status === 'open' && r.lines[0]?.reason === 'damaged');
    return {
      hub,
      wms,
      benches,
      printers,
      browser,
      data,
      sample,
      operators,
      admin,
      hubLink,
      hubPage: (language) => newPage(hubUrl, language),
      benchPage: (i, language) => newPage(benches[i]!.url, language),
      async gradeFlagged(i, nth) {
        const station = benches[i]!.app.station;
        const rma = damaged[nth];
        if (!rma) throw new Error(`no damaged RMA number ${nth}`);
        const key = `site-grader-${i}`;
        const staff = sample.operators.staff;
        await ok(station.handle(key, 'session.signIn', { badge: staff.badge, pin: staff.pin }));
        const parcel = await ok<{ parcelId: string }>(station.handle(key, 'parcel.open', { code: rma.trackingNumber }));
        const product = productOf(data, rma.lines[0]!.sku);
        const match = await ok<{ line: { lineId: string } }>(station.handle(key, 'parcel.matchItem', { parcelId: parcel.parcelId, code: product.gtin.slice(1) }));
        const graded = await ok<{ itemId: string; lpn: string; disposition: string; flags: string[] }>(
          station.handle(key, 'item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'N' }),
        );
        if (graded.flags.length === 0) throw new Error('the graded item was not flagged');
        await ok(station.handle(key, 'session.signOut', {}));
        await station.syncNow();
        return graded;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Badge + PIN at the hub UI, as a lead or supervisor does it; the hub opens on the review queue. */
export async function signInAtHub(page: Page, badge: string, pin: string): Promise<void> {
  await page.locator('html[data-scanner="ready"] [data-testid="signin-badge"]:focus').waitFor();
  await wedgeScan(page, badge);
  await page.getByTestId('signin-pin').waitFor();
  await humanType(page, pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('screen-review').waitFor();
}

/** A bench credential from the hub without a running bench (a bench that reports by hand, or never). */
export async function enrolBenchAtHub(site: Site, stationId: string): Promise<BenchCredential> {
  const { code } = (await site.admin(HUB_PATHS.adminCodes, { stationId })).json as { code: string };
  const res = await fetch(site.hub.url + HUB_PATHS.enrol, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return (await res.json()) as BenchCredential;
}
