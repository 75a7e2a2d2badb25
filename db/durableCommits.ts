// The station's connection commits with synchronous=NORMAL (openDatabase's `commitSync: 'deferred'`): SQLite
// writes each commit to the WAL without an fsync. With a full sync every commit's fsync ran on the event loop,
// and on a busy bench it waited for the disk to write out what the other jobs had written (an export, a pull, a
// drain): up to 515 ms for one fsync of the WAL in a traced busy bench (perf trace, 2026-12-07), with every scan
// queued behind it. Here the fsync runs in libuv's thread pool instead. A call that changed something waits for
// it before it answers, prints or sends (core/station.ts), so what the operator is told is saved is on disk; the
// loop serves the other calls meanwhile. Calls that commit while an fsync runs share the next one (group commit).
import { open, type FileHandle } from 'node:fs/promises';
import { runAfterCurrent } from '../shared-node/runAfterCurrent.js';
import type { Db } from './connection.js';

export interface DurableCommits {
  /** A number that moves whenever this connection changes a row (SQLite's total_changes()). */
  changes(): number;
  /** Resolves once everything this connection committed before the call is on disk; rejects with the fsync's error. */
  durable(): Promise<void>;
  /** Closes the WAL handle kept for the syncs (after the last sync under way). */
  close(): Promise<void>;
}

/** The WAL opened read-write (Windows flushes a file only through a handle that may write it); null while there is none. */
async function openWal(walFile: string): Promise<FileHandle | null> {
  try {
    return await open(walFile, 'r+');
  } catch (err) {
    // No WAL yet (nothing written since the last connection closed): nothing is waiting to be synced.
    if (err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The WAL kept open between syncs, so a commit waits for one trip through the thread pool, not three. SQLite
 * keeps the file while its connection is open (a checkpoint truncates it, never deletes it), and it takes no
 * lock on it (WAL locks live in the -shm file), so our handle closing cannot drop one of SQLite's locks.
 */
function keptWal(walFile: string): { sync(): Promise<void>; close(): Promise<void> } {
  let handle: FileHandle | null = null;
  return {
    async sync() {
      handle ??= await openWal(walFile);
      await handle?.datasync();
    },
    async close() {
      const h = handle;
      handle = null;
      await h?.close();
    },
  };
}

/** `syncFile` is the fsync of the WAL; tests give one that counts. */
export function durableCommits(db: Db, syncFile?: (walFile: string) => Promise<void>): DurableCommits {
  const total = db.prepare('SELECT total_changes()').pluck();
  const walFile = `${db.name}-wal`;
  const kept = keptWal(walFile);
  const syncNow = syncFile ? () => syncFile(walFile) : () => kept.sync();
  let last = 0;
  // A call that ends after the station closed its connection changes nothing more.
  const changes = (): number => (db.open ? (last = total.get() as number) : last);
  /** changes() when the last sync that finished began: everything up to it is on disk. */
  let synced = -1;
  // A sync under way may have started before the caller's commit: the caller gets the next one, shared.
  const sync = runAfterCurrent(async () => {
    // better-sqlite3's transactions never span an await, so whatever changes() counts here has committed.
    const upTo = changes();
    if (!db.memory) await syncNow();
    synced = upTo;
  });
  return {
    changes,
    durable: () => (changes() === synced ? Promise.resolve() : sync.now()),
    close: async () => {
      await sync.running()?.catch(() => undefined);
      await kept.close();
    },
  };
}
