// Test support: a site on one machine for a hub test file: an embedded PostgreSQL, a demo WMS seeded with a few
// products and RMAs, and the hub relaying to it (its relay slow, so a test sends when it means to). One per file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { makeProducts, makeRmas } from '../tests/integration/sync-helpers.js';
import { startHub, type Hub, type HubOptions } from './server.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

export interface TestSite {
  /** A temp folder of the file's own (the WMS's database is in it), removed by close(). */
  dir: string;
  pg: TestPostgres;
  wms: DemoWms;
  hub: Hub;
  close(): Promise<void>;
}

export interface TestSiteOptions {
  siteId: string;
  wmsToken: string;
  products: number;
  rmas: number;
  relayIntervalMs?: number;
  log?: HubOptions['log'];
  site?: HubOptions['site'];
  /** Runs in the new folder before the hub starts (a built UI's stand-in, say); its answer is given to the hub. */
  prepare?: (dir: string) => Partial<HubOptions>;
}

export async function startTestSite(o: TestSiteOptions): Promise<TestSite> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-hub-site-'));
  const pg = await startTestPostgres();
  const wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: o.wmsToken, seed: { products: makeProducts(o.products), rmas: makeRmas(o.rmas) } });
  const extra = o.prepare?.(dir) ?? {};
  const hub = await startHub({
    siteId: o.siteId,
    databaseUrl: pg.url,
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: o.relayIntervalMs ?? 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    log: o.log ?? (() => undefined),
    ...(o.site ? { site: o.site } : {}),
    ...extra,
  });
  return {
    dir,
    pg,
    wms,
    hub,
    async close() {
      await hub.close();
      await wms.close();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
