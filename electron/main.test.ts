import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames, type ApiResponse, type EventName, type EventPayload } from '../contract/index.js';
import type { StationListener } from '../core/station.js';
import { CONTENT_SECURITY_POLICY } from './appProtocol.js';
import { defaultUserDataPath } from './runtimePaths.js';
import type { StationEndpoint } from './ipc.js';
import { createFakeElectron, navigationEvent, type FakeElectron, type FakeElectronOptions, type FakeFrame } from './fakeElectron.test-helper.js';

const ELECTRON_VERSION = '42.11.18';

function fakeStation() {
  const listeners = new Set<StationListener>();
  const station = {
    handle: vi.fn(async (_key: string, name: string, _input: unknown): Promise<ApiResponse> => ({ ok: true, value: { called: name } })),
    subscribe: vi.fn((listener: StationListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    endSession: vi.fn((_key: string) => undefined),
  } satisfies StationEndpoint;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    for (const l of listeners) l(event, payload);
  };
  return { station, emit };
}

interface Loaded {
  fake: FakeElectron;
  station: ReturnType<typeof fakeStation>;
  startApp: ReturnType<typeof vi.fn>;
  appClose: ReturnType<typeof vi.fn>;
}

let root: string;

/** Imports electron/main.ts afresh against a fake `electron` and a fake app/, and waits for its startup to finish. */
async function loadMain(
  options: { singleInstance?: boolean; withNativeBinding?: boolean; startFails?: boolean; safeStorage?: FakeElectronOptions['safeStorage']; pickFolder?: string } = {},
): Promise<Loaded> {
  vi.resetModules();
  const fake = createFakeElectron({
    appPath: root,
    userDataPath: join(root, 'userData'),
    singleInstance: options.singleInstance ?? true,
    ...(options.safeStorage ? { safeStorage: options.safeStorage } : {}),
    ...(options.pickFolder !== undefined ? { pickFolder: options.pickFolder } : {}),
  });
  const station = fakeStation();
  const appClose = vi.fn(async () => undefined);
  const startApp = vi.fn(async () => {
    if (options.startFails) throw new Error('database is locked by another station');
    return { station: station.station, demoWms: null, demoPrinter: null, close: appClose };
  });
  if (options.withNativeBinding ?? true) {
    const dir = join(root, '.electron-native', `electron-${ELECTRON_VERSION}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'better_sqlite3.node'), 'not really a binary');
  }
  vi.doMock('electron', () => fake.module);
  vi.doMock('../app/startApp.js', () => ({ startApp }));
  const main = await import('./main.js');
  await main.shellReady;
  return { fake, station, startApp, appClose };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rs-electron-main-'));
  mkdirSync(join(root, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(root, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Returns Station</title>');
  writeFileSync(join(root, 'dist', 'renderer', 'assets', 'app.js'), 'console.log("station")');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer folder');
  (process.versions as Record<string, string>).electron = ELECTRON_VERSION;
});

afterEach(() => {
  delete (process.versions as Record<string, string | undefined>).electron;
  vi.doUnmock('electron');
  vi.doUnmock('../app/startApp.js');
  rmSync(root, { recursive: true, force: true });
});

describe('window', () => {
  it('opens one window with isolation, sandbox and no Node in the page, loading app://station/', async () => {
    const { fake } = await loadMain();
    expect(fake.windows).toHaveLength(1);
    const window = fake.windows[0]!;
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(prefs.preload).toBe(join(root, 'dist-electron', 'preload.cjs'));
    expect(window.loadedUrls).toEqual(['app://station/']);
    expect(fake.calls.sandboxEnabled).toBe(true);
  });

  it('starts the station with the Electron-ABI driver, packaged-relative migrations and a data dir under userData', async () => {
    const { startApp, fake } = await loadMain();
    expect(startApp).toHaveBeenCalledTimes(1);
    expect(startApp.mock.calls[0]![0]).toMatchObject({
      nativeBinding: join(root, '.electron-native', `electron-${ELECTRON_VERSION}`, 'better_sqlite3.node'),
      migrationsDir: join(root, 'db', 'migrations'),
      dataDir: join(root, 'userData', 'data'),
    });
    // The same userData as `returns-station audit verify` assumes without --db.
    expect(fake.calls.userDataSetTo).toBe(defaultUserDataPath());
  });

  it('makes the Electron-ABI driver the default for SQLite files opened without one (the demo WMS)', async () => {
    await loadMain();
    const { default: Database } = await import('./sqliteForElectron.js');
    // The fake driver file is not a real binary: the error proves which file better-sqlite3 tried to load.
    expect(() => new Database(':memory:')).toThrow(join('.electron-native', `electron-${ELECTRON_VERSION}`, 'better_sqlite3.node'));
  });

  it('a second instance quits before creating anything', async () => {
    const { fake, startApp } = await loadMain({ singleInstance: false });
    expect(fake.calls.quit).toBe(1);
    expect(fake.windows).toHaveLength(0);
    expect(startApp).not.toHaveBeenCalled();
  });

  it('without the Electron driver it explains in a dialog and exits instead of crashing in better-sqlite3', async () => {
    const { fake, startApp } = await loadMain({ withNativeBinding: false });
    expect(startApp).not.toHaveBeenCalled();
    expect(fake.calls.exitCodes).toEqual([1]);
    expect(fake.calls.errorBoxes[0]?.content).toMatch(/database driver built for Electron/);
    expect(fake.windows).toHaveLength(0);
  });

  it('a station that fails to start is reported in a dialog, not a stack trace', async () => {
    const { fake } = await loadMain({ startFails: true });
    expect(fake.calls.errorBoxes).toEqual([{ title: 'Returns Station could not start', content: 'database is locked by another station' }]);
    expect(fake.calls.exitCodes).toEqual([1]);
  });

  it('quitting closes the station before the process ends', async () => {
    const { fake, appClose } = await loadMain();
    fake.app.quit();
    await vi.waitFor(() => expect(appClose).toHaveBeenCalledTimes(1));
    // The second quit (after close) is let through, and nothing is bound any more.
    await vi.waitFor(() => expect(fake.calls.quit).toBe(2));
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});

describe('navigation and new windows', () => {
  it('blocks navigation away from the app origin and allows it within', async () => {
    const { fake } = await loadMain();
    const contents = fake.windows[0]!.webContents;
    for (const eventName of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = navigationEvent('https://example.com/phish');
      contents.emit(eventName, away);
      expect(away.defaultPrevented, eventName).toBe(true);
      const lookalike = navigationEvent('app://station.evil/');
      contents.emit(eventName, lookalike);
      expect(lookalike.defaultPrevented, eventName).toBe(true);
      const file = navigationEvent('file:///etc/passwd');
      contents.emit(eventName, file);
      expect(file.defaultPrevented, eventName).toBe(true);
      const inside = navigationEvent('app://station/review');
      contents.emit(eventName, inside);
      expect(inside.defaultPrevented, eventName).toBe(false);
    }
  });

  it('denies every new window and every webview', async () => {
    const { fake } = await loadMain();
    const contents = fake.windows[0]!.webContents;
    expect(contents.windowOpenHandler?.({ url: 'app://station/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const attach = navigationEvent('');
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });
});

describe('app:// protocol', () => {
  async function fetchApp(fake: FakeElectron, url: string, method = 'GET'): Promise<Response> {
    expect(fake.calls.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const handler = fake.calls.protocolHandlers.get('app');
    if (!handler) throw new Error('app:// is not handled');
    return handler(new Request(url, { method }));
  }

  it('serves the renderer with the strict CSP header', async () => {
    const { fake } = await loadMain();
    const index = await fetchApp(fake, 'app://station/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(await index.text()).toContain('Returns Station');

    const script = await fetchApp(fake, 'app://station/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('falls back to index.html for client routes but 404s missing assets', async () => {
    const { fake } = await loadMain();
    expect((await fetchApp(fake, 'app://station/review/queue')).status).toBe(200);
    expect((await fetchApp(fake, 'app://station/assets/missing.js')).status).toBe(404);
  });

  it('never serves files outside dist/renderer, other hosts, or writes', async () => {
    const { fake } = await loadMain();
    const traversal = await fetchApp(fake, 'app://station/..%2f..%2fsecret.txt');
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).not.toContain('outside the renderer folder');
    expect((await fetchApp(fake, 'app://other/index.html')).status).toBe(404);
    expect((await fetchApp(fake, 'app://station/', 'POST')).status).toBe(405);
  });
});

describe('permissions and devices', () => {
  function request(fake: FakeElectron, permission: string, details: Record<string, unknown>): boolean {
    let granted: boolean | undefined;
    fake.defaultSession.permissionRequestHandler?.({}, permission, (ok: boolean) => (granted = ok), details);
    if (granted === undefined) throw new Error('permission handler did not answer');
    return granted;
  }

  it('grants only the camera, only to our own top-level page', async () => {
    const { fake } = await loadMain();
    const own = { requestingUrl: 'app://station/grading', isMainFrame: true };
    expect(request(fake, 'media', { ...own, mediaTypes: ['video'] })).toBe(true);
    expect(request(fake, 'media', { ...own, mediaTypes: ['audio'] })).toBe(false);
    expect(request(fake, 'media', { ...own, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(request(fake, 'media', { requestingUrl: 'https://example.com/', isMainFrame: true, mediaTypes: ['video'] })).toBe(false);
    expect(request(fake, 'media', { ...own, isMainFrame: false, mediaTypes: ['video'] })).toBe(false);
    for (const other of ['geolocation', 'notifications', 'display-capture', 'clipboard-read', 'openExternal', 'fileSystem', 'unknown']) {
      expect(request(fake, other, own), other).toBe(false);
    }
  });

  it('answers permission checks the same way and keeps WebHID/WebSerial/WebUSB off', async () => {
    const { fake } = await loadMain();
    const check = fake.defaultSession.permissionCheckHandler!;
    expect(check(null, 'media', 'app://station', { mediaType: 'video' })).toBe(true);
    expect(check(null, 'media', 'app://station', { mediaType: 'audio' })).toBe(false);
    expect(check(null, 'media', 'https://example.com', { mediaType: 'video' })).toBe(false);
    for (const device of ['hid', 'serial', 'usb']) expect(check(null, device, 'app://station', {}), device).toBe(false);
    expect(fake.defaultSession.devicePermissionHandler?.({ deviceType: 'hid', origin: 'app://station' })).toBe(false);

    let hidChoice: unknown = 'unset';
    const hidEvent = navigationEvent('');
    fake.defaultSession.emit('select-hid-device', hidEvent, { deviceList: [{ deviceId: 'scanner' }] }, (id: unknown) => (hidChoice = id));
    expect(hidEvent.defaultPrevented).toBe(true);
    expect(hidChoice).toBeNull();

    let portChoice: unknown = 'unset';
    const serialEvent = navigationEvent('');
    fake.defaultSession.emit('select-serial-port', serialEvent, [{ portId: 'ttyUSB0' }], {}, (id: unknown) => (portChoice = id));
    expect(serialEvent.defaultPrevented).toBe(true);
    expect(portChoice).toBe('');
  });
});

describe('IPC binding', () => {
  const appFrame: FakeFrame = { url: 'app://station/', parent: null };

  it('binds exactly one channel per contract call, and the folder dialog', async () => {
    const { fake } = await loadMain();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...callNames.map((n) => `station:${n}`), 'shell:chooseFolder'].sort());
  });

  it('opens the OS folder dialog on our window and answers the folder picked, never setting it itself', async () => {
    const picked = join(root, 'exports');
    const { fake, station } = await loadMain({ pickFolder: picked });
    const window = fake.windows[0]!;
    expect(await fake.ipcMain.invoke('shell:chooseFolder', window.webContents, appFrame)).toBe(picked);
    expect(fake.calls.openDialogs).toHaveLength(1);
    expect(fake.calls.openDialogs[0]!.window).toBe(window);
    expect(fake.calls.openDialogs[0]!.options).toMatchObject({ properties: ['openDirectory', 'createDirectory'] });
    // Setting it is the renderer's ordinary reports.setExportFolder call, role-checked by the dispatcher.
    expect(station.station.handle).not.toHaveBeenCalled();
  });

  it('answers null when the dialog is cancelled, and opens none for a foreign frame', async () => {
    const { fake } = await loadMain();
    const contents = fake.windows[0]!.webContents;
    expect(await fake.ipcMain.invoke('shell:chooseFolder', contents, appFrame)).toBeNull();
    expect(await fake.ipcMain.invoke('shell:chooseFolder', contents, { url: 'https://evil.example/', parent: null })).toBeNull();
    expect(fake.calls.openDialogs).toHaveLength(1);
  });

  it('passes input from our page to the station as sent, keyed by the sending webContents', async () => {
    const { fake, station } = await loadMain();
    const contents = fake.windows[0]!.webContents;
    const answer = await fake.ipcMain.invoke('station:session.signIn', contents, appFrame, { badge: 'OP-0001', pin: '1234' });
    expect(answer).toEqual({ ok: true, value: { called: 'session.signIn' } });
    expect(station.station.handle).toHaveBeenCalledWith(String(contents.id), 'session.signIn', { badge: 'OP-0001', pin: '1234' });
  });

  it('leaves roles and input to the station: even invalid input reaches it unchanged (the dispatcher checks the role first)', async () => {
    const { fake, station } = await loadMain();
    const contents = fake.windows[0]!.webContents;
    const cases: Array<[string, unknown]> = [
      ['session.signIn', { badge: 'OP-0001', pin: '12ab' }],
      ['parcel.open', { code: 'A\u0000B' }],
      ['system.info', 'not an object'],
      ['sync.flush', undefined],
    ];
    for (const [name, input] of cases) await fake.ipcMain.invoke(`station:${name}`, contents, appFrame, input);
    expect(station.station.handle.mock.calls).toEqual(cases.map(([name, input]) => [String(contents.id), name, input]));
  });

  it('rejects calls from foreign frames, subframes and destroyed frames with FORBIDDEN', async () => {
    const { fake, station } = await loadMain();
    const contents = fake.windows[0]!.webContents;
    const frames: Array<FakeFrame | null> = [
      { url: 'https://example.com/', parent: null },
      { url: 'app://station.evil/', parent: null },
      { url: 'file:///tmp/x.html', parent: null },
      { url: 'app://station/', parent: appFrame },
      null,
    ];
    for (const frame of frames) {
      const answer = (await fake.ipcMain.invoke('station:system.info', contents, frame, {})) as ApiResponse;
      // error.*, the dictionaries' key space, so the renderer shows a real sentence (renderer/src/i18n/serverKeys.test.ts).
      expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', messageKey: 'error.forbiddenSender' } });
    }
    expect(station.station.handle).not.toHaveBeenCalled();
  });

  it('forwards station events to the window and ends its session when it is destroyed', async () => {
    const { fake, station } = await loadMain();
    const contents = fake.windows[0]!.webContents;
    station.emit('session.changed', null);
    expect(contents.sent).toEqual([{ channel: 'station:event', args: ['session.changed', null] }]);
    contents.destroy();
    expect(station.station.endSession).toHaveBeenCalledWith(String(contents.id));
    station.emit('session.changed', null);
    expect(contents.sent).toHaveLength(1);
  });

  it('answers INTERNAL rather than rejecting when the station breaks its never-throw promise', async () => {
    const { fake, station } = await loadMain();
    station.station.handle.mockRejectedValueOnce(new Error('boom'));
    const answer = (await fake.ipcMain.invoke('station:system.info', fake.windows[0]!.webContents, appFrame, {})) as ApiResponse;
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL', messageKey: 'error.internal' } });
  });
});

// The site hub's credential is kept like the WMS token: with safeStorage, in userData, never in the clear.
describe('hub credential kept with safeStorage', () => {
  const keyring = {
    isEncryptionAvailable: () => true,
    encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('base64').split('').reverse().join('')}`),
    decryptString: (b: Buffer) => Buffer.from(b.toString().slice('sealed:'.length).split('').reverse().join(''), 'base64').toString(),
  };
  const saved = { url: process.env.RS_HUB_URL, token: process.env.RS_HUB_TOKEN };
  afterEach(() => {
    for (const [k, v] of [['RS_HUB_URL', saved.url], ['RS_HUB_TOKEN', saved.token]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('stores RS_HUB_TOKEN encrypted at the first launch and gives it to the next launch without the variable', async () => {
    process.env.RS_HUB_URL = 'http://127.0.0.1:8090';
    process.env.RS_HUB_TOKEN = 'rsb_secret_credential_0123456789';
    const first = await loadMain({ safeStorage: keyring });
    expect((first.startApp.mock.calls[0] as unknown as [{ env: NodeJS.ProcessEnv }])[0].env.RS_HUB_TOKEN).toBe('rsb_secret_credential_0123456789');
    const file = join(root, 'userData', 'hub-token.bin');
    expect(readFileSync(file).toString()).not.toContain('rsb_secret_credential_0123456789');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    delete process.env.RS_HUB_TOKEN;
    const second = await loadMain({ safeStorage: keyring });
    expect((second.startApp.mock.calls[0] as unknown as [{ env: NodeJS.ProcessEnv }])[0].env.RS_HUB_TOKEN).toBe('rsb_secret_credential_0123456789');
  });

  it('writes nothing when the OS secret store is unavailable', async () => {
    process.env.RS_HUB_URL = 'http://127.0.0.1:8090';
    process.env.RS_HUB_TOKEN = 'rsb_secret_credential_0123456789';
    await loadMain();
    expect(existsSync(join(root, 'userData', 'hub-token.bin'))).toBe(false);
  });
});
