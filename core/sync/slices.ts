import { walFrames } from '../../db/checkpoint.js';
import type { Db } from '../../db/connection.js';
import { checkpointFor } from './checkpointer.js';

/**
 * Long sync jobs (a first pull of a million RMAs, a drain of a backlog) run on the station's event loop
 * beside the operator's calls. They work in slices of about this many milliseconds and yield between
 * them, so a scan that arrives meanwhile waits at most one slice (issue 16: the loop was held up to
 * ~470 ms at a time).
 */
export const SLICE_MS = 4;

/**
 * Lets everything already due run first: I/O callbacks (a scan's IPC or WebSocket message), then timers
 * on the next turn. setImmediate rather than a resolved promise, which would run before any of them.
 */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The station's connection does not checkpoint on commit (wal_autocheckpoint = 0; the sync timer does it),
 * and the timer waits for the sync cycle, so a first pull or a long drain would grow the WAL by gigabytes.
 * Past this many frames (about 4 KB each) the job checkpoints between two of its slices (PASSIVE: it never
 * waits for a reader, such as an export's snapshot). The station's checkpoints run in a worker of their own
 * (checkpointer.ts), so their size no longer holds the loop (on the station's thread a 16 MB one took ~50 ms
 * while an export and a pull wrote). Their number still does: after each checkpoint that copied the whole WAL,
 * the next writer starts the WAL over and SQLite syncs its header on the writer's thread (synchronous=NORMAL),
 * a sync that waits for the disk like any other. A checkpoint every ~32 MB instead of every 4 MB did not make
 * the busy bench's stalls shorter (loop delay max 267 ms against 106–144 ms, 2026-12-07), so 4 MB it stays.
 */
export const CHECKPOINT_EVERY_FRAMES = 1024;

export async function checkpointBetweenSlices(db: Db): Promise<void> {
  if (db.memory || walFrames(db) <= CHECKPOINT_EVERY_FRAMES) return;
  await checkpointFor(db, { idle: false, truncateAboveFrames: Number.MAX_SAFE_INTEGER });
  await yieldToLoop();
}
