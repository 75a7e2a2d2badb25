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
