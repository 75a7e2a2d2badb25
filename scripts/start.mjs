// `npm start`: the desktop app in Electron, or, where Electron cannot run (no binary, no Electron-ABI
// database driver), the same app as the browser preview. Either way it ends in a running app or one
// plain sentence, never a stack trace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildElectron } from './build-electron.mjs';
import { ensureRenderer } from './ensure-renderer.mjs';
import {
  electronNativeDir,
  installedElectronVersion,
  prepareElectronNative,
  projectRoot as root,
  SQLITE_BINARY,
  takeFailureMarker,
} from './prepare-electron-native.mjs';

const require = createRequire(import.meta.url);
const FALLBACK = 'so Returns Station is starting as a browser preview instead.';
const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|fetch failed|socket hang up/i;

function say(line) {
  process.stdout.write(`${line}\n`);
}

function firstLine(error) {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * Path of the Electron executable, downloading it on first use (electron's index.js does that and throws when it cannot).
 * Runs in a child so the downloader's own stack traces stay out of the terminal.
 */
async function locateElectron() {
  const probe = spawn(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stdout = '';
  let stderr = '';
  probe.stdout.on('data', (c) => (stdout += c.toString()));
  probe.stderr.on('data', (c) => (stderr = (stderr + c.toString()).slice(-20_000)));
  // Only a real download takes this long; an offline failure is over before the notice would show.
  const notice = setTimeout(() => say(`Downloading Electron ${installedElectronVersion(root)} (first launch only; this can take a few minutes)...`), 2000);
  const code = await new Promise((resolvePromise) => {
    probe.on('error', () => resolvePromise(-1));
    probe.on('close', (c) => resolvePromise(c ?? -1));
  });
  clearTimeout(notice);
  const path = stdout.trim();
  if (code === 0 && path && existsSync(path)) return { ok: true, path };
  const offline = NETWORK_ERROR.test(stderr);
  return {
    ok: false,
    sentence: offline
      ? `Electron could not be downloaded on this machine (no internet access), ${FALLBACK}`
      : `Electron could not be installed on this machine, ${FALLBACK}`,
  };
}

/** The Electron-ABI better-sqlite3 from the prestart step; prepared here when start.mjs is run without npm. */
async function ensureSqliteForElectron(electronVersion) {
  const binding = join(electronNativeDir(root, electronVersion), SQLITE_BINARY);
  if (existsSync(binding)) return { ok: true };
  const recorded = takeFailureMarker(root, electronVersion);
  if (recorded) return { ok: false, sentence: `${recorded}, ${FALLBACK}` };
  const result = await prepareElectronNative({ root, electronVersion, log: say });
  return result.ok ? { ok: true } : { ok: false, sentence: `${result.reason}, ${FALLBACK}` };
}

/** Runs a long-lived child in the foreground: signals go to it, its exit code becomes ours. */
function foreground(child, onSpawnError) {
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  child.on('error', onSpawnError);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startPreview() {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(root, 'scripts', 'preview.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  foreground(child, (error) => {
    say(`The browser preview could not be started (${firstLine(error)}).`);
    process.exit(1);
  });
}

async function startElectron(electronPath, demo) {
  try {
    await buildElectron({ root, demo });
  } catch (error) {
    say(`The Electron bundles could not be built (${firstLine(error)}), ${FALLBACK}`);
    return startPreview();
  }
  const env = { ...process.env };
  // Inherited from some shells/tools, it would turn the app into a plain Node process.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electronPath, ['.'], { cwd: root, stdio: 'inherit', env, windowsHide: false });
  foreground(child, (error) => {
    say(`Electron could not be started on this machine (${firstLine(error)}), ${FALLBACK}`);
    startPreview();
  });
}

/**
 * `npm start` with no WMS settings is the demo: RS_DEMO=1 unless the environment says otherwise. A packaged app
 * never runs this script, so it never gets demo mode this way.
 */
function chooseDemoMode() {
  if (process.env.RS_DEMO === undefined && !process.env.RS_WMS_URL) process.env.RS_DEMO = '1';
  return process.env.RS_DEMO === '1';
}

async function main() {
  const demo = chooseDemoMode();
  if (demo) say('No RS_WMS_URL set: starting in demo mode (demo WMS, demo printer, demo operators).');
  if (!(await ensureRenderer({ root, log: say }))) process.exit(1);
  const electron = await locateElectron();
  if (!electron.ok) {
    say(electron.sentence);
    return startPreview();
  }
  const sqlite = await ensureSqliteForElectron(installedElectronVersion(root));
  if (!sqlite.ok) {
    say(sqlite.sentence);
    return startPreview();
  }
  return startElectron(electron.path, demo);
}

main().catch((error) => {
  say(`Returns Station could not start (${firstLine(error)}).`);
  process.exit(1);
});
