// Builds the app screens (dist/renderer) when they are missing or older than their sources.
// Both `npm start` and `npm run preview` call this, so a fresh clone never serves an unbuilt renderer.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
// Everything the renderer bundle is built from (folders that do not exist count as never changed).
const RENDERER_INPUTS = ['renderer', 'contract', 'domain', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function rendererIsCurrent(root = defaultRoot) {
  const index = join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) return false;
  return statSync(index).mtimeMs >= Math.max(...RENDERER_INPUTS.map((p) => newestMtime(join(root, p))));
}

/**
 * Runs vite's build API in a child (its output is shown only when it fails). Vite 8's package exports
 * hide `vite/bin/vite.js`, so the build goes through the public `build()` export, never a bin path.
 */
function viteBuild(root) {
  const script = "import('vite').then((v) => v.build({ logLevel: 'warn' })).catch((e) => { console.error(e?.stack ?? String(e)); process.exit(1); });";
  return new Promise((resolvePromise) => {
    let output = '';
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => resolvePromise({ code: -1, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, output }));
  });
}

/** True when dist/renderer is ready; false after printing why it could not be built. */
export async function ensureRenderer({ root = defaultRoot, log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  if (process.env.RS_SKIP_BUILD === '1' || rendererIsCurrent(root)) return true;
  log('Building the app screens...');
  const result = await viteBuild(root);
  if (result.code === 0 && existsSync(join(root, 'dist', 'renderer', 'index.html'))) return true;
  process.stderr.write(`${result.output.split('\n').slice(-40).join('\n')}\n`);
  log('The app screens could not be built (see the messages above), so Returns Station cannot start.');
  return false;
}
