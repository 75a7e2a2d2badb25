import { cpus, loadavg, totalmem, platform, release } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemMb: number;
  node: string;
  os: string;
  /** 1-minute load average when the bench started: other work on the machine slows every figure. */
  loadAvg1mAtStart: number;
  date: string;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cores: c.length,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    totalMemMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAvg1mAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  };
}

/**
 * The disk's share of every write figure: p50/p99 of a one-row commit with the station's durability
 * (WAL, synchronous=FULL, so one fsync per commit). Scans that open a parcel and grading each commit once.
 */
export async function commitLatency(commits = 200): Promise<{ p50Ms: number; p99Ms: number }> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { default: Database } = await import('better-sqlite3');
  const { percentile } = await import('./stats.js');
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-fsync-'));
  const db = new Database(join(dir, 'probe.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const samples: number[] = [];
    for (let i = 0; i < commits; i++) {
      const t0 = performance.now();
      insert.run(i);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
