// `prestart`: puts a better-sqlite3 binary built for Electron's ABI in .electron-native/electron-<version>/,
// leaving node_modules/better-sqlite3/build (the Node build that the tests load) untouched.
//
// Only better-sqlite3 needs this. node-hid and @serialport/bindings-cpp load N-API prebuilds
// (prebuilds/*/node-napi-v4.node, @serialport+bindings-cpp.*.node): N-API is ABI-stable across Node
// and Electron, so the same file works in both runtimes. better-sqlite3 uses the V8/NAN API and is
// tied to one ABI (Electron 42 = 146, Node 20 = 115).
//
// On failure it prints one sentence, writes a marker that scripts/start.mjs reads, and exits 0, so
// `npm start` goes on to the browser preview instead of stopping at the prestart step.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const SQLITE_BINARY = 'better_sqlite3.node';
export const FAILURE_MARKER = 'unavailable.json';

export function installedElectronVersion(root = projectRoot) {
  return JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
}

export function electronNativeDir(root, electronVersion) {
  return join(root, '.electron-native', `electron-${electronVersion}`);
}

/** Same precedence as electron's own install.js, so the driver matches the Electron binary that gets downloaded. */
export function targetPlatform(env = process.env) {
  return {
    platform: env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform,
    arch: env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch,
  };
}

