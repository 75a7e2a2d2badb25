/** Latency figures: percentiles of one run, and the median of several runs' percentiles. */

export interface Latency {
  p50Ms: number;
  p99Ms: number;
  /** Samples per run (after warm-up) and how many runs the medians are taken over. */
  iterations: number;
  runs: number;
  /**
   * Median over the runs of the mean CPU time (user + system, this process) per timed call: unlike the wall
   * clock, it hardly moves with other work on the machine, so it compares changes between loaded runs.
   */
  cpuMsPerCall?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Nearest-rank: the smallest sample with at least p% of samples at or below it.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface MeasureOptions {
  warmup: number;
  iterations: number;
  runs: number;
}

/**
 * Times `op(i)` with performance.now(): `warmup` untimed calls, then `runs` runs of `iterations`
 * timed calls; p50 and p99 are the medians over the runs. `i` counts every call, so callers can
 * pick a different input each time (a fresh RMA per scan).
 */
export async function measure(op: (i: number) => unknown, o: MeasureOptions): Promise<Latency> {
  return measureWithSetup(() => undefined, (_s, i) => op(i), o);
}

/** As measure, with an untimed `setup(i)` before each timed call (e.g. opening the parcel an item goes into). */
export async function measureWithSetup<S>(setup: (i: number) => S | Promise<S>, op: (s: S, i: number) => unknown, o: MeasureOptions): Promise<Latency> {
  let i = 0;
  for (let w = 0; w < o.warmup; w++) {
    const s = await setup(i);
    await op(s, i++);
  }
  const p50s: number[] = [];
  const p99s: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    const samples = new Array<number>(o.iterations);
    let cpuMicros = 0;
    for (let k = 0; k < o.iterations; k++) {
      const s = await setup(i);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await op(s, i++);
      samples[k] = performance.now() - t0;
      const c = process.cpuUsage(c0);
      cpuMicros += c.user + c.system;
    }
    samples.sort((a, b) => a - b);
    p50s.push(percentile(samples, 50));
    p99s.push(percentile(samples, 99));
    cpus.push(cpuMicros / 1000 / o.iterations);
  }
  return { p50Ms: median(p50s), p99Ms: median(p99s), iterations: o.iterations, runs: o.runs, cpuMsPerCall: median(cpus) };
}
