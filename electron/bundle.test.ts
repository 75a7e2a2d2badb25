// The built main bundle, not the sources: proves the CJS bundle, its import.meta.url shim and the better-sqlite3
// alias start the real station. Electron itself cannot run here, so `electron` is faked and the Node build of
// better-sqlite3 plays the part of the Electron-ABI one.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../scripts/build-electron.mjs';
import { projectRoot } from '../scripts/prepare-electron-native.mjs';

const require = createRequire(import.meta.url);
const ELECTRON_VERSION = '42.11.18';
let appPath: string;

beforeAll(async () => {
  appPath = mkdtempSync(join(tmpdir(), 'rs-bundle-'));
  await buildElectron({ root: projectRoot, outdir: join(appPath, 'dist-electron') });
  cpSync(join(projectRoot, 'db', 'migrations'), join(appPath, 'db', 'migrations'), { recursive: true });
  mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Returns Station</title>');
  const native = join(appPath, '.electron-native', `electron-${ELECTRON_VERSION}`);
  mkdirSync(native, { recursive: true });
  cpSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node'), join(native, 'better_sqlite3.node'));
}, 120_000);

afterAll(() => {
  rmSync(appPath, { recursive: true, force: true });
});

describe('dist-electron/main.cjs', () => {
  it('boots the real station through IPC, validates input, and closes on quit', async () => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), join(projectRoot, 'electron', 'bundleSmoke.fixture.ts'), join(appPath, 'dist-electron', 'main.cjs'), appPath, ELECTRON_VERSION],
      {
        cwd: appPath,
        // Loopback-only demo WMS and printer; data under the temp app path.
        env: { ...process.env, RS_DATA_DIR: join(appPath, 'data'), NODE_PATH: join(projectRoot, 'node_modules') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = stdout.split('\n').find((l) => l.startsWith('SMOKE '));
    expect(line, `exit ${code}\n${stdout}\n${stderr}`).toBeDefined();
    const report = JSON.parse(line!.slice('SMOKE '.length)) as {
      shell: boolean;
      errors: unknown[];
      info: { ok: boolean; value?: { wmsIsDemo?: boolean } };
      badInput: { ok: boolean; error?: { code: string } };
    };
    expect(report.errors).toEqual([]);
    expect(report.shell).toBe(true);
    expect(report.info.ok).toBe(true);
    expect(report.info.value?.wmsIsDemo).toBe(true);
    expect(report.badInput).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // The fixture exits 0 only after quit ran the station's close().
    expect(code).toBe(0);
  }, 180_000);
});
