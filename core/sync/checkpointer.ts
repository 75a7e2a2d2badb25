// The station's side of its checkpoint worker (checkpointWorker.ts): the sync timer and the long jobs' slices
// ask for a checkpoint and await it, and the event loop serves scans while the worker copies and syncs.
import { Worker } from 'node:worker_threads';
import { checkpointWal, type CheckpointReport } from '../../db/checkpoint.js';
import type { Db } from '../../db/connection.js';
import { workerEntry, type WorkerEntry } from '../workerEntry.js';
import { CheckpointReply, type CheckpointWorkerData } from './checkpointMessages.js';

export interface CheckpointOptions {
  /** Nothing was recorded lately: a checkpoint that copied everything also truncates the WAL. */
  idle: boolean;
  truncateAboveFrames?: number;
}

export interface Checkpointer {
  /** A checkpoint in the worker; a call while one runs shares it (either keeps the WAL short). */
  checkpoint(options: CheckpointOptions): Promise<CheckpointReport>;
  /** Stops the worker after the checkpoint under way; later calls are refused. */
  close(): Promise<void>;
}

/** Where the checkpoint worker's code is (workerEntry.ts). */
export function checkpointWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return workerEntry('checkpointWorker', moduleUrl);
}

/**
 * Starts the worker at the first checkpoint and keeps it (an idle worker does not keep the process alive). A
 * worker that dies refuses the checkpoint under way, and the next checkpoint starts a new one; one that died
 * before it ever answered is not started again (every checkpoint is then refused, and checkpointFor does it here).
 */
export function startCheckpointer(options: { dbFile: string; nativeBinding?: string; entry?: WorkerEntry }): Checkpointer {
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;
  /** A worker that died before its first answer cannot start here (a missing bundle): not tried again. */
  let cannotStart: Error | null = null;
  let answered = false;
  let running: { id: number; promise: Promise<CheckpointReport>; resolve: (r: CheckpointReport) => void; reject: (e: Error) => void } | null = null;

  const settle = (outcome: { report: CheckpointReport } | { error: Error }): void => {
    const r = running;
    running = null;
    worker?.unref();
    if (!r) return;
    if ('report' in outcome) r.resolve(outcome.report);
    else r.reject(outcome.error);
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const data: CheckpointWorkerData = { dbFile: options.dbFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
    const entry = options.entry ?? checkpointWorkerEntry();
    const w = new Worker(entry.source, { workerData: data, eval: entry.eval });
    w.unref();
    w.on('message', (raw: unknown) => {
      const parsed = CheckpointReply.safeParse(raw);
      if (!parsed.success) return settle({ error: new Error(`checkpoint worker sent an unreadable message: ${parsed.error.message}`) });
      if (parsed.data.id !== running?.id) return;
      answered = true;
      settle(parsed.data.ok ? { report: parsed.data.report } : { error: new Error(`checkpoint failed in its worker: ${parsed.data.message}`) });
    });
    const gone = (err: Error): void => {
      if (worker === w) worker = null;
      if (!answered && !closed) cannotStart ??= err;
      settle({ error: err });
    };
    w.on('error', (err) => gone(err));
    w.on('exit', (code) => gone(new Error(`checkpoint worker stopped (exit code ${code})`)));
    worker = w;
    return w;
  };

  return {
    checkpoint(o) {
      if (closed) return Promise.reject(new Error('the checkpoint worker is closed'));
      if (cannotStart) return Promise.reject(cannotStart);
      if (running) return running.promise;
      const w = ensure();
      const id = ++nextId;
      let resolve!: (r: CheckpointReport) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<CheckpointReport>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      running = { id, promise, resolve, reject };
      w.ref();
      w.postMessage({ id, idle: o.idle, ...(o.truncateAboveFrames !== undefined ? { truncateAboveFrames: o.truncateAboveFrames } : {}) });
      return promise;
    },
    async close() {
      closed = true;
      await running?.promise.catch(() => undefined);
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

const offThread = new WeakMap<Db, Checkpointer>();

/** From now on the long jobs' checkpoints of `db` (checkpointFor) run in `checkpointer`'s worker. */
export function checkpointInWorker(db: Db, checkpointer: Checkpointer): void {
  offThread.set(db, checkpointer);
}

/**
 * A checkpoint of `db`: in its worker where the station gave it one, else (a connection of a test or a
 * tool, or a worker that could not run) here, on this thread.
 */
export async function checkpointFor(db: Db, options: CheckpointOptions): Promise<CheckpointReport> {
  const worker = offThread.get(db);
  if (worker) {
    try {
      return await worker.checkpoint(options);
    } catch {
      // The worker failed or is closed: the WAL must not grow for it, so this thread does the work.
    }
  }
  return checkpointWal(db, options);
}
