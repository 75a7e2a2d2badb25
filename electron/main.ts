// Electron main process: lifecycle, one hardened window, the app:// protocol and the IPC binding. Everything else lives in app/ and core.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { startApp, type DemoParts } from '../app/startApp.js';
import { APP_ENTRY_URL, APP_SCHEME } from './appOrigin.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol.js';
import { bindStationIpc } from './ipc.js';
import { bindFolderPicker } from './folderPicker.js';
import { defaultUserDataPath, resolveRuntimePaths, type RuntimePaths } from './runtimePaths.js';
import { hardenWebContents, installSessionGuards, secureWebPreferences } from './security.js';
import { setDefaultNativeBinding } from './sqliteForElectron.js';
import { resolveWmsToken } from './wmsToken.js';
import { resolveHubCredential } from './hubCredential.js';
import { pinnedFetch, readHubCa } from '../app/hubTls.js';

export interface Shell {
  window: BrowserWindow;
  paths: RuntimePaths;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function createWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Returns Station',
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(preload),
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/**
 * Demo mode (RS_DEMO=1, set by `npm start` when no WMS is configured) loads the demo parts from dist-demo/, a
 * bundle built only by `npm start` and never packaged. The path is computed at run time, so esbuild cannot pull
 * app/demo.ts (and with it fixtures/ and the demo PINs) into main.cjs.
 */
function loadDemoParts(appPath: string, env: NodeJS.ProcessEnv): DemoParts | null {
  if (env.RS_DEMO !== '1') return null;
  const file = join(appPath, 'dist-demo', 'demo.cjs');
  if (!existsSync(file)) {
    throw new Error('RS_DEMO=1 asks for the demo, but this build of Returns Station has no demo parts: set RS_WMS_URL and RS_WMS_TOKEN instead.');
  }
  const demo = createRequire(import.meta.url)(file) as { demoParts: () => DemoParts };
  return demo.demoParts();
}

async function runShell(): Promise<Shell | null> {
  // One definition of the data folder for the app and `returns-station audit verify` (dev and packaged alike).
  app.setPath('userData', defaultUserDataPath());
  // A second station process would fight the first over the database, the scanners and the printer.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Both must happen before 'ready'.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
  app.enableSandbox();

  let window: BrowserWindow | null = null;
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  const paths = resolveRuntimePaths({
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    isPackaged: app.isPackaged,
    electronVersion: process.versions.electron ?? 'unknown',
    userDataPath: app.getPath('userData'),
    env: process.env,
  });
  installSessionGuards(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.rendererDir));

  if (!existsSync(paths.nativeBinding)) {
    dialog.showErrorBox(
      'Returns Station could not start',
      `The database driver built for Electron ${process.versions.electron ?? ''} is missing (${paths.nativeBinding}). Run "npm start" once with internet access to fetch it.`,
    );
    app.exit(1);
    return null;
  }

  // Also for SQLite files opened without an explicit binary (the demo WMS's own database).
  setDefaultNativeBinding(paths.nativeBinding);
  // The WMS token lives encrypted by the OS secret store, never in a plain file.
  const token = resolveWmsToken(process.env, safeStorage, join(app.getPath('userData'), 'wms-token.bin'));
  if (token.outcome.kind === 'unreadable' || token.outcome.kind === 'from-env-not-stored') {
    console.warn(`WMS token: ${token.outcome.reason}`);
  }
  // So does the site hub's credential (RS_HUB_TOKEN, or enrolment with RS_HUB_ENROL_CODE at the first launch).
  // Enrolment goes to the hub over the same pinned CA as everything after it.
  let enrolFetch: { fetch?: typeof fetch } = {};
  try {
    if (token.env.RS_HUB_CA) enrolFetch = { fetch: pinnedFetch(readHubCa(token.env.RS_HUB_CA)) };
  } catch (error) {
    dialog.showErrorBox('Returns Station could not start', describe(error));
    app.exit(1);
    return null;
  }
  const hub = await resolveHubCredential(token.env, safeStorage, join(app.getPath('userData'), 'hub-token.bin'), enrolFetch);
  if (hub.outcome.kind === 'unreadable' || hub.outcome.kind === 'from-env-not-stored' || hub.outcome.kind === 'enrolment-refused') {
    console.warn(`Hub credential: ${hub.outcome.reason}`);
  }
  let running: Awaited<ReturnType<typeof startApp>>;
  try {
    running = await startApp({
      dataDir: paths.dataDir,
      nativeBinding: paths.nativeBinding,
      migrationsDir: paths.migrationsDir,
      env: hub.env,
      demo: loadDemoParts(app.getAppPath(), hub.env),
      defaultExportFolder: join(app.getPath('documents'), 'Returns Station'),
    });
  } catch (error) {
    dialog.showErrorBox('Returns Station could not start', describe(error));
    app.exit(1);
    return null;
  }

  const binding = bindStationIpc(ipcMain, running.station);
  const unbindFolderPicker = bindFolderPicker({ ipcMain, dialog, windowOf: (contents) => BrowserWindow.fromWebContents(contents) });
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    // Let the station finish its transaction and close the database before the process goes.
    event.preventDefault();
    binding.dispose();
    unbindFolderPicker();
    running
      .close()
      .catch((error: unknown) => console.error(`Returns Station did not close cleanly: ${describe(error)}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  window = createWindow(paths.preload);
  binding.attach(window.webContents);
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    console.error(`Returns Station could not load its page: ${describe(error)}`);
  });
  return { window, paths };
}

/** Resolves once the window exists (or null when this process is not the station); tests await it. */
export const shellReady: Promise<Shell | null> = runShell().catch((error: unknown) => {
  dialog.showErrorBox('Returns Station could not start', describe(error));
  app.exit(1);
  return null;
});
