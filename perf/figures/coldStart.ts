// Core cold start and idle memory, each in a fresh child process on a copy of the 1M-RMA database.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.js';

export interface ColdStartFigures {
  /** Median of the runs: startStation() until a first call is answered. */
  startMs: number;
  /** Loading the station's modules (through tsx in the bench; the packaged app loads a bundle). */
  importMs: number;
  idleRssMb: number;
  runs: number;
}

const CHILD = fileURLToPath(new URL('../coldStartChild.ts', import.meta.url));

export function coldStartFigures(o: { dbFile: string; runs: number }): ColdStartFigures {
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-cold-'));
  try {
    copyFileSync(o.dbFile, join(dir, 'station.sqlite'));
    const results: { importMs: number; startMs: number; idleRssMb: number }[] = [];
    // One start first, untimed: the first start on a fresh copy enrols nothing but may migrate.
    const untimed = o.runs > 1 ? 1 : 0;
    for (let r = 1 - untimed; r <= o.runs; r++) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const line = out.trim().split('\n').at(-1) ?? '';
      if (r > 0) results.push(JSON.parse(line) as { importMs: number; startMs: number; idleRssMb: number });
    }
    return {
      startMs: median(results.map((x) => x.startMs)),
      importMs: median(results.map((x) => x.importMs)),
      idleRssMb: median(results.map((x) => x.idleRssMb)),
      runs: o.runs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
