import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PrinterConfig } from '../contract/index.js';
import { startStation, type Station } from './station.js';
import type { OperatorSeed } from '../core/workflow/operators.js';
import { devicesFilePath, readDevicesFile } from './devicesFile.js';
import { readLaunchEnv } from './env.js';
import { pinnedFetch, readHubCa } from './hubTls.js';

// The transports (electron/, preview/) know the station only through the composition root.
export type { Station, StationListener } from './station.js';

/** A part the demo composition started on loopback, stopped with the app. */
export interface DemoService {
  close(): Promise<void>;
}
export interface DemoWmsPart extends DemoService {
  url: string;
  token: string;
}
export interface DemoPrinterPart extends DemoService {
  port: number;
}

/**
 * What demo mode adds to a bench (app/demo.ts builds it from fixtures/). This file never imports fixtures/,
 * so a bundle that does not load app/demo.ts carries no demo WMS, no simulator and no demo PIN.
 */
export interface DemoParts<W extends DemoWmsPart = DemoWmsPart, P extends DemoPrinterPart = DemoPrinterPart> {
  startWms(dataDir: string): Promise<W>;
  startPrinter(): Promise<P>;
  operators: readonly OperatorSeed[];
}

/** How often a bench behind a hub anchors its audit chain there (and once more on close). */
export const AUDIT_ANCHOR_EVERY_MS = 3 * 60_000;

/** Said instead of starting anything when a production bench has no WMS. */
export const NO_WMS_SENTENCE =
  'No WMS is configured for this station: set RS_WMS_URL and RS_WMS_TOKEN (see the Configuration section of the README), then start it again.';

export interface StartAppOptions<W extends DemoWmsPart = DemoWmsPart, P extends DemoPrinterPart = DemoPrinterPart> {
  dataDir: string;
  nativeBinding?: string;
  migrationsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides RS_PRINTER (tests point it at their own simulator). */
  printer?: PrinterConfig;
  /**
   * Demo mode: only dev entry points pass this (the preview, `npm start` with RS_DEMO=1, tests). The demo parts
   * fill what the settings leave out (WMS, printer) and enrol the demo operators on a fresh database.
   */
  demo?: DemoParts<W, P> | null;
  log?: (msg: string) => void;
  /** Where exports go until a supervisor chooses a folder (the Electron shell passes the OS's Documents folder). */
  defaultExportFolder?: string;
}

export interface RunningApp<W extends DemoWmsPart = DemoWmsPart, P extends DemoPrinterPart = DemoPrinterPart> {
  station: Station;
  demoWms: W | null;
  demoPrinter: P | null;
  close(): Promise<void>;
}

/**
 * Starts a bench's station from its settings. Without `demo` this is a production bench: no WMS configured is
 * a plain sentence (never a silent demo WMS), no printer configured means no printer, and a fresh database has
 * no operators (the first start enrols a supervisor). With `demo`, the demo WMS and printer start on loopback
 * for whatever is not configured.
 */
export async function startApp<W extends DemoWmsPart = DemoWmsPart, P extends DemoPrinterPart = DemoPrinterPart>(
  options: StartAppOptions<W, P>,
): Promise<RunningApp<W, P>> {
  const env = readLaunchEnv(options.env ?? process.env);
  const log = options.log ?? ((m: string) => console.log(m));
  // Before anything starts: a bad device file is a sentence, not half a running app.
  const bench = readDevicesFile(devicesFilePath(options.dataDir, env), env.RS_DEVICES_FILE !== undefined);
  if (bench.loaded) log(`Bench devices from ${bench.file}: ${bench.devices.length} device(s)${bench.printer ? ' and the printer' : ''}`);
  const demo = options.demo ?? null;

  let demoWms: W | null = null;
  let wms: { url: string; token: string; hub?: boolean };
  let wmsFetch: typeof fetch | undefined;
  if (env.RS_HUB_URL && env.RS_HUB_TOKEN) {
    // The site hub serves the WMS contract, so the bench's sync code is the same either way.
    wms = { url: env.RS_HUB_URL, token: env.RS_HUB_TOKEN, hub: true };
    if (env.RS_HUB_CA) wmsFetch = pinnedFetch(readHubCa(env.RS_HUB_CA));
    log(`Delivering through the site hub at ${env.RS_HUB_URL}`);
  } else if (env.RS_WMS_URL && env.RS_WMS_TOKEN) {
    wms = { url: env.RS_WMS_URL, token: env.RS_WMS_TOKEN };
  } else if (demo) {
    demoWms = await demo.startWms(options.dataDir);
    wms = { url: demoWms.url, token: demoWms.token };
    log(`Demo WMS running at ${demoWms.url}`);
  } else {
    throw new Error(NO_WMS_SENTENCE);
  }

  let demoPrinter: P | null = null;
  let printer: PrinterConfig;
  if (options.printer) {
    printer = options.printer;
  } else if (env.RS_PRINTER) {
    const [, host = '', port = '9100'] = /^tcp:\/\/(.+):(\d+)$/.exec(env.RS_PRINTER) ?? [];
    printer = { transport: 'tcp', host, port: Number(port), language: env.RS_PRINTER_LANGUAGE ?? 'zpl', timeoutMs: 3000 };
  } else if (bench.printer) {
    printer = bench.printer;
  } else if (demo) {
    try {
      demoPrinter = await demo.startPrinter();
    } catch (error) {
      await demoWms?.close();
      throw error;
    }
    printer = { transport: 'tcp', host: '127.0.0.1', port: demoPrinter.port, language: 'zpl', timeoutMs: 3000 };
    log(`Demo label printer (ZPL) listening on 127.0.0.1:${demoPrinter.port}`);
  } else {
    // A production bench without a printer still grades; labels wait in the print queue until one is configured.
    printer = { transport: 'none' };
  }

  let station: Station;
  try {
    station = await startStation(
      {
        stationId: env.RS_STATION_ID ?? 'BENCH-01',
        dataDir: options.dataDir,
        wms,
        printer,
        devices: bench.devices,
        exportsRoots: env.RS_EXPORTS_DIR ? [env.RS_EXPORTS_DIR] : [],
        defaultExportFolder: env.RS_EXPORTS_DIR ?? options.defaultExportFolder ?? join(homedir(), 'Documents', 'Returns Station'),
        // Issue 15: through a hub, the bench follows the site's roster and review decisions.
        ...(env.RS_HUB_URL && env.RS_HUB_TOKEN ? { site: {} } : {}),
      },
      {
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
        ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
        ...(demo ? { operators: demo.operators } : {}),
        wmsIsDemo: demoWms !== null,
        devicesFile: bench.file,
        ...(!options.printer && env.RS_PRINTER ? { printerFromEnvironment: true } : {}),
        ...(wmsFetch ? { wmsFetch } : {}),
        ...(env.RS_HUB_URL ? { auditAnchors: { everyMs: AUDIT_ANCHOR_EVERY_MS } } : {}),
      },
    );
  } catch (err) {
    // A station that cannot start (e.g. a read-only station.sqlite) must not leave the demo servers running.
    await demoPrinter?.close();
    await demoWms?.close();
    throw err;
  }
  // Reference data first, so the first scan matches even on a fresh install.
  await station.syncNow();

  return {
    station,
    demoWms,
    demoPrinter,
    async close() {
      await station.close();
      await demoPrinter?.close();
      await demoWms?.close();
    },
  };
}
