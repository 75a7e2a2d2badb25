// A busy bench: scan → match and the one-item core path measured on a quiet station, then again while an
// XLSX export (the station's own, in its worker), a reference pull and an outbox drain all run in the
// station's process at the same time; the event-loop delay (p99, max) is sampled during each heavy job.
// The WMS the pull and the drain talk to runs in a child process, its database in memory, as a real WMS is
// another machine.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportResult, GradedItem, ItemMatch, ParcelView, Product } from '../../contract/index.js';
import { checkpointInWorker, startCheckpointer, type Checkpointer } from '../../core/sync/checkpointer.js';
import { deliverOutbox } from '../../core/sync/outboxDelivery.js';
import { pullReferenceData } from '../../core/sync/pull.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { checkpointWal } from '../../db/checkpoint.js';
import { openDatabase } from '../../db/connection.js';
import { DEMO_OPERATORS } from '../../fixtures/demo-data/generate.js';
import { seedReportItems } from '../../fixtures/report-data/seedItems.js';
import { startBenchStation } from '../lib/benchStation.js';
import { gcPauses, loopSampler, type LoopDelay } from '../lib/loopSampler.js';
import { syncFile } from '../../shared-node/syncFile.js';
import { percentile } from '../lib/stats.js';
import { startWmsProcess, type WmsProcess } from '../lib/wmsProcess.js';
import { queueOffline } from './outboxDrain.js';
import { benchRma, gs1Code, randomIndexes } from './scanCodes.js';

export type { LoopDelay } from '../lib/loopSampler.js';

export interface HeavyJob {
  job: 'export.xlsx' | 'pull' | 'drain';
  size: number;
  seconds: number;
  loop: LoopDelay;
  /** The station thread's GC pauses during the job (part of the loop delay, or not). */
  gc: { maxMs: number; over20Ms: number };
}

export interface Side {
  scan: Latency;
  corePath: Latency;
}

export interface BusyBenchFigures {
  quiet: Side;
  busy: Side;
  jobs: HeavyJob[];
  /** Event-loop delay over the quiet measurement, for comparison. */
  quietLoop: LoopDelay;
}

export interface BusyBenchOptions {
  stationDbFile: string;
  wmsDbFile: string;
  rmaCount: number;
  products: readonly Product[];
  exportItems: number;
  drainEvents: number;
  /** Timed samples of each kind on the quiet station (and at least that many while busy). */
  samples: number;
  log: (m: string) => void;
  /** The heavy jobs to run (all three unless told): one at a time tells which of them slows the operator. */
  jobs?: readonly HeavyJob['job'][];
}

const TOKEN = 'bench-token';

/** A scan arrives as an IPC or WebSocket message: the loop turns between two of them. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** maxMs tells an operator call that itself stalled from a stall it only waited behind (the loop delay). */
interface Latency {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
}

function summarise(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  return { p50Ms: percentile(s, 50), p99Ms: percentile(s, 99), maxMs: s.at(-1) ?? 0, samples: s.length };
}

