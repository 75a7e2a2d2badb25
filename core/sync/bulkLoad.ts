// The station's side of a bulk load of reference data (issue 14's snapshot, issue 16's first pull): one write
// path for both. A worker thread (bulkLoadWorker.ts) on a connection of its own parses, checks and writes the
// rows, with plain INSERTs, the RMA indexes deferred, page-sized transactions and no sync until the end; the
// station's thread only downloads text and hands it over, so it is never held for more than a few ms.
// A first pull's RMA pages use both cores: the worker stages each page's RMAs straight from its bytes with
// SQLite's JSON functions, a second one its lines, and validator threads (bulkValidateWorker.ts) check the same
// bytes against the contract meanwhile; nothing reaches the station's tables before every page has passed.
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { workerEntry, type WorkerEntry } from '../workerEntry.js';
import type { PullCursor, SnapshotTrailer } from '../../contract/index.js';
import { stagingFileOf } from '../../db/repositories/bulkReference.js';
import { BulkReply, PageCheckReply, type BulkRequest, type BulkWorkerData, type PageCheckRequest } from './bulkLoadMessages.js';
import { WmsError } from './wmsClient.js';

/** Where the bulk-load worker's code is (core/workerEntry.ts). */
export function bulkLoadWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return workerEntry('bulkLoadWorker', moduleUrl);
}

/** Where the page validator's code is (bulkValidateWorker.ts). */
export function bulkValidateWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return workerEntry('bulkValidateWorker', moduleUrl);
}

/** How a bulk load is run; `false` in a caller's options keeps the row-by-row path. */
export interface BulkOptions {
  /** better-sqlite3 binary for the worker's connection (Electron's ABI build). */
  nativeBinding?: string;
  entry?: WorkerEntry;
  /** Called with the (first) bulk-load worker once it runs (tests kill it midway). */
  onWorker?: (worker: Worker) => void;
  /**
   * Threads checking a first pull's RMA pages against the contract while the bulk-load worker stages them (2:
   * JSON.parse and zod cost about twice the staging, and the two share the machine's cores with the station).
   */
  validators?: number;
  validatorEntry?: WorkerEntry;
}

/** RMA pages handed over and not yet checked: the pull waits before it fetches more (each holds a page's bytes). */
const MAX_UNCHECKED_PAGES = 4;

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
   * A pull page's body (handed over, not copied); answered with the cursor after its last row as soon as the
   * worker has read it. Products pages are checked and written first; an RMA page is staged unchecked while a
   * validator thread checks a copy, and a page that fails refuses the next request or the finish.
   */
  page(resource: 'products' | 'rmas', bytes: Uint8Array, where: string): Promise<{ rows: number; after: PullCursor | null; more: boolean }>;
  /** Once every RMA page has passed its check: builds the indexes, makes the load durable and only then sets the RMA cursor. */
  finish(rmaCursor: PullCursor | null): Promise<void>;
  /** Stops the workers; an unfinished load stays marked so the next start loads again. */
  close(): Promise<void>;
}

