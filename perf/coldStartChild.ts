// Child process of the cold-start figure: starts a station on an existing data folder and reports,
// as one JSON line, how long start-up took and the process's RSS once idle.
//   node --expose-gc --import tsx perf/coldStartChild.ts <dataDir>
const importStart = performance.now();
const { startStation } = await import('../app/station.js');
const importMs = performance.now() - importStart;

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: coldStartChild.ts <dataDir>');

const t0 = performance.now();
// Opens the database, checks the migrations, builds the services, starts sync and the device manager.
const station = await startStation(
  { stationId: 'BENCH-01', dataDir, printer: { transport: 'none' }, sync: { intervalMs: 3_600_000, batchSize: 200 } },
  { log: () => {} },
);
// Answering a first call is when the bench can work.
const info = await station.handle('cold-start', 'system.info', {});
const startMs = performance.now() - t0;
if (!info.ok) throw new Error(`system.info refused: ${info.error.message}`);

// Idle: let start-up work settle, collect garbage, then read the resident set.
await new Promise((r) => setTimeout(r, 3000));
(globalThis as { gc?: () => void }).gc?.();
await new Promise((r) => setTimeout(r, 500));
const mem = process.memoryUsage();
await station.close();
process.stdout.write(
  JSON.stringify({ importMs, startMs, idleRssMb: mem.rss / 1024 / 1024, heapUsedMb: mem.heapUsed / 1024 / 1024 }) + '\n',
);
export {};
