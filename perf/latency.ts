// The scan → match and one-item core-path figures alone (they are also part of `npm run bench`), at a chosen size:
//
//   npx tsx perf/latency.ts                         1M RMAs, 50 warm-up + 3 runs × 500 calls per figure
//   npx tsx perf/latency.ts --rmas 200000 --iterations 500 --runs 3
//
// Each figure is printed with /proc/loadavg at its end, and the run starts and ends with the disk's own
// floor: a one-row commit with synchronous=FULL (one fsync), which every grade pays. Benchmarks report;
// they never fail because a machine is slow.
import { readFileSync } from 'node:fs';
import { latencyFigures, SCAN_KINDS } from './figures/latency.js';
import { commitLatency, machineInfo } from './lib/machine.js';
import { benchProducts, lineCount, referenceDbs } from './lib/referenceDb.js';
import { numberArg } from './lib/numberArg.js';

function loadavgNow(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return 'unavailable';
  }
}

const size = { rmas: numberArg('--rmas', 1_000_000), products: 20_000 };
const opts = { warmup: numberArg('--warmup', 50), iterations: numberArg('--iterations', 500), runs: numberArg('--runs', 3) };
const log = (m: string): void => console.log(m);
const machine = machineInfo();
const ms = (n: number): string => `${n.toFixed(2)} ms`;
const fsyncLine = async (when: string): Promise<void> => {
  const c = await commitLatency(500);
  log(`disk ${when}: a bare one-row commit with synchronous=FULL: p50 ${ms(c.p50Ms)}, p99 ${ms(c.p99Ms)} (loadavg ${loadavgNow()})`);
};

log(`latency: ${size.rmas.toLocaleString('en')} RMAs, ${opts.warmup} warm-up + ${opts.runs} × ${opts.iterations} calls; ${machine.cores} cores, Node ${machine.node}, loadavg ${loadavgNow()}`);
const dbs = referenceDbs(size, log);
const counts = lineCount(dbs.station.file);
const products = benchProducts(size);
await fsyncLine('before');
const figures = await latencyFigures({
  dbFile: dbs.station.file,
  rmaCount: counts.rmas,
  products,
  ...opts,
  log,
  onFigure: (name, l) => log(`  ${name}: p99 ${ms(l.p99Ms)}, p50 ${ms(l.p50Ms)}, CPU ${ms(l.cpuMsPerCall ?? Number.NaN)} per call   [loadavg ${loadavgNow()}]`),
});
await fsyncLine('after');
log('\n| figure | p99 | p50 | CPU per call |');
log('|---|---|---|---|');
for (const kind of SCAN_KINDS) log(`| scan → match: ${kind} | ${ms(figures.scan[kind].p99Ms)} | ${ms(figures.scan[kind].p50Ms)} | ${ms(figures.scan[kind].cpuMsPerCall ?? Number.NaN)} |`);
log(`| one item: match, grade, route, label bytes, outbox commit | ${ms(figures.corePath.p99Ms)} | ${ms(figures.corePath.p50Ms)} | ${ms(figures.corePath.cpuMsPerCall ?? Number.NaN)} |`);
log(`\nloadavg at end ${loadavgNow()}`);
