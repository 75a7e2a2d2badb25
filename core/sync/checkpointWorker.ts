// Worker-thread entry of the station's WAL checkpoints (checkpointer.ts starts it and keeps it). A checkpoint
// copies the WAL into the database and syncs both files; on the station's thread those syncs waited for the
// disk to write out whatever an export or a pull had written, and every scan waited with them. Here they wait
// on a connection of this thread's own: a PASSIVE checkpoint takes no lock a writer needs, so the station's
// commits go on meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { checkpointWal, keepWalAtMostKeptBytes, restartWal, type CheckpointReport } from '../../db/checkpoint.js';
import { openDatabase } from '../../db/connection.js';
import { unreadableRequestId } from '../workerEntry.js';
import { CheckpointRequest, CheckpointWorkerData, type CheckpointReply } from './checkpointMessages.js';

const port = parentPort;
if (!port) throw new Error('checkpointWorker.ts runs only as a worker thread');
const data = CheckpointWorkerData.parse(workerData);
// The station's thread opened (and migrated) the database already; this connection only checkpoints and restarts
// the WAL. NORMAL, as the station's own: a checkpoint still syncs the WAL and the database file, and the restart's
// commit adds no sync of its own to the header's.
const connection = openDatabase(data.dbFile, { migrate: false, walAutoCheckpoint: false, commitSync: 'deferred', ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
// The restart's commit cuts the WAL back to this size (SQLite's journal_size_limit): the worker never truncates it
// with a TRUNCATE checkpoint, which made the station's transactions fail with SQLITE_BUSY meanwhile (an operator's
// scan answered "something went wrong"; perf/busy.ts with the station's sync timer on, 2026-12-07).
keepWalAtMostKeptBytes(connection);

port.on('message', (raw: unknown) => {
  const parsed = CheckpointRequest.safeParse(raw);
  if (!parsed.success) {
    port.postMessage({ id: unreadableRequestId(raw), ok: false, message: `unreadable request: ${parsed.error.message}` } satisfies CheckpointReply);
    return;
  }
  const r = parsed.data;
  let reply: CheckpointReply;
  try {
    const report = checkpointWal(connection, { idle: r.idle, truncate: false });
    if (copiedEverything(report)) restartQuietly();
    reply = { id: r.id, ok: true, report };
  } catch (err) {
    reply = { id: r.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

port.on('close', () => connection.close());

/**
 * The WAL was copied to its last frame, so the next write starts it over; and it held more than the one frame of
 * this worker's own restart commit, or an idle bench would write and sync that commit again at every tick.
 */
function copiedEverything(report: CheckpointReport): boolean {
  return !report.busy && report.walFrames > OWN_RESTART_FRAMES && report.checkpointed === report.walFrames;
}

/** Frames the restart's commit adds (db/checkpoint.ts restartWal: one row of a one-page table). */
const OWN_RESTART_FRAMES = 1;

/**
 * The first write after a checkpoint that copied everything starts the WAL over and syncs its new header: done
 * here, that sync is not the next operator commit's on the station's thread, and the commit cuts a WAL that grew
 * back to WAL_KEPT_BYTES. A failure only leaves that sync to the station, as before, so it must not fail the
 * checkpoint (the station would then checkpoint on its own thread).
 */
function restartQuietly(): void {
  try {
    restartWal(connection);
  } catch {
    // See above: the checkpoint itself succeeded.
  }
}
