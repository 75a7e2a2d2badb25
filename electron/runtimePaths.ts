import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/prepare-electron-native.mjs puts the Electron-ABI better-sqlite3 build; keyed by Electron version so an upgrade never loads a stale ABI. */
export const ELECTRON_NATIVE_DIR = '.electron-native';
/** The same folder inside a packaged app's resources (electron-builder.yml extraResources). */
export const PACKAGED_NATIVE_DIR = 'electron-native';
export const SQLITE_BINARY = 'better_sqlite3.node';

/** The folder name under the OS's application-data folder; the packaged app's productName (electron-builder.yml). */
export const APP_FOLDER_NAME = 'Returns Station';

/**
 * Electron's userData for this app, computed without Electron so that `returns-station audit verify` finds the
 * same database as the app: main.ts sets it with app.setPath('userData', …) from here, in development too.
 */
export function defaultUserDataPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const appData =
    platform === 'win32'
      ? env.APPDATA || join(home, 'AppData', 'Roaming')
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : env.XDG_CONFIG_HOME || join(home, '.config');
  return join(appData, APP_FOLDER_NAME);
}

/** The station's data folder: RS_DATA_DIR, else <userData>/data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, userDataPath: string = defaultUserDataPath(process.platform, env)): string {
  return env.RS_DATA_DIR || join(userDataPath, 'data');
}

export interface RuntimeFacts {
  /** app.getAppPath(): the project root in development, resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath. */
  resourcesPath: string;
  isPackaged: boolean;
  /** process.versions.electron. */
  electronVersion: string;
  /** app.getPath('userData'). */
  userDataPath: string;
  env: NodeJS.ProcessEnv;
}

export interface RuntimePaths {
  rendererDir: string;
  preload: string;
  migrationsDir: string;
  nativeBinding: string;
  dataDir: string;
}

export function resolveRuntimePaths(facts: RuntimeFacts): RuntimePaths {
  const versionDir = `electron-${facts.electronVersion}`;
  const nativeBinding = facts.isPackaged
    ? join(facts.resourcesPath, PACKAGED_NATIVE_DIR, versionDir, SQLITE_BINARY)
    : join(facts.appPath, ELECTRON_NATIVE_DIR, versionDir, SQLITE_BINARY);
  return {
    rendererDir: join(facts.appPath, 'dist', 'renderer'),
    preload: join(facts.appPath, 'dist-electron', 'preload.cjs'),
    migrationsDir: join(facts.appPath, 'db', 'migrations'),
    nativeBinding,
    dataDir: defaultDataDir(facts.env, facts.userDataPath),
  };
}
