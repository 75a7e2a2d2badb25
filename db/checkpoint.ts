import { statSync } from 'node:fs';
import type { Db } from './connection.js';

export interface CheckpointReport {
  mode: 'PASSIVE' | 'TRUNCATE';
  /** Frames in the WAL before the checkpoint (0 after a TRUNCATE that succeeded). */
  walFrames: number;
  /** Frames copied into the database file. */
  checkpointed: number;
  /** A reader or writer kept the checkpoint from finishing; it is tried again next time. */
  busy: boolean;
}

type Row = { busy: number; log: number; checkpointed: number };

/**
 * The WAL a connection with this `journal_size_limit` leaves after starting it over: a checkpoint worker bounds the
 * file this way instead of truncating it (checkpointWorker.ts). About CHECKPOINT_EVERY_FRAMES (core/sync/slices.ts)
 * frames, so a bench's WAL is written over in place between checkpoints rather than grown and freed again.
 */
export const WAL_KEPT_BYTES = 4 * 1024 * 1024;

/** Sets WAL_KEPT_BYTES as the connection's journal_size_limit (the statement is a constant: tests/security/sql.test.ts). */
export function keepWalAtMostKeptBytes(db: Db): void {
  db.pragma('journal_size_limit = 4194304');
}

/** WAL size (frames, about a page each) above which a full checkpoint also truncates the file. */
export const TRUNCATE_ABOVE_FRAMES = 4096;

/**
 * The station's connection runs with wal_autocheckpoint off (so no operator's commit pays for copying the
 * WAL into the database); this runs from the sync timer instead. PASSIVE never waits for anyone. When it
 * copied every frame and the WAL has grown large, or the bench is idle, a TRUNCATE resets the file, with
 * the busy timeout set to 0 so that a reader (an export's snapshot) makes it give up at once instead of
 * holding the event loop for seconds. `truncate: false` where another connection writes meanwhile (the checkpoint
 * worker beside the station): a TRUNCATE from there made the station's transactions fail with SQLITE_BUSY.
 */
export function checkpointWal(db: Db, options: { idle?: boolean; truncateAboveFrames?: number; truncate?: boolean } = {}): CheckpointReport {
  const passive = db.pragma('wal_checkpoint(PASSIVE)') as Row[];
  const p = passive[0] ?? { busy: 0, log: 0, checkpointed: 0 };
  const complete = p.busy === 0 && p.log >= 0 && p.checkpointed === p.log;
  const large = p.log > (options.truncateAboveFrames ?? TRUNCATE_ABOVE_FRAMES);
  if (options.truncate === false || !complete || p.log <= 0 || !(large || options.idle)) {
    return { mode: 'PASSIVE', walFrames: Math.max(p.log, 0), checkpointed: Math.max(p.checkpointed, 0), busy: p.busy !== 0 };
  }
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const t = (db.pragma('wal_checkpoint(TRUNCATE)') as Row[])[0] ?? { busy: 1, log: p.log, checkpointed: p.checkpointed };
    return { mode: 'TRUNCATE', walFrames: p.log, checkpointed: p.checkpointed, busy: t.busy !== 0 };
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * Rewrites the one row of `wal_restarts` (bench migration 017). Called by the checkpoint worker right after a
 * checkpoint that copied the whole WAL: this first write after it starts the WAL over, and SQLite syncs the new
 * header on the thread that writes, so the sync is the worker's and not the next operator's commit's. Where a
 * reader still uses the WAL (an export's snapshot) SQLite does not start it over, and this only adds a frame.
 */
export function restartWal(db: Db): void {
  db.prepare('INSERT INTO wal_restarts (id, restarts) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET restarts = restarts + 1').run();
}

/** Frames in the WAL file right now, read from its size (asking SQLite would itself checkpoint). */
export function walFrames(db: Db): number {
  if (db.memory) return 0;
  let size = 0;
  try {
    size = statSync(`${db.name}-wal`).size;
  } catch {
    return 0;
  }
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  // A 32-byte file header, then one 24-byte frame header and one page per frame.
  return size <= 32 ? 0 : Math.floor((size - 32) / (pageSize + 24));
}
