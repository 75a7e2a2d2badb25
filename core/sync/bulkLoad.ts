// The station's side of a bulk load of reference data (issue 14's snapshot, issue 16's first pull): one write
// path for both. A worker thread (bulkLoadWorker.ts) on a connection of its own parses, checks and writes the
// rows, with plain INSERTs, the RMA indexes deferred, page-sized transactions and no sync until the end; the
// station's thread only downloads text and hands it over, so it is never held for more than a few ms.
import { Worker } from 'node:worker_threads';
import { workerEntry, type WorkerEntry } from '../workerEntry.js';
import type { PullCursor, SnapshotTrailer } from '../../contract/index.js';
import { BulkReply, type BulkRequest, type BulkWorkerData } from './bulkLoadMessages.js';
import { WmsError } from './wmsClient.js';

/** Where the bulk-load worker's code is (core/workerEntry.ts). */
export function bulkLoadWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return workerEntry('bulkLoadWorker', moduleUrl);
}

/** How a bulk load is run; `false` in a caller's options keeps the row-by-row path. */
export interface BulkOptions {
  /** better-sqlite3 binary for the worker's connection (Electron's ABI build). */
  nativeBinding?: string;
  entry?: WorkerEntry;
  /** Called with the worker once it runs (tests kill it midway). */
  onWorker?: (worker: Worker) => void;
}

type Ok = Extract<BulkReply, { ok: true }>;
type Body = BulkRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export interface BulkLoader {
  /** false: the station is no longer empty and nothing was changed (the caller takes the row-by-row path). */
  begin(): Promise<boolean>;
  /** Snapshot lines, numbered from `firstRow` in error messages; the answer carries the trailer when it was among them. */
  lines(resource: 'products' | 'rmas', lines: string[], firstRow: number): Promise<{ rows: number; trailer?: SnapshotTrailer }>;
  /** A piece of a snapshot stream (handed over, not copied); `end` after the last. The answer carries the trailer once read. */
  bytes(resource: 'products' | 'rmas', bytes: Uint8Array, end: boolean): Promise<{ rows: number; trailer?: SnapshotTrailer }>;
  /**
   * A pull page's body (handed over, not copied); answered with the cursor after its last row as soon as that
   * row is checked. The other rows are checked and staged meanwhile; one that fails fails the next request.
   */
  page(resource: 'products' | 'rmas', bytes: Uint8Array, where: string): Promise<{ rows: number; after: PullCursor | null; more: boolean }>;
  /** Builds the indexes, makes the load durable and only then sets the RMA cursor. */
  finish(rmaCursor: PullCursor | null): Promise<void>;
  /** Stops the worker; an unfinished load stays marked so the next start loads again. */
  close(): Promise<void>;
}

export function startBulkLoader(options: { dbFile: string } & BulkOptions): BulkLoader {
  const data: BulkWorkerData = { dbFile: options.dbFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
  const entry = options.entry ?? bulkLoadWorkerEntry();
  const worker = new Worker(entry.source, { workerData: data, eval: entry.eval });
  options.onWorker?.(worker);
  const pending = new Map<number, { resolve: (r: Ok) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let gone: Error | null = null;

  const failAll = (err: Error): void => {
    gone ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (raw: unknown) => {
    const parsed = BulkReply.safeParse(raw);
    if (!parsed.success) return failAll(new Error(`the bulk-load worker sent an unreadable message: ${parsed.error.message}`));
    const reply = parsed.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply);
    else p.reject(reply.kind === 'malformed' ? new WmsError('malformed', reply.message, true) : new Error(`the bulk load could not write: ${reply.message}`));
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`the bulk-load worker stopped (exit code ${code})`)));

  const request = (body: Body, transfer?: Uint8Array): Promise<Ok> => {
    if (gone) return Promise.reject(gone);
    const id = ++nextId;
    return new Promise<Ok>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      // A buffer of its own is moved to the worker; a view into a shared one (Node's pool) is copied.
      const movable = transfer && transfer.byteOffset === 0 && transfer.byteLength === transfer.buffer.byteLength && transfer.buffer instanceof ArrayBuffer;
      worker.postMessage({ ...body, id }, movable ? [transfer.buffer as ArrayBuffer] : []);
    });
  };

  return {
    async begin() {
      return (await request({ kind: 'begin' })).started === true;
    },
    async lines(resource, lines, firstRow) {
      const r = await request({ kind: 'lines', resource, lines, firstRow });
      return { rows: r.rows ?? 0, ...(r.trailer ? { trailer: r.trailer } : {}) };
    },
    async bytes(resource, bytes, end) {
      const r = await request({ kind: 'bytes', resource, bytes, end }, bytes);
      return { rows: r.rows ?? 0, ...(r.trailer ? { trailer: r.trailer } : {}) };
    },
    async page(resource, bytes, where) {
      const r = await request({ kind: 'page', resource, bytes, where }, bytes);
      return { rows: r.rows ?? 0, after: r.after ?? null, more: r.more ?? false };
    },
    async finish(rmaCursor) {
      await request({ kind: 'finish', rmaCursor });
    },
    async close() {
      failAll(new Error('the bulk load was stopped'));
      await worker.terminate();
    },
  };
}
