// The station's side of its checkpoint worker (checkpointWorker.ts): the sync timer and the long jobs' slices
// ask for a checkpoint and await it, and the event loop serves scans while the worker copies and syncs.
import { checkpointWal, type CheckpointReport } from '../../db/checkpoint.js';
import type { Db } from '../../db/connection.js';
import { startLongLivedWorker } from '../longLivedWorker.js';
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
  const data: CheckpointWorkerData = { dbFile: options.dbFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
  const worker = startLongLivedWorker({
    name: 'the checkpoint worker',
    entry: () => options.entry ?? checkpointWorkerEntry(),
    workerData: data,
    reply: CheckpointReply,
    giveUpIfNeverAnswered: true,
  });
  let running: Promise<CheckpointReport> | null = null;
  let closed = false;

  const run = async (o: CheckpointOptions): Promise<CheckpointReport> => {
    // The worker never truncates (checkpointWorker.ts): `truncateAboveFrames` counts only on the station's thread.
    const reply = await worker.request({ idle: o.idle });
    if (!reply.ok) throw new Error(`checkpoint failed in its worker: ${reply.message}`);
    return reply.report;
  };

  return {
    checkpoint(o) {
      if (closed) return Promise.reject(new Error('the checkpoint worker is closed'));
      if (running) return running;
      const current = run(o).finally(() => {
        if (running === current) running = null;
      });
      running = current;
      return current;
    },
    async close() {
      closed = true;
      // The checkpoint under way is let finish: a worker stopped mid-copy would leave its work for the next start.
      await running?.catch(() => undefined);
      await worker.close();
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
