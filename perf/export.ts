// Report export benchmark (issue 8: 1M items to XLSX and to CSV, < 60 s each, peak RSS < 400 MB).
//   npx tsx perf/export.ts                   100k items
//   npx tsx perf/export.ts --items 1000000   the size
//   --keep leaves the temp folder (database and exports) for a look.
// The items are seeded once; each export then runs in its own child process, so the peak RSS printed
// is the export's alone (the OS high-water mark of that process), not the seeding's.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/connection.js';
import { upsertOperator } from '../db/repositories/operators.js';
import { setSetting } from '../db/repositories/settings.js';
import { seedReportItems } from '../fixtures/report-data/seedItems.js';
import { ReportsService, SETTING_EXPORT_FOLDER } from '../core/workflow/reports/service.js';

const OPERATORS = ['OP-1', 'OP-2', 'OP-3', 'OP-4', 'OP-5', 'OP-6'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function child(format: 'csv' | 'xlsx', dbFile: string): Promise<void> {
  const db = openDatabase(dbFile);
  const reports = new ReportsService({ db });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await reports.export({ id: 'OP-1', name: 'bench', role: 'supervisor' }, { format, filters: {}, fileName: `bench-${format}`, language: 'ja' });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  db.close();
  // maxRSS is in kilobytes on Linux.
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ format, rows: result.rows, bytes: result.bytes, seconds, cpuSeconds, peakMb }) + '\n');
}

async function main(): Promise<void> {
  const childFormat = arg('--child');
  if (childFormat === 'csv' || childFormat === 'xlsx') return child(childFormat, arg('--db')!);

  const items = Number(arg('--items') ?? 100_000);
  if (!Number.isInteger(items) || items <= 0) throw new Error('--items must be a positive whole number');
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-export-'));
  const dbFile = join(dir, 'station.sqlite');
  const exportDir = join(dir, 'exports');
  mkdirSync(exportDir);
  try {
    const db = openDatabase(dbFile);
    for (const id of OPERATORS) upsertOperator(db, { id, badge: id, name: `作業者 ${id}`, role: 'staff', pinHash: 'x' });
    setSetting(db, SETTING_EXPORT_FOLDER, exportDir);
    const seedStart = performance.now();
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times stretch under load)`);
    seedReportItems(db, { items, start: '2026-10-01T00:00:00.000Z', hours: 24 * 30, operatorIds: OPERATORS, stationIds: ['BENCH-01', 'BENCH-02'] });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    console.log(`seeded ${items.toLocaleString('en')} items in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const self = fileURLToPath(import.meta.url);
    for (const format of ['csv', 'xlsx'] as const) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', format, '--db', dbFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as { rows: number; bytes: number; seconds: number; cpuSeconds: number; peakMb: number };
      const pass = r.seconds < 60 && r.peakMb < 400 ? 'ok' : 'OVER TARGET';
      console.log(
        `${format.padEnd(4)}  ${r.rows.toLocaleString('en')} rows  ${(r.bytes / 1e6).toFixed(1)} MB  ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s)  peak RSS ${r.peakMb.toFixed(0)} MB  (target < 60 s, < 400 MB: ${pass})`,
      );
    }
  } finally {
    if (process.argv.includes('--keep')) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
