// Worker-thread entry (snapshotFile.ts starts it for one job): builds the site's prepared reference file
// from PostgreSQL, or inspects one already on disk, off the hub's event loop. A build reads the site's copy in
// one REPEATABLE READ transaction through server-side cursors, writes a temp file and renames it into place
// only once it is complete, synced and hashed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Product, Rma, SNAPSHOT_FILE_FORMAT, SnapshotFileMeta, type PullCursor } from '../contract/index.js';
import { SnapshotFileJob, type SnapshotFileResult } from './snapshotFileMessages.js';
import { createSnapshotFileWriter } from './snapshotFileWriter.js';

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(piece as Buffer);
  return hash.digest('hex');
}

async function build(job: Extract<SnapshotFileJob, { kind: 'build' }>): Promise<SnapshotFileResult> {
  const started = performance.now();
  const builtAt = new Date();
  const name = `reference-${builtAt.getTime()}`;
  const tmp = join(job.dir, `${name}.sqlite.tmp`);
  const final = join(job.dir, `${name}.sqlite`);
  const client = new pg.Client({ connectionString: job.databaseUrl });
  await client.connect();
  const writer = createSnapshotFileWriter(tmp);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Where a bench's cursor pull continues: the last row of each resource in cursor order, in the same picture.
    const cursorOf = async (resource: 'products' | 'rmas'): Promise<PullCursor | null> => {
      const r = await client.query<{ updated_at: string; id: string }>(
        'SELECT updated_at, id FROM reference_rows WHERE site_id = $1 AND resource = $2 ORDER BY updated_at DESC, id DESC LIMIT 1',
        [job.siteId, resource],
      );
      const last = r.rows[0];
      return last ? { updatedSince: last.updated_at, afterId: last.id } : null;
    };
    const cursors = { products: await cursorOf('products'), rmas: await cursorOf('rmas') };
    // In key order (the primary key's index, COLLATE "C": byte order, as SQLite's BINARY compares).
    const copy = async (resource: 'products' | 'rmas', take: (bodies: unknown[]) => void): Promise<void> => {
      await client.query(`DECLARE ${resource}_rows NO SCROLL CURSOR FOR SELECT body FROM reference_rows WHERE site_id = $1 AND resource = $2 ORDER BY id`, [job.siteId, resource]);
      const fetchPage = (): Promise<pg.QueryResult<{ body: unknown }>> => client.query(`FETCH FORWARD ${job.pageRows} FROM ${resource}_rows`);
      let pending: Promise<pg.QueryResult<{ body: unknown }>> | null = fetchPage();
      while (pending) {
        const page: pg.QueryResult<{ body: unknown }> = await pending;
        // The next page is read while this one is written.
        pending = page.rows.length === job.pageRows ? fetchPage() : null;
        take(page.rows.map((r) => r.body));
      }
      await client.query(`CLOSE ${resource}_rows`);
    };
    // Checked again on the way out, as every other answer of the hub is; a row the contract refuses stops the build.
    await copy('products', (bodies) => writer.products(bodies.map((b) => Product.parse(b))));
    await copy('rmas', (bodies) => writer.rmas(bodies.map((b) => Rma.parse(b))));
    await client.query('COMMIT');
    const meta = writer.finish({ format: SNAPSHOT_FILE_FORMAT, siteId: job.siteId, builtAt: builtAt.toISOString(), cursors });
    const fd = await open(tmp, 'r+');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    const sha256 = await sha256Of(tmp);
    const { size } = await stat(tmp);
    await rename(tmp, final);
    return { ok: true, file: final, sha256, size, meta, ms: performance.now() - started };
  } catch (err) {
    writer.abandon();
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function inspect(file: string): Promise<SnapshotFileResult> {
  const started = performance.now();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let meta: SnapshotFileMeta;
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'snapshot'").get() as { value: string } | undefined;
    meta = SnapshotFileMeta.parse(JSON.parse(row?.value ?? 'null'));
  } finally {
    db.close();
  }
  const sha256 = await sha256Of(file);
  const { size } = await stat(file);
  return { ok: true, file, sha256, size, meta, ms: performance.now() - started };
}

const port = parentPort;
if (!port) throw new Error('snapshotFileWorker.ts runs only as a worker thread');
const job = SnapshotFileJob.parse(workerData);
(job.kind === 'build' ? build(job) : inspect(job.file)).then(
  (result) => port.postMessage(result),
  (err: unknown) => port.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies SnapshotFileResult),
);
