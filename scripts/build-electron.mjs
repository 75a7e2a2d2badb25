// Bundles the Electron main process and preload into dist-electron/ with esbuild.
// main.cjs: CJS, because better-sqlite3/node-hid/serialport stay external and are require()d at run time.
// preload.cjs: CJS and browser-platform, because a sandboxed preload cannot be ESM and has no Node built-ins.
// dist-demo/demo.cjs (only with { demo: true }, i.e. `npm start` in demo mode): app/demo.ts, the demo WMS, the
// printer simulator and the demo operators. It sits outside dist-electron/, which is all electron-builder packs,
// and main.cjs loads it at run time only when RS_DEMO=1: the packaged main bundle never contains demo code.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Native addons (and packages that load them) are require()d from node_modules (app.asar.unpacked when packaged), never bundled. */
export const mainExternals = ['electron', 'better-sqlite3', 'node-hid', 'serialport', '@serialport/*', 'usb', '@node-usb/*'];

/**
 * In the main bundle `better-sqlite3` resolves to a thin stand-in that defaults to the Electron-ABI binary
 * (electron/sqliteForElectron.ts); the stand-in itself loads the real package with a runtime require.
 */
export const mainAliases = { 'better-sqlite3': './electron/sqliteForElectron.ts' };

/** Electron 42 runs Node 24 and Chromium 148; esbuild only needs a floor it can lower to. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome130';

/** Where main.cjs looks for the demo bundle, relative to the app path. */
export const DEMO_BUNDLE = join('dist-demo', 'demo.cjs');

export async function buildElectron({
  root = projectRoot,
  outdir = join(root, 'dist-electron'),
  demoOutfile = join(root, DEMO_BUNDLE),
  demo = false,
  logLevel = 'warning',
} = {}) {
  const common = { bundle: true, sourcemap: 'linked', logLevel, absWorkingDir: root, legalComments: 'none' };
  const nodeCjs = {
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    // better-sqlite3 is aliased, not external: an external import would bypass the alias.
    external: mainExternals.filter((m) => m !== 'better-sqlite3'),
    alias: mainAliases,
    // Modules written as ESM find their own files through import.meta.url; give the CJS bundle a real one.
    banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__import_meta_url' },
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron/main.ts')],
      outfile: join(outdir, 'main.cjs'),
      ...nodeCjs,
    }),
    // Exports run in a worker thread (core/workflow/reports/exportRunner.ts looks for this file beside main.cjs).
    build({
      ...common,
      entryPoints: [join(root, 'core/workflow/reports/exportWorker.ts')],
      outfile: join(outdir, 'exportWorker.cjs'),
      ...nodeCjs,
    }),
    // Report summaries and the dashboard run in a long-lived worker thread (core/workflow/reports/summaryRunner.ts).
    build({
      ...common,
      entryPoints: [join(root, 'core/workflow/reports/summaryWorker.ts')],
      outfile: join(outdir, 'summaryWorker.cjs'),
      ...nodeCjs,
    }),
    // A station's first reference data is loaded in a worker thread (core/sync/bulkLoad.ts).
    build({
      ...common,
      entryPoints: [join(root, 'core/sync/bulkLoadWorker.ts')],
      outfile: join(outdir, 'bulkLoadWorker.cjs'),
      ...nodeCjs,
    }),
    // A first pull's RMA pages are checked against the contract beside it, in threads of their own.
    build({
      ...common,
      entryPoints: [join(root, 'core/sync/bulkValidateWorker.ts')],
      outfile: join(outdir, 'bulkValidateWorker.cjs'),
      ...nodeCjs,
    }),
    // A site hub's prepared reference file: one worker copies it, others check it (core/sync/snapshotFile.ts).
    build({
      ...common,
      entryPoints: [join(root, 'core/sync/snapshotFileWorker.ts')],
      outfile: join(outdir, 'snapshotFileWorker.cjs'),
      ...nodeCjs,
    }),
    // The station's WAL checkpoints run in a long-lived worker thread (core/sync/checkpointer.ts).
    build({
      ...common,
      entryPoints: [join(root, 'core/sync/checkpointWorker.ts')],
      outfile: join(outdir, 'checkpointWorker.cjs'),
      ...nodeCjs,
    }),
    // And its commits' syncs in another (core/sync/walSyncer.ts).
    build({
      ...common,
      entryPoints: [join(root, 'core/sync/walSyncWorker.ts')],
      outfile: join(outdir, 'walSyncWorker.cjs'),
      ...nodeCjs,
    }),
    ...(demo ? [build({ ...common, entryPoints: [join(root, 'app/demo.ts')], outfile: demoOutfile, ...nodeCjs })] : []),
    build({
      ...common,
      entryPoints: [join(root, 'electron/preload.ts')],
      outfile: join(outdir, 'preload.cjs'),
      platform: 'browser',
      format: 'cjs',
      target: CHROME_TARGET,
      external: ['electron'],
    }),
  ]);
  return { main: join(outdir, 'main.cjs'), preload: join(outdir, 'preload.cjs'), exportWorker: join(outdir, 'exportWorker.cjs'), summaryWorker: join(outdir, 'summaryWorker.cjs'), bulkLoadWorker: join(outdir, 'bulkLoadWorker.cjs'), bulkValidateWorker: join(outdir, 'bulkValidateWorker.cjs'), snapshotFileWorker: join(outdir, 'snapshotFileWorker.cjs'), ...(demo ? { demo: demoOutfile } : {}) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const out = await buildElectron({ demo: process.argv.includes('--demo') });
    console.log(`Built ${out.main} and ${out.preload}`);
  } catch (error) {
    // esbuild has already printed the located errors; one line is enough here.
    console.error(`The Electron bundles could not be built: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  }
}
