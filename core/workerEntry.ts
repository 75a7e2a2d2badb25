import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** A file path, or (eval) the code of a CommonJS bootstrap. */
  source: string;
  eval: boolean;
}

/**
 * Where a worker's code is: `<name>` beside the module at `moduleUrl` (its caller's import.meta.url). From TypeScript sources (tests, `npm run preview`, tsx) a small bootstrap
 * registers tsx in the new thread and then imports `<name>.ts` (a loader given as execArgv does not
 * reach a worker's entry on Node 20); in the Electron bundle the caller is part of dist-electron/main.cjs
 * and the worker is its own bundle `<name>.cjs` beside it (scripts/build-electron.mjs).
 */
export function workerEntry(
  name: 'exportWorker' | 'summaryWorker' | 'bulkLoadWorker' | 'bulkValidateWorker' | 'snapshotFileWorker' | 'checkpointWorker' | 'walSyncWorker',
  moduleUrl: string,
): WorkerEntry {
  if (/\.[cm]?ts$/.test(new URL(moduleUrl).pathname)) {
    // require.resolve finds the CommonJS build of tsx's API; its ESM twin sits beside it and is the one whose
    // register() resolves its own hooks file correctly from a worker.
    const tsxApi = pathToFileURL(createRequire(moduleUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const worker = new URL(`./${name}.ts`, moduleUrl).href;
    return { source: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`, eval: true };
  }
  return { source: fileURLToPath(new URL(`./${name}.cjs`, moduleUrl)), eval: false };
}

/** The `id` of a request a worker could not read, to answer it by (-1 when it has none). */
export function unreadableRequestId(raw: unknown): number {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'number' ? id : -1;
}
