// Background threads (the bulk load's, the prepared-file copy's, an export's) run below the station's own thread.
// A first pull keeps four of them busy (two loading workers, two validators) on a bench PC with as few as two
// cores; at the same priority the station's event loop queued behind them for the CPU (a 1M pull on a loaded
// two-core machine: loop delay p99 16 ms, max 289 ms), and every scan waited with it. Lowered, they take what
// the station leaves.
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value of the bulk load's threads (the station's thread keeps 0). */
const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's priority, for the CPU and for the disk. Linux only: there a thread id names one
 * thread to setpriority(2) and ioprio_set(2) (/proc/thread-self gives it); elsewhere the same calls would name a
 * whole process, so nothing is done.
 */
export function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return;
    setPriority(tid, BACKGROUND_NICE);
  } catch {
    // Best effort: a container without /proc, or a kernel that refuses, leaves the thread as it is.
    return;
  }
  lowerThreadsDiskPriority(tid);
}

/**
 * The idle I/O class for the thread's own reads, writes and syncs: the operator's commit waits for its WAL's sync,
 * and on a busy bench that sync queued behind a bulk load's gigabytes. The kernel's schedulers that keep classes
 * apart (mq-deadline, BFQ) serve the idle class when nothing else waits, with aging so it is not starved. Node has no
 * binding for ioprio_set(2), so util-linux's ionice sets it; without ionice the thread keeps its class.
 */
function lowerThreadsDiskPriority(tid: number): void {
  try {
    execFileSync('ionice', ['-c', '3', '-p', String(tid)], { stdio: 'ignore', timeout: 2000 });
  } catch {
    // Best effort, as above.
  }
}
