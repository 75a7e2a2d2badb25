// `npx tsx perf/exportCancel.ts [--items 1000000] [--formats csv,xlsx]`: issue 16's "an export of 1M items can be cancelled within 1 s
// and leaves no partial file behind under the final name". The station's own export (in its worker, through
// `station.handle` as the Reports screen calls it) is cancelled at several points of its run: just after it
// started, 6 s after that, at 1 %, 50 % and 99 % of its rows, and for XLSX after its last row (while the workbook is finished). Each
// line gives the time from the cancel call to the export call's answer and what the export folder holds afterwards.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportFormat, type ApiResponse, type ExportProgress } from '../contract/index.js';
import { openDatabase } from '../db/connection.js';
import { DEMO_OPERATORS } from '../fixtures/demo-data/generate.js';
import { seedReportItems } from '../fixtures/report-data/seedItems.js';
import { startBenchStation } from './lib/benchStation.js';
import { numberArg } from './lib/numberArg.js';

const items = numberArg('--items', 1_000_000);
const formatsAt = process.argv.indexOf('--formats');
const formats = (formatsAt >= 0 ? (process.argv[formatsAt + 1] ?? '') : 'csv,xlsx').split(',').map((f) => ExportFormat.parse(f));
const log = (m: string): void => console.log(m);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** When to cancel: a share of the rows written, or (1) the moment the last row's progress arrives. */
const POINTS: { label: string; share: number; afterMs?: number }[] = [
  { label: 'at once (first progress)', share: 0 },
  // XLSX only: its summary sheet's queries run before the first row (about 16 s at 1M items, one of them ~8 s).
  { label: '6 s after the first progress (XLSX: in the summary sheet)', share: 0, afterMs: 6_000 },
  { label: '1 % of rows', share: 0.01 },
  { label: '50 % of rows', share: 0.5 },
  { label: '99 % of rows', share: 0.99 },
  { label: 'after the last row', share: 1 },
];

const dir = mkdtempSync(join(tmpdir(), 'rs-bench-cancel-'));
const exportDir = join(dir, 'exports');
mkdirSync(exportDir);
log(`export cancel: ${items.toLocaleString('en')} items; ${new Date().toISOString()}; load ${load()}`);
const bs = await startBenchStation(undefined, { exportsRoots: [dir] });
try {
  // The items, written through a second connection as another bench's would be (the station enrolled its operators).
  const seedDb = openDatabase(join(bs.dataDir, 'station.sqlite'));
  try {
    seedReportItems(seedDb, { items, start: '2026-10-01T00:00:00.000Z', hours: 24 * 30, operatorIds: DEMO_OPERATORS.map((op) => op.id) });
    seedDb.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    seedDb.close();
  }
  const sup = DEMO_OPERATORS.find((op) => op.role === 'supervisor');
  if (!sup) throw new Error('no supervisor in the demo data');
  const call = (name: string, input: unknown): Promise<ApiResponse> => bs.station.handle('bench-sup', name, input);
  await call('session.signIn', { badge: sup.badge, pin: sup.pin });
  await call('reports.setExportFolder', { folder: exportDir });

  const results: string[] = [];
  for (const format of formats) {
    for (const point of POINTS) {
      const fileName = `cancel-${format}-${Math.round(point.share * 100)}`;
      let cancelAt = 0;
      let rowsAtCancel = 0;
      let total = 0;
      let lastRows = 0;
      let armed = false;
      let timer: NodeJS.Timeout | undefined;
      const off = bs.station.subscribe((event, payload) => {
        if (event !== 'reports.exportProgress') return;
        const p = payload as ExportProgress;
        total = p.total;
        lastRows = p.rows;
        const reached = point.share === 0 ? p.state === 'running' : point.share === 1 ? p.rows >= p.total && p.total > 0 : p.rows >= point.share * p.total;
        if (p.state !== 'running' || !reached || armed) return;
        armed = true;
        const cancel = (): void => {
          cancelAt = performance.now();
          rowsAtCancel = lastRows;
          void call('reports.cancelExport', {});
        };
        if (point.afterMs) timer = setTimeout(cancel, point.afterMs);
        else cancel();
      });
      const t0 = performance.now();
      const answer = await call('reports.export', { format, fileName, language: 'ja' });
      const answered = performance.now();
      off();
      clearTimeout(timer);
      const left = readdirSync(exportDir);
      // A terminated worker's hidden temporary file goes when its thread has gone: how long it stayed.
      let tempGoneMs = 0;
      while (readdirSync(exportDir).some((f) => f.endsWith('.partial')) && tempGoneMs < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        tempGoneMs += 50;
      }
      const cancelled = !answer.ok && answer.error.messageKey === 'error.exportCancelled';
      const line = cancelAt
        ? `${format} ${point.label}: cancel → answer ${(answered - cancelAt).toFixed(0)} ms (${rowsAtCancel.toLocaleString('en')} of ${total.toLocaleString('en')} rows written, ${((cancelAt - t0) / 1000).toFixed(1)} s in); ${cancelled ? 'cancelled' : `NOT cancelled (${answer.ok ? 'the file was finished' : answer.error.code})`}; export folder at the answer: ${left.length === 0 ? 'empty' : left.join(', ')}${tempGoneMs > 0 ? ` (the temporary file was gone ${tempGoneMs} ms later)` : ''}`
        : `${format} ${point.label}: the export ended (${((answered - t0) / 1000).toFixed(1)} s, ${answer.ok ? 'finished' : `${answer.error.code} ${answer.error.message}`}) before that point was reported; export folder: ${left.join(', ') || 'empty'}`;
      log(`  ${line}`);
      results.push(line);
      for (const f of readdirSync(exportDir)) rmSync(join(exportDir, f), { force: true });
    }
  }
  log(`load ${load()}`);
} finally {
  await bs.close();
  rmSync(dir, { recursive: true, force: true });
}
