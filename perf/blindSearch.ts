// `npx tsx perf/blindSearch.ts [--rmas 1000000] [--iterations 200] [--runs 3] [--before 3]`: the blind-return
// search figures alone (perf/figures/blindSearch.ts), with the load average beside them.
import { readFileSync } from 'node:fs';
import { blindSearchFigures, SEARCH_KINDS } from './figures/blindSearch.js';
import { numberArg } from './lib/numberArg.js';
import { referenceDbs } from './lib/referenceDb.js';

const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').trim();
const log = (m: string): void => console.log(m);
const size = { rmas: numberArg('--rmas', 1_000_000), products: 20_000 };
log(`blind search: ${size.rmas.toLocaleString('en')} RMAs; ${new Date().toISOString()}; /proc/loadavg ${loadavg()}`);
const dbs = referenceDbs(size, log);
const f = await blindSearchFigures({ dbFile: dbs.station.file, iterations: numberArg('--iterations', 200), runs: numberArg('--runs', 3), beforeQueries: numberArg('--before', 3), log });
log('');
log('| query | p50 | p99 |');
log('|---|---|---|');
for (const k of SEARCH_KINDS) log(`| ${k} | ${f.byKind[k].p50Ms.toFixed(2)} ms | ${f.byKind[k].p99Ms.toFixed(2)} ms |`);
log(`indexing ${f.indexing.rmas.toLocaleString('en')} RMAs from empty: ${f.indexing.seconds.toFixed(1)} s (${f.indexing.cpuSeconds.toFixed(1)} s CPU), loop delay p99 ${f.indexing.loop.p99Ms.toFixed(1)} ms, max ${f.indexing.loop.maxMs.toFixed(1)} ms; a one-row station commit every 20 ms meanwhile: p50 ${f.indexing.stationWrite.p50Ms.toFixed(2)}, p99 ${f.indexing.stationWrite.p99Ms.toFixed(2)}, max ${f.indexing.stationWrite.maxMs.toFixed(2)} ms`);
log(`before (every RMA scored in JS): ${f.before.map((b) => `${b.query} ${(b.ms / 1000).toFixed(1)} s`).join(', ')}`);
log(`/proc/loadavg ${loadavg()}`);