function run(command, args, { cwd, env = process.env, timeoutMs }) {
  return new Promise((resolvePromise) => {
    let output = '';
    let child;
    try {
      child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolvePromise({ ok: false, output: String(error) });
      return;
    }
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ ok: false, output: `${output}\n${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ ok: code === 0, output });
    });
  });
}

const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|certificate/i;

/** npm runs lifecycle scripts with npm_config_node_gyp pointing at its bundled node-gyp; electron-builder also brings one. */
function findNodeGyp(env) {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return env.npm_config_node_gyp && existsSync(env.npm_config_node_gyp) ? env.npm_config_node_gyp : null;
  }
}

/** The Electron binary, only if it is already on disk: this step must not trigger its download. */
function electronBinaryIfPresent(root) {
  try {
    const relativePath = readFileSync(join(root, 'node_modules/electron/path.txt'), 'utf8').trim();
    const full = join(root, 'node_modules/electron/dist', relativePath);
    return existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

/**
 * Returns { ok: true, binding, source } or { ok: false, reason, sentence }. Never throws.
 * source: 'cache' | 'prebuild' | 'source'.
 */
export async function prepareElectronNative({
  root = projectRoot,
  electronVersion = installedElectronVersion(root),
  env = process.env,
  log = (line) => console.log(line),
} = {}) {
  const outDir = electronNativeDir(root, electronVersion);
  const binding = join(outDir, SQLITE_BINARY);
  const marker = join(outDir, FAILURE_MARKER);
  if (existsSync(binding)) {
    rmSync(marker, { force: true });
    return { ok: true, binding, source: 'cache' };
  }

  const { platform, arch } = targetPlatform(env);
  const work = mkdtempSync(join(tmpdir(), 'rs-better-sqlite3-'));
  const attempts = [];
  try {
    // A private copy: prebuild-install and node-gyp both write build/Release in place.
    const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
    cpSync(pkgDir, work, {
      recursive: true,
      filter: (src) => {
        const rel = relative(pkgDir, src);
        return rel !== 'build' && !rel.startsWith(`build${sep}`) && rel !== 'node_modules' && !rel.startsWith(`node_modules${sep}`);
      },
    });
    const built = join(work, 'build', 'Release', SQLITE_BINARY);
    // npm_config_* from the surrounding `npm start` (e.g. build_from_source) must not steer these child tools.
    const childEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_config_(build_from_source|runtime|target|arch|platform|disturl)$/i.test(k)));

    const prebuild = await run(
      process.execPath,
      [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform, '--verbose'],
      { cwd: work, env: childEnv, timeoutMs: 5 * 60_000 },
    );
    attempts.push({ step: 'prebuild-install', ...prebuild });

    let source = 'prebuild';
    if (!(prebuild.ok && existsSync(built))) {
      const nodeGyp = findNodeGyp(env);
      const devdir = join(homedir(), '.electron-gyp');
      // Offline, node-gyp could only fail a few seconds later on the headers download; skip it unless they are cached.
      const headersCached = existsSync(join(devdir, electronVersion, 'include', 'node', 'common.gypi'));
      if (nodeGyp && (headersCached || !NETWORK_ERROR.test(prebuild.output))) {
        log(`No prebuilt better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}) was found; trying to compile it (a few minutes)...`);
        const gyp = await run(
          process.execPath,
          [
            nodeGyp,
            'rebuild',
            '--release',
            '--runtime=electron',
            `--target=${electronVersion}`,
            `--arch=${arch}`,
            '--dist-url=https://electronjs.org/headers',
            `--devdir=${devdir}`,
          ],
          { cwd: work, env: childEnv, timeoutMs: 20 * 60_000 },
        );
        attempts.push({ step: 'node-gyp', ...gyp });
        source = 'source';
      }
    }
    if (!existsSync(built)) return fail(outDir, marker, electronVersion, attempts);

    // Load it inside Electron itself when the binary is already here: catches a wrong ABI before the window opens.
    const electronBinary = platform === process.platform && arch === process.arch ? electronBinaryIfPresent(root) : null;
    if (electronBinary) {
      const check = await run(electronBinary, ['-e', `require(${JSON.stringify(built)})`], {
        cwd: work,
        env: { ...childEnv, ELECTRON_RUN_AS_NODE: '1' },
        timeoutMs: 60_000,
      });
      if (!check.ok) {
        attempts.push({ step: 'load check', ...check });
        return fail(outDir, marker, electronVersion, attempts, 'the driver that was obtained does not load in Electron');
      }
    }

    mkdirSync(outDir, { recursive: true });
    const partial = `${binding}.partial`;
    cpSync(built, partial);
    renameSync(partial, binding);
    rmSync(marker, { force: true });
    return { ok: true, binding, source };
  } catch (error) {
    attempts.push({ step: 'prepare', ok: false, output: error instanceof Error ? error.message : String(error) });
    return fail(outDir, marker, electronVersion, attempts);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function fail(outDir, marker, electronVersion, attempts, knownCause) {
  const all = attempts.map((a) => a.output).join('\n');
  const cause =
    knownCause ??
    (NETWORK_ERROR.test(all) ? 'no internet access' : 'no prebuilt binary for this platform and no working C++ toolchain');
  const reason = `The better-sqlite3 database driver for Electron ${electronVersion} could not be downloaded or built on this machine (${cause})`;
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      marker,
      `${JSON.stringify({ reason, at: new Date().toISOString(), attempts: attempts.map((a) => ({ step: a.step, ok: a.ok, output: a.output.slice(-4000) })) }, null, 2)}\n`,
    );
  } catch {
    // The marker only saves start.mjs a second attempt; without it start.mjs simply tries again.
  }
  return { ok: false, reason, sentence: `${reason}, so npm start will open the browser preview instead.` };
}

/** A marker older than this is from an earlier run, not from the prestart step of this `npm start`. */
const MARKER_FRESH_MS = 10 * 60_000;

/** What start.mjs uses: the recorded failure of this prestart run, or null. Reading consumes it so the next `npm start` tries again. */
export function takeFailureMarker(root, electronVersion, now = Date.now()) {
  const marker = join(electronNativeDir(root, electronVersion), FAILURE_MARKER);
  try {
    const parsed = JSON.parse(readFileSync(marker, 'utf8'));
    rmSync(marker, { force: true });
    if (!(now - Date.parse(parsed.at) < MARKER_FRESH_MS)) return null;
    return typeof parsed.reason === 'string' ? parsed.reason : 'The better-sqlite3 database driver for Electron is missing';
  } catch {
    return null;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await prepareElectronNative();
  if (result.ok) {
    if (result.source !== 'cache') console.log(`Prepared better-sqlite3 for Electron (${result.source}): ${relative(projectRoot, result.binding)}`);
  } else if (process.env.npm_lifecycle_event !== 'prestart') {
    // Under `npm start` the start script says the one sentence (Electron itself may be the bigger problem).
    console.log(result.sentence);
  }
  process.exit(0);
}
