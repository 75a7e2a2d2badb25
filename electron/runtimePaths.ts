import { join } from 'node:path';

/** Where scripts/prepare-electron-native.mjs puts the Electron-ABI better-sqlite3 build; keyed by Electron version so an upgrade never loads a stale ABI. */
export const ELECTRON_NATIVE_DIR = '.electron-native';
/** The same folder inside a packaged app's resources (electron-builder.yml extraResources). */
export const PACKAGED_NATIVE_DIR = 'electron-native';
export const SQLITE_BINARY = 'better_sqlite3.node';

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
    dataDir: facts.env.RS_DATA_DIR || join(facts.userDataPath, 'data'),
  };
}
