import { resolve } from 'node:path';
import type { PrinterConfig } from '../contract/index.js';
import { demoParts, type RunningDemoApp } from '../app/demo.js';
import { startApp } from '../app/startApp.js';
import { startPreviewServer } from './http.js';

export interface PreviewOptions {
  dataDir?: string;
  port?: number;
  /** `port` was only a default (no RS_PREVIEW_PORT): when it is taken, any free port will do. */
  anyPortIfTaken?: boolean;
  env?: NodeJS.ProcessEnv;
  printer?: PrinterConfig;
  staticDir?: string;
  token?: string;
  demoRmas?: number;
  /**
   * The preview is a dev and test tool, so it runs in demo mode unless told otherwise (`RS_DEMO=0` in
   * `npm run preview`, or tests of a production bench's first start).
   */
  demo?: boolean;
  log?: (msg: string) => void;
}

export interface RunningPreview {
  /** Open this: it carries the per-run token. */
  url: string;
  baseUrl: string;
  token: string;
  app: RunningDemoApp;
  close(): Promise<void>;
}

/** The whole app in a browser: the station, its demo WMS/printer, and the renderer over HTTP + WebSocket. */
export async function startPreview(options: PreviewOptions = {}): Promise<RunningPreview> {
  const app = await startApp({
    dataDir: resolve(options.dataDir ?? 'var/preview'),
    ...(options.env ? { env: options.env } : {}),
    ...(options.printer ? { printer: options.printer } : {}),
    demo: options.demo === false ? null : demoParts(options.demoRmas ? { rmas: options.demoRmas } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const server = await startPreviewServer({
    station: app.station,
    staticDir: options.staticDir ?? resolve('dist/renderer'),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.anyPortIfTaken ? { anyPortIfTaken: true } : {}),
    ...(options.token ? { token: options.token } : {}),
  }).catch(async (err: unknown) => {
    // The station, its demo WMS and printer are running: stopped, so the process can exit with the reason.
    await app.close().catch(() => undefined);
    throw err;
  });
  return {
    url: server.openUrl,
    baseUrl: server.url,
    token: server.token,
    app,
    async close() {
      await server.close();
      await app.close();
    },
  };
}
