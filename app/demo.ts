// Demo mode's parts: the seeded demo WMS, the ZPL printer simulator and the demo operators (known PINs).
// Only dev entry points load this file (the preview, `npm start` through dist-demo/, tests); the Electron main
// bundle never imports it, so a packaged app cannot start a demo part or know a demo PIN.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_OPERATORS, generateDemoData } from '../fixtures/demo-data/generate.js';
import { demoCustomerPhotos } from '../fixtures/demo-data/customerPhotos.js';
import { demoTotes } from '../fixtures/demo-data/manifests.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../fixtures/printer-sim/tcpPrinter.js';
import { startApp, type DemoParts, type RunningApp, type StartAppOptions } from './startApp.js';

export interface DemoOptions {
  /** Demo data size when the demo WMS is seeded for the first time. */
  rmas?: number;
}

export function demoParts(options: DemoOptions = {}): DemoParts<DemoWms, TcpPrinterSim> {
  return {
    async startWms(dataDir) {
      const dbFile = join(dataDir, 'demo-wms.sqlite');
      const fresh = !existsSync(dbFile);
      const data = fresh ? generateDemoData({ seed: 42, rmas: options.rmas ?? 1000 }) : null;
      return startDemoWms({
        dbFile,
        token: randomBytes(18).toString('base64url'),
        ...(data ? { seed: { products: data.products, rmas: data.rmas, blobs: demoCustomerPhotos().map((p) => p.bytes), manifests: demoTotes(data).map((t) => t.manifest) } } : {}),
      });
    },
    startPrinter: () => startTcpPrinterSim({ mode: 'zpl' }),
    operators: DEMO_OPERATORS,
  };
}

export type RunningDemoApp = RunningApp<DemoWms, TcpPrinterSim>;

/** A bench in demo mode: what the settings leave out comes from the demo parts. */
export function startDemoApp(options: Omit<StartAppOptions, 'demo'> & { demoRmas?: number }): Promise<RunningDemoApp> {
  const { demoRmas, ...rest } = options;
  return startApp({ ...rest, demo: demoParts(demoRmas ? { rmas: demoRmas } : {}) });
}
