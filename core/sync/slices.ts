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
 * Past this many frames (about 4 KB each) the job checkpoints between two of its slices: a small WAL makes
 * that one short stretch (PASSIVE: it never waits for a reader, such as an export's snapshot). The station's
 * checkpoints run in a worker of their own (checkpointer.ts); on the station's thread their syncs waited for
 * whatever an export or a pull had written (16 MB took ~50 ms while both wrote, and single syncs up to 400 ms).
 */
export const CHECKPOINT_EVERY_FRAMES = 1024;

export async function checkpointBetweenSlices(db: Db): Promise<void> {
  if (db.memory || walFrames(db) <= CHECKPOINT_EVERY_FRAMES) return;
  await checkpointFor(db, { idle: false, truncateAboveFrames: Number.MAX_SAFE_INTEGER });
  await yieldToLoop();
}