export async function busyBenchFigures(o: BusyBenchOptions): Promise<BusyBenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-busy-'));
  const exportDir = join(dir, 'exports');
  mkdirSync(exportDir);
  // The station's sync timer at its default (contract/config.ts): a busy bench checkpoints its WAL as it works, and
  // its commits write over the WAL's start again instead of growing it for the whole run.
  const bs = await startBenchStation(o.stationDbFile, { exportsRoots: [dir], syncIntervalMs: 2000 });
  let wms: WmsProcess | undefined;
  let wmsDir: string | undefined;
  let stopSampler = (): void => undefined;
  const checkpointers: Checkpointer[] = [];
  try {
    // The export's items, written through a second connection as another bench would.
    const seedDb = openDatabase(join(bs.dataDir, 'station.sqlite'));
    try {
      seedReportItems(seedDb, { items: o.exportItems, start: '2026-10-01T00:00:00.000Z', hours: 24 * 30, operatorIds: DEMO_OPERATORS.map((op) => op.id) });
    } finally {
      seedDb.close();
    }
    syncFile(join(bs.dataDir, 'station.sqlite'));
    const sup = DEMO_OPERATORS.find((op) => op.role === 'supervisor');
    if (!sup) throw new Error('no supervisor in the demo data');
    const supOk = async <T>(name: string, input: unknown): Promise<T> => {
      const r = await bs.station.handle('bench-sup', name, input);
      if (!r.ok) throw new Error(`${name} refused: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    await supOk('session.signIn', { badge: sup.badge, pin: sup.pin });
    await supOk('reports.setExportFolder', { folder: exportDir });

    // The WMS gets a copy: the drain writes to it, and the cached file must stay as built. A real WMS is another
    // machine with a disk of its own: its copy goes to memory (tmpfs) where there is one, so the WMS's commits
    // (an fsync per batch the drain posts) do not queue on the bench's disk ahead of the station's own syncs.
    wmsDir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'rs-bench-wms-')) : dir;
    const wmsDb = join(wmsDir, 'wms.sqlite');
    copyFileSync(o.wmsDbFile, wmsDb);
    wms = await startWmsProcess(wmsDb, TOKEN);
    const client = createWmsClient({ baseUrl: wms.url, token: TOKEN, timeoutMs: 120_000 });
    // As the station's own connection: no checkpoint on commit (the jobs checkpoint between their slices), and
    // no sync on commit (the station syncs before it tells anyone: db/durableCommits.ts).
    const pullDb = openDatabase(join(dir, 'pull.sqlite'), { walAutoCheckpoint: false, commitSync: 'deferred' });
    const drainDb = openDatabase(join(dir, 'drain.sqlite'), { walAutoCheckpoint: false, commitSync: 'deferred' });
    // And their checkpoints run in a worker, as the station's do (core/sync/checkpointer.ts).
    for (const [db, file] of [[pullDb, 'pull.sqlite'], [drainDb, 'drain.sqlite']] as const) {
      const checkpointer = startCheckpointer({ dbFile: join(dir, file) });
      checkpointers.push(checkpointer);
      checkpointInWorker(db, checkpointer);
    }
    queueOffline(drainDb, o.drainEvents);
    // The backlog built up over a shift, while the station's sync timer kept checkpointing it (core/station.ts);
    // written in one go here, it would leave the drain's first checkpoint a WAL of the whole backlog to copy.
    checkpointWal(drainDb, { idle: true });

    const bySku = new Map(o.products.map((p) => [p.sku, p]));
    // Every scan opens a return nobody opened yet, as at a real dock.
    const pool = randomIndexes(o.rmaCount, Math.min(o.rmaCount, o.samples * 100 + 20_000), 0xb05e);
    let next = 0;
    const left = (): number => pool.length - next;
    const freshRma = (): ReturnType<typeof benchRma> => {
      const index = pool[next++];
      if (index === undefined) throw new Error('ran out of RMA indexes');
      return benchRma(index, o.products);
    };
    let serial = 0;
    // One scan → match (a tracking number opens a return) and one core path (match, grade, label, outbox).
    const scanOnce = async (): Promise<number> => {
      const rma = freshRma();
      const t0 = performance.now();
      await bs.ok<ParcelView>('parcel.open', { code: rma.trackingNumber });
      return performance.now() - t0;
    };
    const coreOnce = async (): Promise<number> => {
      const rma = freshRma();
      const parcel = await bs.ok<ParcelView>('parcel.open', { code: rma.rmaNumber });
      const line = rma.lines[0];
      const product = line ? bySku.get(line.sku) : undefined;
      if (!line || !product) throw new Error(`${rma.rmaNumber} has no line with a known product`);
      const code = gs1Code(product.gtin, `BUSY${String(serial++).padStart(8, '0')}`);
      const t0 = performance.now();
      const match = await bs.ok<ItemMatch>('parcel.matchItem', { parcelId: parcel.parcelId, code });
      await bs.ok<GradedItem>('item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, answers: { packaging: 'factory_sealed' }, matchToken: match.matchToken });
      return performance.now() - t0;
    };

    for (let w = 0; w < 20; w++) {
      await scanOnce();
      await coreOnce();
    }
    const sampler = loopSampler();
    const gc = gcPauses();
    stopSampler = () => {
      sampler.stop();
      gc.stop();
    };
    const quietFrom = performance.now();
    const quietScan: number[] = [];
    const quietCore: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      await nextTurn();
      quietScan.push(await scanOnce());
      await nextTurn();
      quietCore.push(await coreOnce());
    }
    const quietLoop = sampler.between(quietFrom, performance.now());
    o.log(`  quiet: ${o.samples} scans and ${o.samples} core paths`);

    const timed = async (job: HeavyJob['job'], size: number, run: () => Promise<unknown>): Promise<HeavyJob> => {
      const t0 = performance.now();
      await run();
      const t1 = performance.now();
      return { job, size, seconds: (t1 - t0) / 1000, loop: sampler.between(t0, t1), gc: gc.between(t0, t1) };
    };
    const chosen = new Set(o.jobs ?? ['export.xlsx', 'pull', 'drain']);
    const heavy: [HeavyJob['job'], number, () => Promise<unknown>][] = [
      ['export.xlsx', o.exportItems, () => supOk<ExportResult>('reports.export', { format: 'xlsx', fileName: 'busy-bench', language: 'ja' })],
      ['pull', o.rmaCount, () => pullReferenceData(pullDb, client)],
      ['drain', o.drainEvents, () => deliverOutbox(drainDb, client, { stationId: 'BENCH-01', batchSize: 200 })],
    ];
    const started = heavy.filter(([job]) => chosen.has(job));
    let running = started.length;
    const done = <T>(p: Promise<T>): Promise<T> => p.finally(() => running--);
    const jobs = Promise.all(started.map(([job, size, run]) => done(timed(job, size, run))));
    const busyScan: number[] = [];
    const busyCore: number[] = [];
    // Measured only while at least one heavy job runs (the first pair starts with all three running).
    do {
      await nextTurn();
      busyScan.push(await scanOnce());
      await nextTurn();
      busyCore.push(await coreOnce());
    } while (running > 0 && left() >= 2);
    const jobFigures = await jobs;
    stopSampler();
    pullDb.close();
    drainDb.close();
    o.log(`  busy: ${busyScan.length} scans and core paths while ${jobFigures.map((j) => `${j.job} (${j.seconds.toFixed(1)} s)`).join(', ')} ran`);
    return {
      quiet: { scan: summarise(quietScan), corePath: summarise(quietCore) },
      busy: { scan: summarise(busyScan), corePath: summarise(busyCore) },
      jobs: jobFigures,
      quietLoop,
    };
  } finally {
    stopSampler();
    for (const c of checkpointers) await c.close();
    wms?.stop();
    await bs.close();
    rmSync(dir, { recursive: true, force: true });
    if (wmsDir) rmSync(wmsDir, { recursive: true, force: true });
  }
}
