// Worker-thread entry of the station's commit syncs (walSyncer.ts starts it and keeps it). The station's thread
// asked libuv's thread pool for them, and so took the pool's locks on every commit; on a busy bench those locks
// were held by pool threads the heavy jobs' threads kept off the CPU, and the station's thread waited for them
// (futex waits of up to 102 ms in a traced busy bench, 2026-12-07). Here the sync blocks this thread alone.
import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { unreadableRequestId } from '../workerEntry.js';
import { WalSyncRequest, WalSyncWorkerData, type WalSyncReply } from './walSyncMessages.js';

const port = parentPort;
if (!port) throw new Error('walSyncWorker.ts runs only as a worker thread');
const { walFile } = WalSyncWorkerData.parse(workerData);

/** Kept open between syncs (see db/durableCommits.ts keptWal: SQLite never deletes the WAL while it is open). */
let fd: number | null = null;

/** No WAL yet (nothing written since the last connection closed): nothing is waiting to be synced. */
function walFd(): number | null {
  if (fd !== null) return fd;
  try {
    // Read-write: Windows flushes a file only through a handle that may write it.
    fd = openSync(walFile, 'r+');
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
  return fd;
}

port.on('message', (raw: unknown) => {
  const parsed = WalSyncRequest.safeParse(raw);
  if (!parsed.success) {
    port.postMessage({ id: unreadableRequestId(raw), ok: false, message: `unreadable request: ${parsed.error.message}` } satisfies WalSyncReply);
    return;
  }
  let reply: WalSyncReply;
  try {
    const handle = walFd();
    if (handle !== null) fdatasyncSync(handle);
    reply = { id: parsed.data.id, ok: true };
  } catch (err) {
    const code = err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
    reply = { id: parsed.data.id, ok: false, message: err instanceof Error ? err.message : String(err), ...(code ? { code } : {}) };
  }
  port.postMessage(reply);
});

port.on('close', () => {
  if (fd !== null) closeSync(fd);
});
