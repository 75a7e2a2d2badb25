// Background threads (the bulk load's, the prepared-file copy's, an export's) run below the station's own thread.
// A first pull keeps four of them busy (two loading workers, two validators) on a bench PC with as few as two
// cores; at the same priority the station's event loop queued behind them for the CPU (a 1M pull on a loaded
// two-core machine: loop delay p99 16 ms, max 289 ms), and every scan waited with it. Lowered, they take what
// the station leaves.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value of the bulk load's threads (the station's thread keeps 0). */
const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's priority. Linux only: there a thread id names one thread to setpriority(2)
 * (/proc/thread-self gives it); elsewhere the same call would name a whole process, so nothing is done.
 */
export function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, BACKGROUND_NICE);
  } catch {
    // Best effort: a container without /proc, or a kernel that refuses, leaves the thread as it is.
  }
}
