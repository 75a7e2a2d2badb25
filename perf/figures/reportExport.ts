// Report export (CSV and XLSX): the reports teammate's benchmark (perf/export.ts) seeds the items and
// runs each export in its own child process, so peak RSS is the export's own high-water mark.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ExportRun {
  format: 'csv' | 'xlsx';
  rows: number;
  megabytes: number;
  seconds: number;
  /** CPU time of the export's child process, when perf/export.ts reports it. */
  cpuSeconds?: number;
  peakRssMb: number;
}

const EXPORT_BENCH = fileURLToPath(new URL('../export.ts', import.meta.url));
// "csv   1,000 rows  0.3 MB  0.2 s (CPU 0.2 s)  peak RSS 95 MB  (target ...)"; the CPU part is optional.
const LINE = /^(csv|xlsx)\s+([\d,]+) rows\s+([\d.]+) MB\s+([\d.]+) s(?:\s+\(CPU ([\d.]+) s\))?.*?peak RSS (\d+) MB/;

export function reportExportFigures(o: { items: number; log: (m: string) => void }): ExportRun[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', EXPORT_BENCH, '--items', String(o.items)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const runs: ExportRun[] = [];
  for (const line of out.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) {
      if (line.trim()) o.log(`  ${line.trim()}`);
      continue;
    }
    runs.push({
      format: m[1] as 'csv' | 'xlsx',
      rows: Number((m[2] ?? '0').replace(/,/g, '')),
      megabytes: Number(m[3]),
      seconds: Number(m[4]),
      ...(m[5] !== undefined ? { cpuSeconds: Number(m[5]) } : {}),
      peakRssMb: Number(m[6]),
    });
  }
  if (runs.length !== 2) throw new Error(`perf/export.ts printed ${runs.length} export lines, expected 2:\n${out}`);
  return runs;
}
