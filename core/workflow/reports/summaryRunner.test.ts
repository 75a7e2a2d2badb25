import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/connection.js';
import { upsertOperator } from '../../../db/repositories/operators.js';
import { seedReportItems } from '../../../fixtures/report-data/seedItems.js';
import { ReportsService } from './service.js';
import { startSummaryWorker, summaryWorkerEntry } from './summaryRunner.js';
import { defaultReportClock } from './clock.js';
import { defaultRecoveryFactors } from './recoveryFactors.js';

const OPERATORS = ['OP-1', 'OP-2', 'OP-3'];
const NOW = new Date('2026-11-20T03:00:00.000Z');

let dir: string;
let db: Db;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-summary-worker-'));
  db = openDatabase(join(dir, 'station.sqlite'));
  for (const id of OPERATORS) upsertOperator(db, { id, badge: id, name: `作業者 ${id}`, role: 'staff', pinHash: 'x' });
  seedReportItems(db, { items: 3000, start: '2026-11-01T00:00:00.000Z', hours: 24 * 20, operatorIds: OPERATORS });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report summaries and the dashboard in a worker thread', () => {
  it('gives the same summary and dashboard as computing them on this thread', async () => {
    const inWorker = new ReportsService({ db, now: () => NOW });
    const here = new ReportsService({ db, now: () => NOW, summariesInWorker: false });
    try {
      const filters = { from: '2026-11-03', to: '2026-11-12' };
      const [a, b] = [await inWorker.summary(filters), await here.summary(filters)];
      expect(a.totals.items).toBeGreaterThan(0);
      expect(a).toEqual(b);
      expect(await inWorker.dashboard()).toEqual(await here.dashboard());
    } finally {
      await inWorker.close();
    }
  });

  it('leaves the event loop free while a summary is computed: a setImmediate queued at the call runs first', async () => {
    const order: string[] = [];
    const inWorker = new ReportsService({ db, now: () => NOW });
    const here = new ReportsService({ db, now: () => NOW, summariesInWorker: false });
    try {
      // Warm: the worker is started by the first request and kept.
      await inWorker.summary({});
      setImmediate(() => order.push('worker: immediate'));
      await inWorker.summary({}).then(() => order.push('worker: summary'));
      // On this thread the whole summary runs inside the call, before anything else can.
      setImmediate(() => order.push('here: immediate'));
      await here.summary({}).then(() => order.push('here: summary'));
      await new Promise((r) => setImmediate(r));
      expect(order).toEqual(['worker: immediate', 'worker: summary', 'here: summary', 'here: immediate']);
    } finally {
      await inWorker.close();
    }
  });

  it('keeps one worker for many requests, answers them concurrently, and refuses requests after close', async () => {
    const worker = startSummaryWorker({ dbFile: db.name });
    const settings = { clock: defaultReportClock, factors: defaultRecoveryFactors, now: NOW };
    const results = await Promise.all([worker.summary({}, settings), worker.dashboard(settings), worker.summary({ from: '2026-11-05', to: '2026-11-05' }, settings)]);
    expect(results[0].totals.items).toBe(3000);
    expect(results[2].totals.items).toBeLessThan(3000);
    await worker.close();
    await expect(worker.summary({}, settings)).rejects.toThrow('closed');
  });

  it('refuses the open requests of a worker that dies, and starts a new one for the next request', async () => {
    const settings = { clock: defaultReportClock, factors: defaultRecoveryFactors, now: NOW };
    let started = 0;
    const real = summaryWorkerEntry();
    const crashing = startSummaryWorker({
      dbFile: db.name,
      get entry() {
        started++;
        // The first worker exits at its first message; later ones are the real worker.
        return started === 1 ? { source: "require('node:worker_threads').parentPort.on('message', () => process.exit(3));", eval: true } : real;
      },
    });
    await expect(crashing.summary({}, settings)).rejects.toThrow('exit code 3');
    expect((await crashing.summary({}, settings)).totals.items).toBe(3000);
    expect(started).toBe(2);
    await crashing.close();
  });

  it('loads the TypeScript worker through tsx from sources, and the bundle beside main.cjs when bundled', () => {
    expect(summaryWorkerEntry(new URL('./summaryRunner.ts', import.meta.url).href)).toMatchObject({ eval: true, source: expect.stringContaining('summaryWorker.ts') });
    expect(summaryWorkerEntry('file:///app/dist-electron/main.cjs')).toEqual({ source: '/app/dist-electron/summaryWorker.cjs', eval: false });
  });
});
