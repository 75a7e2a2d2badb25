import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress, ExportResult } from '../../contract/index.js';
import { openDatabase } from '../../db/connection.js';
import { seedReportItems } from '../../fixtures/report-data/seedItems.js';
import { startStation, type Station } from '../../app/station.js';

// Large enough that an XLSX export is still writing when the first progress event arrives.
const ITEMS = 30_000;
const OPERATORS = [
  { id: 'OP-1', badge: 'OP-1', name: '佐藤 花子', role: 'staff' as const, pin: '1111' },
  { id: 'OP-2', badge: 'OP-2', name: '田中 一郎', role: 'lead' as const, pin: '2222' },
  { id: 'OP-3', badge: 'OP-3', name: '鈴木 三郎', role: 'supervisor' as const, pin: '3333' },
];

let dir: string;
let exportDir: string;
let station: Station;
const progress: ExportProgress[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-export-worker-'));
  exportDir = join(dir, 'exports');
  mkdirSync(exportDir);
  const dataDir = join(dir, 'data');
  station = await startStation({ dataDir, stationId: 'BENCH-01', exportsRoots: [dir] }, { operators: OPERATORS, log: () => undefined });
  station.subscribe((event, payload) => {
    if (event === 'reports.exportProgress') progress.push(payload as ExportProgress);
  });
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  seedReportItems(db, { items: ITEMS, start: '2026-11-01T21:00:00.000Z', hours: 72, operatorIds: ['OP-1', 'OP-2'] });
  db.close();
  for (const [session, badge, pin] of [['lead', 'OP-2', '2222'], ['sup', 'OP-3', '3333']] as const) {
    expect((await station.handle(session, 'session.signIn', { badge, pin })).ok).toBe(true);
  }
  expect((await station.handle('sup', 'reports.setExportFolder', { folder: exportDir })).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await station?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exports in a worker thread', () => {
  it('streams rows written / total as station events and ends with "done"', async () => {
    progress.length = 0;
    const r = await station.handle('sup', 'reports.export', { format: 'csv', fileName: 'all' });
    expect(r.ok).toBe(true);
    const result = (r as { value: ExportResult }).value;
    expect(result.rows).toBe(ITEMS);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.total === ITEMS && p.jobId === progress[0]!.jobId)).toBe(true);
    // Rows only go up, and the last word is "done" with every row written.
    expect(progress.map((p) => p.rows)).toEqual([...progress.map((p) => p.rows)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ state: 'done', rows: ITEMS, fileName: 'all.csv' });
  });

  it.runIf(process.platform === 'linux')("writes below the station's own thread (nice 10), so a scan gets the CPU first", async () => {
    const nice = (tid: string): number => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const self = readlinkSync('/proc/thread-self').split('/').pop()!;
    let lowered = 0;
    const off = station.subscribe((event, payload) => {
      if (event === 'reports.exportProgress' && (payload as ExportProgress).state === 'running') {
        lowered = Math.max(lowered, readdirSync('/proc/self/task').filter((t) => t !== self && nice(t) === 10).length);
      }
    });
    try {
      expect((await station.handle('sup', 'reports.export', { format: 'xlsx', fileName: 'niced' })).ok).toBe(true);
    } finally {
      off();
    }
    expect(lowered).toBeGreaterThanOrEqual(1);
    expect(nice(self)).toBe(0);
  });

  it('cancel stops a running export: no file under the final name, no temporary file left', async () => {
    progress.length = 0;
    let cancelAnswer: unknown;
    const cancelled = new Promise<void>((resolve) => {
      const off = station.subscribe((event, payload) => {
        const p = payload as ExportProgress;
        if (event === 'reports.exportProgress' && p.state === 'running' && p.rows > 0) {
          off();
          void station.handle('sup', 'reports.cancelExport', {}).then((a) => {
            cancelAnswer = a;
            resolve();
          });
        }
      });
    });
    const r = await station.handle('sup', 'reports.export', { format: 'xlsx', fileName: 'cancel-me' });
    await cancelled;
    expect(cancelAnswer).toMatchObject({ ok: true, value: { cancelled: true } });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', messageKey: 'error.exportCancelled' } });
    expect(progress.at(-1)?.state).toBe('cancelled');
    expect(progress.at(-1)!.rows).toBeLessThan(ITEMS);
    expect(readdirSync(exportDir).filter((f) => f.startsWith('cancel-me') || f.endsWith('.partial'))).toEqual([]);
    // The station takes the next export at once.
    const next = await station.handle('sup', 'reports.export', { format: 'csv', fileName: 'after-cancel' });
    expect(next).toMatchObject({ ok: true, value: { rows: ITEMS } });
  });

  it('cancelling with nothing running says so; only supervisors may cancel', async () => {
    expect(await station.handle('sup', 'reports.cancelExport', {})).toMatchObject({ ok: true, value: { cancelled: false, jobId: null } });
    expect(await station.handle('lead', 'reports.cancelExport', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
