// Types for the .mjs build script, so tests and tools written in TypeScript can call it.
export declare const projectRoot: string;
export declare const SQLITE_BINARY: 'better_sqlite3.node';
export declare const FAILURE_MARKER: 'unavailable.json';
export declare function installedElectronVersion(root?: string): string;
export declare function electronNativeDir(root: string, electronVersion: string): string;
export declare function targetPlatform(env?: NodeJS.ProcessEnv): { platform: string; arch: string };

export type PrepareResult =
  | { ok: true; binding: string; source: 'cache' | 'prebuild' | 'source' }
  | { ok: false; reason: string; sentence: string };

export declare function prepareElectronNative(options?: {
  root?: string;
  electronVersion?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<PrepareResult>;

export declare function takeFailureMarker(root: string, electronVersion: string, now?: number): string | null;
