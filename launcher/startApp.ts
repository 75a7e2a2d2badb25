import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PrinterConfig } from '../core/contract/index.js';
import { startStation, type Station } from '../core/station.js';
import { generateDemoData, DEMO_OPERATORS } from '../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../fixtures/printer-sim/tcpPrinter.js';
import { devicesFilePath, readDevicesFile } from './devicesFile.js';
import { readLaunchEnv } from './env.js';

export interface StartAppOptions {
  dataDir: string;
  nativeBinding?: string;
  migrationsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides RS_PRINTER (tests point it at their own simulator). */
  printer?: PrinterConfig;
  /** Demo data size when the demo WMS is seeded for the first time. */
  demoRmas?: number;
  log?: (msg: string) => void;
}

export interface RunningApp {
  station: Station;
  demoWms: DemoWms | null;
  demoPrinter: TcpPrinterSim | null;
  close(): Promise<void>;
}

/**
 * Starts a station on its embedded defaults: without a configured WMS it starts the demo WMS on
 * loopback (seeded on first run), and without a configured printer a demo TCP 9100 printer.
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const env = readLaunchEnv(options.env ?? process.env);
  const log = options.log ?? ((m: string) => console.log(m));
  // Before anything starts: a bad device file is a sentence, not half a running app.
  const bench = readDevicesFile(devicesFilePath(options.dataDir, env), env.RS_DEVICES_FILE !== undefined);
  if (bench.loaded) log(`Bench devices from ${bench.file}: ${bench.devices.length} device(s)${bench.printer ? ' and the printer' : ''}`);
  const demo = generateDemoData({ seed: 42, rmas: options.demoRmas ?? 1000 });

  let demoWms: DemoWms | null = null;
  let wms: { url: string; token: string };
  if (env.RS_WMS_URL && env.RS_WMS_TOKEN) {
    wms = { url: env.RS_WMS_URL, token: env.RS_WMS_TOKEN };
  } else {
    const dbFile = join(options.dataDir, 'demo-wms.sqlite');
    const fresh = !existsSync(dbFile);
    demoWms = await startDemoWms({
      dbFile,
      token: randomBytes(18).toString('base64url'),
      ...(fresh ? { seed: { products: demo.products, rmas: demo.rmas } } : {}),
    });
    wms = { url: demoWms.url, token: demoWms.token };
    log(`Demo WMS running at ${demoWms.url}`);
  }

  let demoPrinter: TcpPrinterSim | null = null;
  let printer: PrinterConfig;
  if (options.printer) {
    printer = options.printer;
  } else if (env.RS_PRINTER) {
    const [, host = '', port = '9100'] = /^tcp:\/\/(.+):(\d+)$/.exec(env.RS_PRINTER) ?? [];
    printer = { transport: 'tcp', host, port: Number(port), language: env.RS_PRINTER_LANGUAGE ?? 'zpl', timeoutMs: 3000 };
  } else if (bench.printer) {
    printer = bench.printer;
  } else {
    demoPrinter = await startTcpPrinterSim({ mode: 'zpl' });
    printer = { transport: 'tcp', host: '127.0.0.1', port: demoPrinter.port, language: 'zpl', timeoutMs: 3000 };
    log(`Demo label printer (ZPL) listening on 127.0.0.1:${demoPrinter.port}`);
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
      },
      {
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
        ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
        operators: DEMO_OPERATORS,
        wmsIsDemo: demoWms !== null,
        devicesFile: bench.file,
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
