// Worker-thread entry of an export (exportRunner.ts starts it): the rows are read on a read-only connection of
// this thread's own and written here, so the station's event loop only forwards progress and waits for "done".
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../db/connection.js';
import { beginReadSnapshot } from '../../../db/readonly.js';
import { lowerThisThreadsPriority } from '../../threadPriority.js';
import { StationError, storageError } from '../errors.js';
import { ExportCancelledError, runExportJob } from './exportJob.js';
import { ExportWorkerData, type ExportWorkerMessage } from './exportMessages.js';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('exportWorker.ts runs only as a worker thread');
  const post = (m: ExportWorkerMessage): void => port.postMessage(m);
  const data = ExportWorkerData.parse(workerData);
  // A month's XLSX is tens of CPU seconds of compression: it takes what the operators' scans leave.
  lowerThisThreadsPriority();
  const flag = new Int32Array(data.cancelFlag);
  const cancelled = (): boolean => Atomics.load(flag, 0) !== 0;
  const connection = openDatabase(data.dbFile, { readonly: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
  const snapshot = beginReadSnapshot(connection);
  try {
    const result = await runExportJob(snapshot.db, data.spec, { cancelled, onProgress: (tick) => post({ type: 'progress', ...tick }) });
    post({ type: 'done', result });
  } catch (err) {
    if (err instanceof ExportCancelledError) {
      post({ type: 'cancelled' });
    } else {
      const known = err instanceof StationError ? err : storageError(err);
      post({
        type: 'error',
        error: known ? known.toApiError() : null,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  } finally {
    snapshot.end();
    connection.close();
  }
}

void main();
