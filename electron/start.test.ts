// `npm start` on a machine that cannot get Electron (this one: no GitHub): one sentence, then the browser preview.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../scripts/prepare-electron-native.mjs';

const OFFLINE_SENTENCE = 'Electron could not be downloaded on this machine (no internet access), so Returns Station is starting as a browser preview instead.';
const ANY_FALLBACK_SENTENCE = /^Electron could not be (downloaded|installed) on this machine( \(no internet access\))?, so Returns Station is starting as a browser preview instead\.$/;
const DEMO_SENTENCE = 'No RS_WMS_URL set: starting in demo mode (demo WMS, demo printer, demo operators).';
// The preview's own line (the demo WMS and printer print loopback addresses too).
const URL_PATTERN = /preview: (http:\/\/127\.0\.0\.1:\d+\/\S*)/;
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

let work: string;
let child: ChildProcess | null = null;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rs-start-'));
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null && child.pid) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    // The whole group: start.mjs, tsx and the preview it runs.
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  child = null;
  rmSync(work, { recursive: true, force: true });
});

describe('npm start without Electron', () => {
  it('says so in one sentence and serves the app as the browser preview', async () => {
    // Where Electron is already installed, hide it; otherwise let the real download fail against an unreachable mirror.
    const electronInstalled = existsSync(join(projectRoot, 'node_modules', 'electron', 'path.txt'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: join(work, 'electron-cache'),
      ...(electronInstalled ? { ELECTRON_OVERRIDE_DIST_PATH: join(work, 'no-electron') } : {}),
      RS_SKIP_BUILD: '1',
      RS_PREVIEW_PORT: '0',
      RS_DATA_DIR: join(work, 'data'),
    };
    // No WMS settings: npm start chooses demo mode and says so.
    delete env.RS_WMS_URL;
    delete env.RS_WMS_TOKEN;
    delete env.RS_DEMO;
    const started = spawn(process.execPath, [join(projectRoot, 'scripts', 'start.mjs')], {
      cwd: projectRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stdout = '';
    let stderr = '';
    started.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      started.stdout?.on('data', (c: Buffer) => {
        stdout += c.toString();
        const match = URL_PATTERN.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      started.once('exit', (code) => reject(new Error(`start.mjs exited (${code}) before printing a URL:\n${stdout}\n${stderr}`)));
    });

    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe(DEMO_SENTENCE);
    expect(lines[1]).toMatch(ANY_FALLBACK_SENTENCE);
    if (!electronInstalled) expect(lines[1]).toBe(OFFLINE_SENTENCE);
    expect(stdout.match(/browser preview instead/g)).toHaveLength(1);
    expect(stdout + stderr).not.toMatch(STACK_FRAME);

    // The printed URL trades its token for a cookie, as a browser would follow it.
    const entry = await fetch(url, { redirect: 'manual' });
    expect(entry.status).toBe(302);
    const cookie = entry.headers.get('set-cookie')?.split(';')[0];
    expect(cookie).toBeTruthy();
    // npm test builds the renderer first (build:renderer); the preview serves it.
    const page = await fetch(new URL(entry.headers.get('location') ?? '/', url), { headers: { cookie: cookie ?? '' } });
    expect(page.status, 'is dist/renderer built? (npm run build:renderer)').toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  }, 180_000);
});
