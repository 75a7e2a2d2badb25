import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronNativeDir, installedElectronVersion, prepareElectronNative, takeFailureMarker } from '../scripts/prepare-electron-native.mjs';

const require = createRequire(import.meta.url);
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const sqliteVersion = (JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')) as { version: string }).version;
const electronVersion = installedElectronVersion();

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

let work: string;
let root: string;
let npmCache: string;
let nodeBuildDigest: string;

/** Unreachable mirror and an empty npm cache: this machine's real situation, made hermetic for any machine. */
const UNREACHABLE_MIRROR = 'http://127.0.0.1:9';

function offlineEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: npmCache,
    // prebuild-install's documented mirror setting; port 9 (discard) refuses at once.
    npm_config_better_sqlite3_binary_host: UNREACHABLE_MIRROR,
    HOME: join(work, 'home'),
  };
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rs-prepare-native-'));
  root = join(work, 'project');
  npmCache = join(work, 'npm-cache');
  mkdirSync(root, { recursive: true });
  nodeBuildDigest = digest(nodeBuild);
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('prepare-electron-native', () => {
  it('fails softly offline: a reason, a marker for start.mjs, and the Node build untouched', async () => {
    const lines: string[] = [];
    const result = await prepareElectronNative({ root, electronVersion, env: offlineEnv(), log: (l) => lines.push(l) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.sentence).toMatch(/^The better-sqlite3 database driver for Electron \S+ could not be downloaded or built on this machine \(.+\), so npm start will open the browser preview instead\.$/);
    expect(result.sentence).not.toMatch(/\n|at .+:\d+:\d+/);
    expect(existsSync(join(electronNativeDir(root, electronVersion), 'better_sqlite3.node'))).toBe(false);
    // A marker from an earlier run (here: an hour later) does not stop start.mjs from trying again.
    expect(takeFailureMarker(root, electronVersion, Date.now() + 3_600_000)).toBeNull();
    await prepareElectronNative({ root, electronVersion, env: offlineEnv(), log: (l) => lines.push(l) });
    expect(takeFailureMarker(root, electronVersion)).toBe(result.reason);
    // The marker is consumed, so the next `npm start` tries again.
    expect(takeFailureMarker(root, electronVersion)).toBeNull();
    expect(digest(nodeBuild)).toBe(nodeBuildDigest);
  });

  it('installs a prebuild into .electron-native/electron-<version>/ and reuses it afterwards', async () => {
    // Stand-in for the download (here a copy of the Node build): prebuild-install looks in the npm cache first, under a hash of the URL.
    const file = `better-sqlite3-v${sqliteVersion}-electron-v${readFileSync(require.resolve('electron/abi_version'), 'utf8').trim()}-${process.platform}-${process.arch}.tar.gz`;
    const url = `${UNREACHABLE_MIRROR}/v${sqliteVersion}/${file}`;
    const cached = join(npmCache, '_prebuilds', `${createHash('sha512').update(url).digest('hex').slice(0, 6)}-${file.replace(/[^a-zA-Z0-9.]+/g, '-')}`);
    const staging = join(work, 'staging');
    mkdirSync(join(staging, 'build', 'Release'), { recursive: true });
    cpSync(nodeBuild, join(staging, 'build', 'Release', 'better_sqlite3.node'));
    mkdirSync(dirname(cached), { recursive: true });
    expect(spawnSync('tar', ['-czf', cached, '-C', staging, 'build/Release/better_sqlite3.node']).status).toBe(0);

    const first = await prepareElectronNative({ root, electronVersion, env: offlineEnv(), log: () => undefined });
    expect(first).toEqual({ ok: true, binding: join(electronNativeDir(root, electronVersion), 'better_sqlite3.node'), source: 'prebuild' });
    if (!first.ok) return;
    expect(digest(first.binding)).toBe(nodeBuildDigest);

    rmSync(cached);
    const second = await prepareElectronNative({ root, electronVersion, env: offlineEnv(), log: () => undefined });
    expect(second).toMatchObject({ ok: true, source: 'cache' });
    expect(digest(nodeBuild)).toBe(nodeBuildDigest);
  });
});
