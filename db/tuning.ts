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

/** Runs `work` with a 128 MB page cache for one long bulk write; the cache shrinks back afterwards. */
export async function withLargePageCache<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -131072');
  try {
    return await work();
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
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
