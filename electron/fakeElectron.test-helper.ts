// Test double of the parts of the `electron` module that main.ts touches. It records what main asks for
// (window options, handlers, protocol registrations) so tests can assert on them without an Electron binary.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

export interface FakeNavigationEvent {
  url: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function navigationEvent(url: string): FakeNavigationEvent {
  const event = {
    url,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  readonly mainFrame: FakeFrame = { url: 'app://station/', parent: null };

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    // Electron throws on a second handler for one channel; so does the fake, to catch double binding.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke from `frame` in `sender` would produce. */
  async invoke(channel: string, sender: FakeWebContents, frame: FakeFrame | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame: frame, processId: 1, frameId: 1 }, ...args);
  }
}

export interface FakeElectronOptions {
  appPath: string;
  userDataPath: string;
  singleInstance?: boolean;
  /** The folder the user picks in the OS's folder dialog (absent: they cancel it). */
  pickFolder?: string;
  /** An OS secret store that works (default: none, like Linux without a keyring). */
  safeStorage?: { isEncryptionAvailable(): boolean; encryptString(s: string): Buffer; decryptString(b: Buffer): string };
}

export function createFakeElectron(options: FakeElectronOptions) {
  const calls = {
    quit: 0,
    exitCodes: [] as number[],
    sandboxEnabled: false,
    errorBoxes: [] as Array<{ title: string; content: string }>,
    openDialogs: [] as Array<{ window: unknown; options: unknown }>,
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    /** What main.ts asked app.setPath('userData') to be; getPath keeps answering options.userDataPath so tests stay in their temp folder. */
    userDataSetTo: null as string | null,
  };

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => options.singleInstance ?? true,
    enableSandbox: () => {
      calls.sandboxEnabled = true;
    },
    whenReady: () => Promise.resolve(),
    getAppPath: () => options.appPath,
    getPath: (name: string) => {
      // Documents (the default export folder) stays inside the test's temp folder too.
      if (name === 'documents') return join(options.userDataPath, 'Documents');
      if (name !== 'userData') throw new Error(`unexpected app.getPath(${name})`);
      return options.userDataPath;
    },
    setPath: (name: string, path: string) => {
      if (name !== 'userData') throw new Error(`unexpected app.setPath(${name})`);
      calls.userDataSetTo = path;
    },
    quit: () => {
      calls.quit += 1;
      // Electron's quit emits before-quit; a handler may cancel it with preventDefault.
      const event = navigationEvent('');
      app.emit('before-quit', event);
    },
    exit: (code = 0) => {
      calls.exitCodes.push(code);
    },
  });

  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    readonly loadedUrls: string[] = [];
    visible = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loadedUrls.push(url);
      return Promise.resolve();
    }
    show(): void {
      this.visible = true;
    }
    isDestroyed(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
    static fromWebContents(contents: unknown): FakeBrowserWindow | null {
      return windows.find((w) => w.webContents === contents) ?? null;
    }
  }

  const defaultSession = Object.assign(new EventEmitter(), {
    permissionRequestHandler: null as null | ((...args: unknown[]) => void),
    permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
    devicePermissionHandler: null as null | ((...args: unknown[]) => boolean),
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      defaultSession.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      defaultSession.permissionCheckHandler = handler;
    },
    setDevicePermissionHandler(handler: (...args: unknown[]) => boolean) {
      defaultSession.devicePermissionHandler = handler;
    },
  });

  const ipcMain = new FakeIpcMain();
  const protocol = {
    registerSchemesAsPrivileged(schemes: unknown[]) {
      calls.privilegedSchemes.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      calls.protocolHandlers.set(scheme, handler);
    },
  };
  const dialog = {
    showErrorBox(title: string, content: string) {
      calls.errorBoxes.push({ title, content });
    },
    /** Answers as the user would have: `options.pickFolder` is the folder chosen, undefined a cancel. */
    showOpenDialog(window: unknown, dialogOptions?: unknown) {
      calls.openDialogs.push({ window, options: dialogOptions ?? window });
      const folder = options.pickFolder;
      return Promise.resolve(folder === undefined ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [folder] });
    },
  };

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    protocol,
    session: { defaultSession },
    dialog,
    // Like Linux without a keyring unless a test gives one: nothing is encrypted, so nothing is stored.
    safeStorage: options.safeStorage ?? {
      isEncryptionAvailable: () => false,
      encryptString: (_: string): Buffer => {
        throw new Error('encryption is not available');
      },
      decryptString: (_: Buffer): string => {
        throw new Error('encryption is not available');
      },
    },
    webContents: { getAllWebContents: () => windows.map((w) => w.webContents) },
  };
  return { module: { ...module, default: module }, app, ipcMain, protocol, defaultSession, windows, calls };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
