// The station's worker threads as the packaged app runs them: bundled by scripts/build-electron.mjs into a
// dist-electron/ of their own under perf/cache/ (inside the project, so that their require('better-sqlite3')
// finds node_modules as the packaged app's does). From the TypeScript sources each worker first compiles its
// modules through tsx, which a packaged bench never does; benchmarks that time a worker's whole life use these.
import { join } from 'node:path';
import type { WorkerEntry } from '../../core/workerEntry.js';
import { buildElectron, projectRoot } from '../../scripts/build-electron.mjs';
import { CACHE_DIR } from './referenceDb.js';

export type BundledWorkerName = 'bulkLoadWorker' | 'bulkValidateWorker' | 'snapshotFileWorker' | 'exportWorker' | 'summaryWorker';

/** Builds the bundles (a few seconds) and returns where each worker's is. */
export async function bundledWorkers(): Promise<(name: BundledWorkerName) => WorkerEntry> {
  const outdir = join(CACHE_DIR, 'app', 'dist-electron');
  await buildElectron({ root: projectRoot, outdir });
  return (name) => ({ source: join(outdir, `${name}.cjs`), eval: false });
}
