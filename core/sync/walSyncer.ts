// The station's side of its WAL sync worker (walSyncWorker.ts): db/durableCommits.ts's sync of the WAL before a
// call answers, on a thread of its own rather than in libuv's thread pool, whose locks the station's thread then
// never takes for a commit.
import { open } from 'node:fs/promises';
import { startLongLivedWorker } from '../longLivedWorker.js';
import { workerEntry, type WorkerEntry } from '../workerEntry.js';
import { WalSyncReply, type WalSyncWorkerData } from './walSyncMessages.js';

export interface WalSyncer {
  /** Resolves once the WAL is on disk; rejects with the fsync's error. */
  sync(): Promise<void>;
  /** Stops the worker; later syncs run in the thread pool. */
  close(): Promise<void>;
}

/** Where the WAL sync worker's code is (workerEntry.ts). */
export function walSyncWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return workerEntry('walSyncWorker', moduleUrl);
}

/** The sync as it was before the worker: in the thread pool. Only for a worker that cannot run or has stopped. */
async function syncInPool(walFile: string): Promise<void> {
  let handle;
  try {
    handle = await open(walFile, 'r+');
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT') return;
    throw err;
  }
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export function startWalSyncer(options: { walFile: string; entry?: WorkerEntry }): WalSyncer {
  const worker = startLongLivedWorker({
    name: 'the WAL sync worker',
    entry: () => options.entry ?? walSyncWorkerEntry(),
    workerData: { walFile: options.walFile } satisfies WalSyncWorkerData,
    reply: WalSyncReply,
    giveUpIfNeverAnswered: true,
  });
  return {
    async sync() {
      let reply: WalSyncReply;
      try {
        reply = await worker.request({});
      } catch {
        // The worker could not run or stopped: a commit must still reach the disk before anyone is told.
        return syncInPool(options.walFile);
      }
      if (!reply.ok) throw Object.assign(new Error(`the WAL could not be synced: ${reply.message}`), reply.code ? { code: reply.code } : {});
    },
    close: () => worker.close(),
  };
}
