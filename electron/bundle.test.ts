// The built main bundle, not the sources: proves the CJS bundle, its import.meta.url shim and the better-sqlite3
// alias start the real station, that a production start never reaches demo code, and that the packaged files
// hold no fixture module and no demo PIN. Electron itself cannot run here, so `electron` is faked and the Node
// build of better-sqlite3 plays the part of the Electron-ABI one.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_WMS_SENTENCE } from '../app/startApp.js';
import { DEMO_OPERATORS } from '../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { buildElectron, DEMO_BUNDLE } from '../scripts/build-electron.mjs';
import { projectRoot } from '../scripts/prepare-electron-native.mjs';

const require = createRequire(import.meta.url);
const ELECTRON_VERSION = '42.11.18';
let appPath: string;
let wms: DemoWms;

beforeAll(async () => {
  appPath = mkdtempSync(join(tmpdir(), 'rs-bundle-'));
  await buildElectron({ root: projectRoot, outdir: join(appPath, 'dist-electron'), demo: true, demoOutfile: join(appPath, DEMO_BUNDLE) });
  cpSync(join(projectRoot, 'db', 'migrations'), join(appPath, 'db', 'migrations'), { recursive: true });
  mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Returns Station</title>');
  const native = join(appPath, '.electron-native', `electron-${ELECTRON_VERSION}`);
  mkdirSync(native, { recursive: true });
  cpSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node'), join(native, 'better_sqlite3.node'));
  // The site's WMS for the production start: a loopback stand-in the station cannot tell from a real one.
  wms = await startDemoWms({ dbFile: join(appPath, 'site-wms.sqlite'), token: 'site-wms-token-123456' });
}, 120_000);

afterAll(async () => {
  await wms?.close();
  rmSync(appPath, { recursive: true, force: true });
});

interface SmokeReport {
  shell: boolean;
  errors: Array<{ title: string; content: string }>;
  info?: { ok: boolean; value?: { wmsIsDemo?: boolean } };
  badInput?: { ok: boolean; error?: { code: string } };
  setup?: { ok: boolean; value?: { needsFirstSupervisor: boolean } };
}

async function smoke(env: Record<string, string>, dataDir: string): Promise<{ report: SmokeReport; code: number | null }> {
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), join(projectRoot, 'electron', 'bundleSmoke.test-helper.ts'), join(appPath, 'dist-electron', 'main.cjs'), appPath, ELECTRON_VERSION],
    {
      cwd: appPath,
      env: { ...withoutStationSettings(process.env), RS_DATA_DIR: join(appPath, dataDir), NODE_PATH: join(projectRoot, 'node_modules'), ...env },
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
  return { report: JSON.parse(line!.slice('SMOKE '.length)) as SmokeReport, code };
}

/** The developer's own RS_* settings must not decide what the test proves. */
function withoutStationSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => !e[0].startsWith('RS_') && e[1] !== undefined));
}

/** A PIN as an operator record holds it (`pin: "1234"`); the bare digits also occur as GS1 AIs and the like. */
const demoPin = (pin: string): RegExp => new RegExp(`\\bpin["']?\\s*:\\s*["'\`]${pin}["'\`]`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('dist-electron/ (what electron-builder packs)', () => {
  it('holds no fixture module and no demo operator or PIN', () => {
    const files = filesUnder(join(appPath, 'dist-electron'));
    expect(files.map((f) => f.slice(appPath.length + 1)).sort()).toEqual(
      ['bulkLoadWorker.cjs', 'bulkLoadWorker.cjs.map', 'bulkValidateWorker.cjs', 'bulkValidateWorker.cjs.map', 'checkpointWorker.cjs', 'checkpointWorker.cjs.map', 'exportWorker.cjs', 'exportWorker.cjs.map', 'main.cjs', 'main.cjs.map', 'preload.cjs', 'preload.cjs.map', 'snapshotFileWorker.cjs', 'snapshotFileWorker.cjs.map', 'summaryWorker.cjs', 'summaryWorker.cjs.map', 'walSyncWorker.cjs', 'walSyncWorker.cjs.map'].map((f) => join('dist-electron', f)),
    );
    // The source maps list every module esbuild put in a bundle.
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const sources = (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
      expect(sources.filter((s) => /(^|\/)fixtures\//.test(s) || /(^|\/)app\/demo\.ts$/.test(s)), map).toEqual([]);
    }
    // The maps' sourcesContent quotes comments that mention fixtures/; electron-builder leaves *.map out.
    for (const file of files.filter((f) => !f.endsWith('.map'))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/fixtures\//);
      for (const op of DEMO_OPERATORS) {
        expect(text.includes(op.badge), `${file} names demo badge ${op.badge}`).toBe(false);
        expect(demoPin(op.pin).test(text), `${file} holds demo PIN ${op.pin}`).toBe(false);
      }
    }
  });

  it('is not fooled: the demo bundle beside it does hold the fixtures and the demo PINs', () => {
    const demo = readFileSync(join(appPath, DEMO_BUNDLE), 'utf8');
    expect(demo).toMatch(/fixtures\/demo-wms\//);
    for (const op of DEMO_OPERATORS) expect(demoPin(op.pin).test(demo), op.pin).toBe(true);
  });
});

describe('dist-electron/main.cjs', () => {
  it('starts a production bench on its configured WMS: no demo, no operator yet, so first-run enrolment', async () => {
    const { report, code } = await smoke({ RS_WMS_URL: wms.url, RS_WMS_TOKEN: wms.token }, 'production');
    expect(report.errors).toEqual([]);
    expect(report.shell).toBe(true);
    expect(report.info).toMatchObject({ ok: true, value: { wmsIsDemo: false } });
    expect(report.setup).toEqual({ ok: true, value: { needsFirstSupervisor: true } });
    expect(report.badInput).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // The fixture exits 0 only after quit ran the station's close().
    expect(code).toBe(0);
  }, 180_000);

  it('without a WMS and without demo mode says so in one sentence instead of starting a demo WMS', async () => {
    const { report } = await smoke({}, 'no-wms');
    expect(report.shell).toBe(false);
    expect(report.errors).toEqual([{ title: 'Returns Station could not start', content: NO_WMS_SENTENCE }]);
  }, 180_000);

  it('in demo mode (RS_DEMO=1, as npm start sets it) loads the demo parts from dist-demo/ at run time', async () => {
    const { report, code } = await smoke({ RS_DEMO: '1' }, 'demo');
    expect(report.errors).toEqual([]);
    expect(report.info).toMatchObject({ ok: true, value: { wmsIsDemo: true } });
    expect(report.setup).toEqual({ ok: true, value: { needsFirstSupervisor: false } });
    expect(code).toBe(0);
  }, 180_000);
});
