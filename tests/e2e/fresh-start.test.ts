// The README's first command on a fresh clone: `npm start` with no dist/ and no data, on a machine that
// cannot get Electron (this one: no GitHub). It must build the screens itself, say in one sentence that it
// falls back to the browser preview, and serve an app an operator can sign in to.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../scripts/prepare-electron-native.mjs';
import { CHROMIUM_ARGS, humanType } from './harness.js';

const ANY_FALLBACK_SENTENCE = /^Electron could not be (downloaded|installed) on this machine( \(no internet access\))?, so Returns Station is starting as a browser preview instead\.$/m;
// The preview's own line (the demo WMS and printer print loopback addresses too).
const URL_PATTERN = /preview: (http:\/\/127\.0\.0\.1:\d+\/\S*)/;
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

let work: string;
const children: ChildProcess[] = [];
let browser: Browser | null = null;

/** The checkout as a fresh clone sees it: tracked and new files, nothing ignored (no dist/, no data, no .electron-native/). */
function copyCheckout(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot })
    .toString()
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(projectRoot, f)));
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(projectRoot, file), join(to, file));
  }
  // `npm ci` is the README's first half; the installed tree stands in for it.
  symlinkSync(join(projectRoot, 'node_modules'), join(to, 'node_modules'), 'dir');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rs-fresh-'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The whole group: npm, start.mjs, tsx and the preview it runs.
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

/** Runs an npm script in a fresh copy of the checkout until it prints the preview's URL. */
async function runUntilUrl(name: string, args: string[]): Promise<{ clone: string; url: string; stdout: string; stderr: string }> {
  const clone = join(work, name);
  copyCheckout(clone);
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  const electronInstalled = existsSync(join(projectRoot, 'node_modules', 'electron', 'path.txt'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Where Electron is installed, hide it; otherwise the real download fails against an unreachable mirror.
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    electron_config_cache: join(work, 'electron-cache'),
    ...(electronInstalled ? { ELECTRON_OVERRIDE_DIST_PATH: join(work, 'no-electron') } : {}),
    RS_PREVIEW_PORT: '0',
    RS_DATA_DIR: join(work, `${name}-data`),
  };
  // No settings: the embedded defaults, i.e. demo mode.
  for (const name of ['RS_SKIP_BUILD', 'RS_WMS_URL', 'RS_WMS_TOKEN', 'RS_DEMO']) delete env[name];
  const started = spawn('npm', args, { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(started);
  let stdout = '';
  let stderr = '';
  started.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    started.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = URL_PATTERN.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    started.once('exit', (code) => reject(new Error(`npm ${args.join(' ')} exited (${code}) before printing a URL:\n${stdout}\n${stderr}`)));
  });
  return { clone, url, stdout, stderr };
}

/** Staff sign in with the embedded defaults' demo operator (README) and reach the intake screen. */
async function staffCanSignIn(url: string): Promise<void> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(url);
  try {
    // Typed like a person rather than scanned: this test is about the app being served and usable, and a
    // scan's key timing is what a loaded machine disturbs (the wedge has its own tests).
    await page.locator('html[data-scanner="ready"] [data-testid="signin-badge"]:focus').waitFor({ timeout: 60_000 });
    await humanType(page, 'OP-1001');
    await page.keyboard.press('Enter');
    await page.getByTestId('signin-pin').waitFor({ timeout: 60_000 });
    await humanType(page, '1234');
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-intake').waitFor({ timeout: 60_000 });
  } catch (err) {
    // Say what the operator would have seen instead of the intake screen.
    const seen = (await page.locator('body').innerText()).slice(0, 600);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nThe page showed:\n${seen}`);
  }
  await expect(page.getByTestId('screen-intake').isVisible()).resolves.toBe(true);
  await page.close();
}

describe('a fresh clone without dist/', () => {
  it('npm start builds the screens, says in one sentence that Electron is unavailable, and serves an app staff can sign in to', async () => {
    const { clone, url, stdout, stderr } = await runUntilUrl('start', ['start']);
    expect(stdout).toContain('No RS_WMS_URL set: starting in demo mode (demo WMS, demo printer, demo operators).');
    expect(stdout).toContain('Building the app screens...');
    expect(existsSync(join(clone, 'dist', 'renderer', 'index.html'))).toBe(true);
    expect(stdout).toMatch(ANY_FALLBACK_SENTENCE);
    expect(stdout.match(/browser preview instead/g)).toHaveLength(1);
    expect(stdout + stderr).not.toMatch(STACK_FRAME);
    await staffCanSignIn(url);
  }, 300_000);

  it('npm run preview builds the screens too instead of serving a "not built" page', async () => {
    const { clone, url, stdout, stderr } = await runUntilUrl('preview', ['run', 'preview']);
    expect(stdout).toContain('Building the app screens...');
    expect(existsSync(join(clone, 'dist', 'renderer', 'index.html'))).toBe(true);
    expect(stdout + stderr).not.toMatch(STACK_FRAME);
    await staffCanSignIn(url);
  }, 300_000);
});