export function startBulkLoader(options: { dbFile: string } & BulkOptions): BulkLoader {
  const data: BulkWorkerData = { dbFile: options.dbFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
  const entry = options.entry ?? bulkLoadWorkerEntry();
  const pending = new Map<number, { resolve: (r: Ok) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let gone: Error | null = null;

  const failAll = (err: Error): void => {
    gone ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const start = (part: 'rmas' | 'lines'): Worker => {
    const w = new Worker(entry.source, { workerData: { ...data, part } satisfies BulkWorkerData, eval: entry.eval });
    w.on('message', (raw: unknown) => {
      const parsed = BulkReply.safeParse(raw);
      if (!parsed.success) return failAll(new Error(`the bulk-load worker sent an unreadable message: ${parsed.error.message}`));
      const reply = parsed.data;
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply);
      else p.reject(reply.kind === 'malformed' ? new WmsError('malformed', reply.message, true) : new Error(`the bulk load could not write: ${reply.message}`));
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => failAll(new Error(`the bulk-load worker stopped (exit code ${code})`)));
    return w;
  };
  const worker = start('rmas');
  options.onWorker?.(worker);
  /** A first pull's second worker (started with its first RMA page): it stages the lines and photo hashes. */
  let linesWorker: Worker | null = null;
  /** Pages the lines worker has not staged yet, oldest first. */
  const linesStaging: Promise<Ok>[] = [];

  const send = (to: Worker, body: Body, transfer?: Uint8Array): Promise<Ok> => {
    if (gone) return Promise.reject(gone);
    const id = ++nextId;
    return new Promise<Ok>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      // A buffer of its own is moved to the worker; a view into a shared one (Node's pool) is copied.
      const movable = transfer && transfer.byteOffset === 0 && transfer.byteLength === transfer.buffer.byteLength && transfer.buffer instanceof ArrayBuffer;
      to.postMessage({ ...body, id }, movable ? [transfer.buffer as ArrayBuffer] : []);
    });
  };
  const request = (body: Body, transfer?: Uint8Array): Promise<Ok> => send(worker, body, transfer);
  const linesCaughtUp = async (pages: number): Promise<void> => {
    while (linesStaging.length > pages) await linesStaging.shift();
  };

  const checks = pageChecks(options, failAll);

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
      // The validator gets a copy: the original moves to the bulk-load worker.
      if (resource === 'rmas') checks.check(bytes.slice(), where);
      const r = await request({ kind: 'page', resource, bytes, where }, bytes);
      if (resource === 'rmas' && r.jsonb) {
        // The lines worker stages its share from the page as the first worker read it: the text is parsed once.
        const staging = send((linesWorker ??= start('lines')), { kind: 'pageLines', jsonb: r.jsonb, where }, r.jsonb);
        // Its failure also reaches every later request (failAll); awaited below, the rejection is handled here.
        staging.catch(() => undefined);
        linesStaging.push(staging);
      }
      await Promise.all([checks.caughtUp(MAX_UNCHECKED_PAGES), linesCaughtUp(MAX_UNCHECKED_PAGES)]);
      return { rows: r.rows ?? 0, after: r.after ?? null, more: r.more ?? false };
    },
    async finish(rmaCursor) {
      await Promise.all([checks.caughtUp(0), linesCaughtUp(0)]);
      // Each worker sorts and copies its share at the same time (the lines' sort is the longer); the indexes
      // are built after both, by the finish.
      if (linesWorker) await Promise.all([request({ kind: 'copy' }), send(linesWorker, { kind: 'copy' })]);
      await request({ kind: 'finish', rmaCursor });
    },
    async close() {
      failAll(new Error('the bulk load was stopped'));
      await Promise.all([worker.terminate(), linesWorker?.terminate(), checks.close()]);
      // A terminated worker runs no clean-up of its own (its connections are closed with the thread). Not rmSync:
      // freeing a file of a gigabyte is not for the station's thread to wait on.
      await Promise.all((['rmas', 'lines'] as const).map((part) => rm(stagingFileOf(options.dbFile, part), { force: true }).catch(() => undefined)));
    },
  };
}

/**
 * The validator threads of one load (started with its first RMA page): pages go round them in turn. The first
 * page that fails its check (or a validator that stops) ends the load through `fail`, which refuses every request
 * after it, the finish included, so the staged rows never reach the station's tables and no cursor is set.
 */
function pageChecks(options: BulkOptions, fail: (err: Error) => void): { check(bytes: Uint8Array, where: string): void; caughtUp(pages: number): Promise<void>; close(): Promise<void> } {
  const workers: Worker[] = [];
  const waiting = new Map<number, () => void>();
  let nextId = 0;
  let turn = 0;
  let refused: Error | null = null;
  const refuse = (err: Error): void => {
    refused ??= err;
    fail(refused);
    for (const done of waiting.values()) done();
    waiting.clear();
  };
  const start = (): Worker => {
    const entry = options.validatorEntry ?? bulkValidateWorkerEntry();
    const w = new Worker(entry.source, { eval: entry.eval });
    w.on('message', (raw: unknown) => {
      const parsed = PageCheckReply.safeParse(raw);
      if (!parsed.success) return refuse(new Error(`the page validator sent an unreadable message: ${parsed.error.message}`));
      const reply = parsed.data;
      if (!reply.ok) refuse(reply.malformed ? new WmsError('malformed', reply.message, true) : new Error(`the page validator failed: ${reply.message}`));
      waiting.get(reply.id)?.();
      waiting.delete(reply.id);
    });
    w.on('error', (err) => refuse(err));
    w.on('exit', (code) => refuse(new Error(`the page validator stopped (exit code ${code})`)));
    return w;
  };
  // Resolved as the checks finish; a refusal resolves them all (the refusal itself reaches the pull through `fail`).
  const settled: Promise<void>[] = [];
  return {
    check(bytes, where) {
      if (refused) return;
      if (workers.length < Math.max(1, options.validators ?? 2)) workers.push(start());
      const id = ++nextId;
      settled.push(new Promise<void>((resolve) => waiting.set(id, resolve)));
      const w = workers[turn++ % workers.length]!;
      w.postMessage({ id, bytes, where } satisfies PageCheckRequest, [bytes.buffer as ArrayBuffer]);
    },
    async caughtUp(pages) {
      while (settled.length > pages) await settled.shift();
      if (refused) throw refused;
    },
    async close() {
      refuse(new Error('the bulk load was stopped'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
