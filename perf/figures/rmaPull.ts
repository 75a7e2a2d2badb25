// RMA pull: every product and RMA of the demo WMS into an empty station, by the station's own pull code
// (cursor pages over HTTP on loopback; into an empty station the bulk load: the pages' text to a worker thread
// that checks and inserts them), and in the same run by the pull as it was before issue 16 and, on request, by
// the sliced row-by-row pull that an empty station used before the bulk load. The WMS runs in a child process,
// as a real WMS is another machine.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullReferenceData, type PullReport } from '../../core/sync/pull.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { openDatabase, type Db } from '../../db/connection.js';
import type { WmsClient } from '../../core/sync/wmsClient.js';
import { loopSampler, type LoopDelay } from '../lib/loopSampler.js';
import { pullReferenceDataBefore } from '../lib/pullBefore.js';
import { startWmsProcess } from '../lib/wmsProcess.js';

export interface PullRun {
  rmas: number;
  seconds: number;
  rmasPerSec: number;
  /** CPU of the station's process (the WMS's is its own). */
  cpuSeconds: number;
  loop: LoopDelay;
}

export interface PullFigures extends PullRun {
  products: number;
  lines: number;
  /** The pre-issue-16 pull in the same run; null when skipped. */
  before: PullRun | null;
  /** The sliced row-by-row pull (issue 16's first change, before the bulk load) in the same run; null when skipped. */
  sliced: PullRun | null;
}

/** The 1-, 5- and 15-minute load averages as the kernel gives them (the machine is shared; figures follow the load). */
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

type Pull = (db: Db, client: WmsClient) => Promise<PullReport>;

async function timedPull(url: string, token: string, pull: Pull, expectRmas: number): Promise<PullRun & { lines: number; products: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-pull-'));
  // The station's own setting: its connection never checkpoints on commit.
  const db = openDatabase(join(dir, 'station.sqlite'), { walAutoCheckpoint: false });
  const sampler = loopSampler();
  try {
    const client = createWmsClient({ baseUrl: url, token, timeoutMs: 120_000 });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const report = await pull(db, client);
    const cpu = process.cpuUsage(cpu0);
    const t1 = performance.now();
    const seconds = (t1 - t0) / 1000;
    const lines = (db.prepare('SELECT COUNT(*) AS n FROM rma_lines').get() as { n: number }).n;
    if (report.rmas !== expectRmas) throw new Error(`pulled ${report.rmas} RMAs, expected ${expectRmas}`);
    return { rmas: report.rmas, products: report.products, lines, seconds, rmasPerSec: report.rmas / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, loop: sampler.between(t0, t1) };
  } finally {
    sampler.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `wmsDbFile` is read only (the pull writes nothing to the WMS), so the cached file is used in place. */
export async function rmaPullFigures(o: { wmsDbFile: string; expectRmas: number; before?: boolean; sliced?: boolean; log?: (m: string) => void }): Promise<PullFigures> {
  const wms = await startWmsProcess(o.wmsDbFile);
  try {
    let before: PullRun | null = null;
    if (o.before !== false) {
      const b = await timedPull(wms.url, wms.token, (db, c) => pullReferenceDataBefore(db, c), o.expectRmas);
      before = { rmas: b.rmas, seconds: b.seconds, rmasPerSec: b.rmasPerSec, cpuSeconds: b.cpuSeconds, loop: b.loop };
      o.log?.(`  before (pages validated whole, 5,000-row transactions; load ${loadavg()}): ${b.seconds.toFixed(1)} s, ${b.cpuSeconds.toFixed(1)} s CPU, loop delay max ${b.loop.maxMs.toFixed(0)} ms`);
    }
    let sliced: PullRun | null = null;
    if (o.sliced) {
      const s = await timedPull(wms.url, wms.token, (db, c) => pullReferenceData(db, c, { bulk: false }), o.expectRmas);
      sliced = { rmas: s.rmas, seconds: s.seconds, rmasPerSec: s.rmasPerSec, cpuSeconds: s.cpuSeconds, loop: s.loop };
      o.log?.(`  sliced (rows checked in slices, short transactions; load ${loadavg()}): ${s.seconds.toFixed(1)} s, ${s.cpuSeconds.toFixed(1)} s CPU, loop delay max ${s.loop.maxMs.toFixed(0)} ms`);
    }
    const now = await timedPull(wms.url, wms.token, (db, c) => pullReferenceData(db, c), o.expectRmas);
    o.log?.(
      `  now (bulk load in a worker thread; load ${loadavg()}): ${now.seconds.toFixed(1)} s, ${now.cpuSeconds.toFixed(1)} s CPU of the station's process (all its threads), loop delay p99 ${now.loop.p99Ms.toFixed(1)} ms, max ${now.loop.maxMs.toFixed(0)} ms`,
    );
    return { ...now, before, sliced };
  } finally {
    wms.stop();
  }
}
