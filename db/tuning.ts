import { syncFile } from '../shared-node/syncFile.js';
import type { Db } from './connection.js';

/**
 * Runs `write` in one transaction with synchronous=NORMAL, then puts the connection's own setting back.
 * For writes that may be lost to a power cut without harm (see outboxDelivery's acknowledgement marks).
 * better-sqlite3 is synchronous, so no other transaction can run while the setting is relaxed.
 */
export function withRelaxedSync(db: Db, write: () => void): void {
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    db.transaction(write)();
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
}

/** Sets the page cache to `kib`; the returned function puts the connection's own size back (unless it was closed meanwhile). */
function swapPageCache(db: Db, kib: number): () => void {
  const before = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${kib}`);
  return () => {
    if (db.open) db.pragma(`cache_size = ${before}`);
  };
}

/** Runs `work` with a 128 MB page cache for one long bulk write; the cache shrinks back afterwards. */
export async function withLargePageCache<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const restore = swapPageCache(db, 131072);
  try {
    return await work();
  } finally {
    restore();
  }
}

/** The page cache while SQLite sorts a large table (sortInSmallRuns). */
export const SORT_RUN_CACHE_KIB = 4096;

/**
 * Runs `work` (index builds, sorted copies) with a SORT_RUN_CACHE_KIB page cache; the connection's own comes back
 * after. SQLite's sorter keeps one run of up to the cache's size in memory: at 128 MB, a 1M-RMA station's six
 * index builds sorted one huge run each and took 9.4 s; in 4 MB runs merged, 4.3 s, at half the CPU.
 */
export function sortInSmallRuns<T>(db: Db, work: () => T): T {
  const restore = swapPageCache(db, SORT_RUN_CACHE_KIB);
  try {
    return work();
  } finally {
    restore();
  }
}

/**
 * Runs `work` with SQLite's automatic checkpoint off, for a bulk job that checkpoints between its own slices
 * (never inside one of its commits); the connection's setting comes back afterwards.
 */
export async function withoutAutoCheckpoint<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  try {
    return await work();
  } finally {
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
  }
}

/**
 * A connection of its own for loading an empty station's reference data (core/sync/bulkLoadWorker.ts). Only
 * for such a load: a crash loses nothing anyone relied on, since the RMA cursor is written (with a full sync,
 * after an fsync of the database) only at the end, and without it the next start drops what was loaded and
 * loads again (db/repositories/bulkReference.ts).
 */
export function tuneForBulkLoad(db: Db): void {
  // NORMAL: commits do not sync, each checkpoint does (the WAL before it, the database after). With none, the
  // load left ~600 MB of dirty pages for one fsync at the end, and the operators' own commit (synchronous=FULL)
  // waited behind that flush for up to ~600 ms; synced every few megabytes, no fsync waits long.
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -131072');
  // The sorts (of the staged rows, of the index builds) spill to temporary files, not the heap; the staged rows
  // themselves go to a file of the loader's own that it syncs (bulkReference.ts attachStagingFile).
  db.pragma('temp_store = FILE');
  db.pragma('temp.cache_size = -65536');
  // Each RMA's lines are written right after it from the same checked row: the per-line parent probe adds nothing.
  db.pragma('foreign_keys = OFF');
  // A checkpoint (with its two syncs) every ~16 MB of WAL. Against no sync until the end, it costs a 1M-RMA
  // prepared-file copy ~2.5 s (4 MB: ~4.5 s); a 4 KB fsync behind a 16 MB one waited ~20 ms here, behind 800 MB 250 ms.
  db.pragma('wal_autocheckpoint = 4000');
  // A first pull's two loaders append their shares in turns of a chunk each, beside the station's own commits. A
  // loader waits for its turn in a worker of its own, so a long wait costs nothing, while giving up after
  // openDatabase's 5 s failed the whole pull once (busy bench under a CPU profiler, 2026-12-07).
  db.pragma('busy_timeout = 120000');
}

/**
 * Puts everything a bulk load wrote without a sync on disk, then makes the connection's commits durable again:
 * the commit that follows (the RMA cursor) is the load's promise that the rows are there.
 */
export function makeBulkLoadDurable(db: Db, dbFile: string): void {
  db.pragma('wal_checkpoint(PASSIVE)');
  syncFile(dbFile);
  // A full sync of the next commit also syncs the WAL frames written before it.
  db.pragma('synchronous = FULL');
}
