import { unlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { StationError } from '../errors.js';
import type { ExportJobResult, ExportJobSpec, ExportProgressTick } from './exportJob.js';
import { ExportWorkerMessage, type ExportWorkerData } from './exportMessages.js';
import { workerEntry, type WorkerEntry } from '../../workerEntry.js';

export type { WorkerEntry } from '../../workerEntry.js';

/** Where the export worker's code is (workerEntry.ts). */
export function exportWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return workerEntry('exportWorker', moduleUrl);
}

export interface ExportJob {
  readonly result: Promise<ExportJobResult>;
  /**
   * Asks the worker to stop. If it has not stopped within CANCEL_GRACE_MS it is terminated and the export answers
   * "cancelled" at once; its temporary file is removed when the thread has gone.
   */
  cancel(): void;
}

/**
 * A worker polls the flag every few hundred rows, so it stops well within this; one inside a single long native
 * step (a summary query over a million items takes up to ~8 s) cannot, and terminate() takes effect only when that
 * step returns to JavaScript. The supervisor is not kept waiting for it.
 */
export const CANCEL_GRACE_MS = 300;

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or the worker already removed it
  }
}

export const exportCancelled = (): StationError => new StationError('CONFLICT', 'error.exportCancelled', 'The export was cancelled; no file was written.');

/** Starts one export in a worker thread on its own read-only connection. */
export function startExportWorker(options: {
  dbFile: string;
  nativeBinding?: string;
  spec: ExportJobSpec;
  onProgress?: (tick: ExportProgressTick) => void;
  entry?: WorkerEntry;
}): ExportJob {
  const cancelFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelFlag);
  const data: ExportWorkerData = {
    dbFile: options.dbFile,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    cancelFlag,
    spec: options.spec,
  };
  const entry = options.entry ?? exportWorkerEntry();
  const worker = new Worker(entry.source, { workerData: data, eval: entry.eval });
  let settled = false;
  let completed = false;
  let graceTimer: NodeJS.Timeout | undefined;
  let cancelRequested = false;
  let stopNow = (): void => undefined;

  const result = new Promise<ExportJobResult>((resolve, reject) => {
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      if (graceTimer) clearTimeout(graceTimer);
      f();
      // The worker has posted its last word; let it close its connection and exit on its own.
    };
    worker.on('message', (raw: unknown) => {
      const parsed = ExportWorkerMessage.safeParse(raw);
      if (!parsed.success) return finish(() => reject(new Error(`export worker sent an unreadable message: ${parsed.error.message}`)));
      const m = parsed.data;
      switch (m.type) {
        case 'progress':
          if (!settled) options.onProgress?.({ rows: m.rows, total: m.total });
          return;
        case 'done':
          // Finished before the cancel reached it: the file is complete, so it is kept and reported.
          completed = true;
          return finish(() => resolve(m.result));
        case 'cancelled':
          return finish(() => reject(exportCancelled()));
        case 'error':
          return finish(() => reject(m.error ? new StationError(m.error.code, m.error.messageKey, m.error.message, m.error.params) : new Error(m.message)));
      }
    });
    worker.on('error', (err) => finish(() => (removeQuietly(options.spec.temp), reject(err))));
    worker.on('exit', (code) => {
      // Also after a cancel already answered: a terminated worker can no longer rename its file into place.
      if (!completed) removeQuietly(options.spec.temp);
      finish(() => reject(cancelRequested ? exportCancelled() : new Error(`export worker stopped (exit code ${code}) before it finished`)));
    });
    stopNow = () => {
      void worker.terminate();
      finish(() => reject(exportCancelled()));
    };
  });

  return {
    result,
    cancel() {
      if (settled || cancelRequested) return;
      cancelRequested = true;
      Atomics.store(flag, 0, 1);
      // A worker stuck in one long native step (a huge summary query) cannot look at the flag: stop it.
      graceTimer = setTimeout(stopNow, CANCEL_GRACE_MS);
      graceTimer.unref();
    },
  };
}
