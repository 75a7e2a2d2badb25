// The busy bench alone (it is also part of `npm run bench`), at a chosen size:
//
//   npx tsx perf/busy.ts                                  1M-RMA pull, 1M-item XLSX export, 100k-event drain
//   npx tsx perf/busy.ts --rmas 200000 --export-items 200000 --drain-events 20000 --samples 200
//   npx tsx perf/busy.ts --out perf/busy-results.json
//   npx tsx perf/busy.ts --jobs export.xlsx,drain             only those heavy jobs (which one slows the operator?)
//
// Prints scan → match and the one-item core path quiet and busy side by side, and the event-loop delay
// during each heavy job. Benchmarks report; they never fail because a machine is slow.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { z } from 'zod';
import { busyBenchFigures } from './figures/busyBench.js';
import { machineInfo } from './lib/machine.js';
import { benchProducts, lineCount, referenceDbs } from './lib/referenceDb.js';
import { numberArg } from './lib/numberArg.js';

const HeavyJobName = z.enum(['export.xlsx', 'pull', 'drain']);
const size = { rmas: numberArg('--rmas', 1_000_000), products: 20_000 };
const exportItems = numberArg('--export-items', 1_000_000);
const drainEvents = numberArg('--drain-events', 100_000);
const samples = numberArg('--samples', 500);
const jobsIndex = process.argv.indexOf('--jobs');
const jobs = jobsIndex >= 0 ? (process.argv[jobsIndex + 1] ?? '').split(',').map((j) => HeavyJobName.parse(j)) : undefined;
const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
const log = (m: string): void => console.log(m);

const machine = machineInfo();
log(`busy bench: ${size.rmas.toLocaleString('en')}-RMA pull, ${exportItems.toLocaleString('en')}-item XLSX export, ${drainEvents.toLocaleString('en')}-event drain; load average ${machine.loadAvg1mAtStart} at start`);
const dbs = referenceDbs(size, log);
const counts = lineCount(dbs.station.file);
const t0 = performance.now();
const busy = await busyBenchFigures({
  stationDbFile: dbs.station.file,
  wmsDbFile: dbs.wms.file,
  rmaCount: counts.rmas,
  products: benchProducts(size),
  exportItems,
  drainEvents,
  samples,
  log,
  ...(jobs ? { jobs } : {}),
});
const ms = (n: number): string => `${n.toFixed(2)} ms`;
log('\n| figure | quiet p99 / p50 | busy p99 / p50 |');
log('|---|---|---|');
log(`| scan → match (tracking) | ${ms(busy.quiet.scan.p99Ms)} / ${ms(busy.quiet.scan.p50Ms)} | ${ms(busy.busy.scan.p99Ms)} / ${ms(busy.busy.scan.p50Ms)} (${busy.busy.scan.samples} samples; max ${ms(busy.busy.scan.maxMs)}) |`);
log(`| one-item core path | ${ms(busy.quiet.corePath.p99Ms)} / ${ms(busy.quiet.corePath.p50Ms)} | ${ms(busy.busy.corePath.p99Ms)} / ${ms(busy.busy.corePath.p50Ms)} (max ${ms(busy.busy.corePath.maxMs)}) |`);
log(`| event-loop delay, p99 / max | ${ms(busy.quietLoop.p99Ms)} / ${ms(busy.quietLoop.maxMs)} | |`);
for (const j of busy.jobs) log(`| event-loop delay during ${j.job} (${j.size.toLocaleString('en')}, ${j.seconds.toFixed(1)} s), p99 / max | | ${ms(j.loop.p99Ms)} / ${ms(j.loop.maxMs)} (GC pause max ${ms(j.gc.maxMs)}, ${j.gc.over20Ms} over 20 ms) |`);
const loadAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s; load average ${machine.loadAvg1mAtStart} at start, ${loadAtEnd} at end`);
if (out) writeFileSync(out, JSON.stringify({ machine: { ...machine, loadAvg1mAtEnd: loadAtEnd }, size, exportItems, drainEvents, samples, busy }, null, 2) + '\n');
