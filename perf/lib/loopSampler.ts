import { PerformanceObserver } from 'node:perf_hooks';
import { percentile } from './stats.js';

export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
}

export interface LoopSampler {
  stop(): void;
  /** The delays of the samples due between `from` and `to` (performance.now() times). */
  between(from: number, to: number): LoopDelay;
}

/**
 * Event-loop delay as a scan arriving at a random moment would feel it: a 1 ms timer re-armed on every
 * firing, each sample being how late it fired, stamped with when it was due. One sampler serves
 * overlapping jobs; each job reads the samples due within its own start and end.
 * (node:perf_hooks' monitorEventLoopDelay gave empty histograms for some of several overlapping ones.)
 */
export function loopSampler(): LoopSampler {
  const due: number[] = [];
  const late: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const expected = performance.now() + 1;
    timer = setTimeout(() => {
      due.push(expected);
      late.push(Math.max(0, performance.now() - expected));
      arm();
    }, 1);
  };
  arm();
  return {
    stop: () => clearTimeout(timer),
    between(from, to) {
      const xs = late.filter((_, i) => (due[i] as number) >= from && (due[i] as number) <= to).sort((a, b) => a - b);
      return { p99Ms: xs.length ? percentile(xs, 99) : 0, maxMs: xs.at(-1) ?? 0 };
    },
  };
}

export interface GcPauses {
  /** Pauses of the thread's own heap that ended between `from` and `to`: the longest, and how many took over 20 ms. */
  between(from: number, to: number): { maxMs: number; over20Ms: number };
  stop(): void;
}

/** The station thread's garbage-collection pauses, to tell a stall of the loop that was the GC's from one that was not. */
export function gcPauses(): GcPauses {
  const seen: { end: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.push({ end: e.startTime + e.duration, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    between(from, to) {
      const xs = seen.filter((p) => p.end >= from && p.end <= to);
      return { maxMs: xs.reduce((m, p) => Math.max(m, p.ms), 0), over20Ms: xs.filter((p) => p.ms > 20).length };
    },
    stop: () => observer.disconnect(),
  };
}
