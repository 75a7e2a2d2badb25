// The site's prepared reference file (contract/snapshotFile.ts): built ahead by a worker thread, kept on disk,
// served to new benches, rebuilt when the site's copy has changed. A bench that gets a file older than the
// copy loses nothing: the file's cursors are where its cursor pull continues.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PullCursor, SnapshotFileMeta } from '../contract/index.js';
import type { Pool } from './db.js';
import { SnapshotFileResult, type SnapshotFileJob } from './snapshotFileMessages.js';

export interface ReadySnapshotFile {
  file: string;
  sha256: string;
  size: number;
  meta: SnapshotFileMeta;
}

export interface SnapshotFiles {
  /** The file to serve, or null while none is ready. */
  current(): ReadySnapshotFile | null;
  /**
   * Builds a new file when the site's copy has moved past the current one (at most one build at a time; a call
   * during a build makes it check again after). Resolves when the file is current or the build failed.
   */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface SnapshotFilesOptions {
  pool: Pool;
  databaseUrl: string;
  siteId: string;
  dir: string;
  /** Rows per FETCH of the build's cursors. */
  pageRows?: number;
  log?: (line: string) => void;
}

/** The worker's code: from TypeScript sources (`npm run hub` runs on tsx) a bootstrap registers tsx in the thread first. */
function workerSource(): { source: string; eval: boolean } {
  const here = import.meta.url;
  if (/\.ts$/.test(new URL(here).pathname)) {
    const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const worker = new URL('./snapshotFileWorker.ts', here).href;
    return { source: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`, eval: true };
  }
  return { source: fileURLToPath(new URL('./snapshotFileWorker.js', here)), eval: false };
}

function runJob(job: SnapshotFileJob, onWorker: (w: Worker | null) => void): Promise<Extract<SnapshotFileResult, { ok: true }>> {
  const { source, eval: isEval } = workerSource();
  const worker = new Worker(source, { eval: isEval, workerData: job });
  onWorker(worker);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (raw: unknown) => {
      settled = true;
      const parsed = SnapshotFileResult.safeParse(raw);
      void worker.terminate();
      if (!parsed.success) reject(new Error(`the snapshot-file worker sent an unreadable answer: ${parsed.error.message}`));
      else if (!parsed.data.ok) reject(new Error(parsed.data.message));
      else resolve(parsed.data);
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      onWorker(null);
      if (!settled) reject(new Error(`the snapshot-file worker stopped (exit code ${code})`));
    });
  });
}

const sameCursor = (a: PullCursor | null, b: PullCursor | null): boolean => (a === null ? b === null : b !== null && a.updatedSince === b.updatedSince && a.afterId === b.afterId);

/** The last row of each resource in cursor order: it moves whenever the reference pull stores a row. */
async function siteCursors(pool: Pool, siteId: string): Promise<SnapshotFileMeta['cursors']> {
  const r = await pool.query<{ resource: 'products' | 'rmas'; updated_at: string; id: string }>(
    `SELECT resource, updated_at, id FROM (
       (SELECT 'products' AS resource, updated_at, id FROM reference_rows WHERE site_id = $1 AND resource = 'products' ORDER BY updated_at DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT 'rmas', updated_at, id FROM reference_rows WHERE site_id = $1 AND resource = 'rmas' ORDER BY updated_at DESC, id DESC LIMIT 1)
     ) last`,
    [siteId],
  );
  const of = (resource: 'products' | 'rmas'): PullCursor | null => {
    const row = r.rows.find((x) => x.resource === resource);
    return row ? { updatedSince: row.updated_at, afterId: row.id } : null;
  };
  return { products: of('products'), rmas: of('rmas') };
}

export function createSnapshotFiles(options: SnapshotFilesOptions): SnapshotFiles {
  const { pool, siteId, dir } = options;
  const log = options.log ?? (() => undefined);
  let ready: ReadySnapshotFile | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let worker: Worker | null = null;
  const track = (w: Worker | null): void => {
    worker = w;
  };

  const describe = (f: ReadySnapshotFile): string => `${f.meta.counts.rmas} RMAs, ${f.meta.counts.products} products, ${(f.size / 1e6).toFixed(0)} MB`;

  /** Keeps only the file being served (a download in progress keeps its own open handle of an older one). */
  const removeOthers = (): void => {
    for (const name of readdirSync(dir)) {
      if (/^reference-\d+\.sqlite(\.tmp)?$/.test(name) && join(dir, name) !== ready?.file) rmSync(join(dir, name), { force: true });
    }
  };

  /** A file kept from an earlier run is served again if it is still the site's current copy. */
  const adoptKept = async (): Promise<void> => {
    const kept = readdirSync(dir)
      .filter((n) => /^reference-\d+\.sqlite$/.test(n))
      .sort()
      .at(-1);
    if (!kept) return;
    try {
      const found = await runJob({ kind: 'inspect', file: join(dir, kept) }, track);
      const now = await siteCursors(pool, siteId);
      if (found.meta.siteId === siteId && sameCursor(found.meta.cursors.rmas, now.rmas) && sameCursor(found.meta.cursors.products, now.products)) {
        ready = found;
        log(`hub: reference snapshot file ready (kept): ${describe(found)}`);
      }
    } catch (err) {
      log(`hub: the kept reference snapshot file is not usable (${err instanceof Error ? err.message : String(err)}); building a new one`);
    }
  };

  const buildIfStale = async (): Promise<void> => {
    const now = await siteCursors(pool, siteId);
    if (now.rmas === null && now.products === null) return;
    if (ready && sameCursor(ready.meta.cursors.rmas, now.rmas) && sameCursor(ready.meta.cursors.products, now.products)) return;
    const built = await runJob({ kind: 'build', databaseUrl: options.databaseUrl, siteId, dir, pageRows: options.pageRows ?? 5000 }, track);
    if (closed) return;
    ready = built;
    log(`hub: reference snapshot file ready: ${describe(built)}, built in ${(built.ms / 1000).toFixed(1)} s`);
  };

  let first = true;
  const refresh = (): Promise<void> => {
    if (closed) return Promise.resolve();
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      // No place for the file: benches load the NDJSON snapshot, and the hub runs on.
      log(`hub: no folder for the reference snapshot file (${err instanceof Error ? err.message : String(err)})`);
      return Promise.resolve();
    }
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        if (first) {
          first = false;
          await adoptKept();
        }
        do {
          again = false;
          await buildIfStale();
        } while (again && !closed);
      } catch (err) {
        log(`hub: reference snapshot file not built: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        removeOthers();
        running = null;
      }
    })();
    return running;
  };

  return {
    current: () => ready,
    refresh,
    async close() {
      closed = true;
      // A build under way is stopped: its temp file is removed at the next start.
      await worker?.terminate();
      await running;
    },
  };
}
