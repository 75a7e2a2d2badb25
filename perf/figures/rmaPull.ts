// RMA pull: every product and RMA of the demo WMS into an empty station, by the station's own pull code
// (cursor pages over HTTP on loopback, contract checks, upserts), and by the pull as it was before issue 16
// in the same run. The WMS runs in a child process, as a real WMS is another machine.
import { mkdtempSync, rmSync } from 'node:fs';
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
}

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
export async function rmaPullFigures(o: { wmsDbFile: string; expectRmas: number; before?: boolean; log?: (m: string) => void }): Promise<PullFigures> {
  const wms = await startWmsProcess(o.wmsDbFile);
  try {
    let before: PullRun | null = null;
    if (o.before !== false) {
      const b = await timedPull(wms.url, wms.token, (db, c) => pullReferenceDataBefore(db, c), o.expectRmas);
      before = { rmas: b.rmas, seconds: b.seconds, rmasPerSec: b.rmasPerSec, cpuSeconds: b.cpuSeconds, loop: b.loop };
      o.log?.(`  before (pages validated whole, 5,000-row transactions): ${b.seconds.toFixed(1)} s, ${b.cpuSeconds.toFixed(1)} s CPU, loop delay max ${b.loop.maxMs.toFixed(0)} ms`);
    }
    const now = await timedPull(wms.url, wms.token, (db, c) => pullReferenceData(db, c), o.expectRmas);
    o.log?.(`  now (rows checked in slices, short transactions, next page prefetched): ${now.seconds.toFixed(1)} s, ${now.cpuSeconds.toFixed(1)} s CPU, loop delay max ${now.loop.maxMs.toFixed(0)} ms`);
    return { ...now, before };
  } finally {
    wms.stop();
  }
}
