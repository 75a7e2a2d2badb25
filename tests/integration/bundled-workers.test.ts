// The loading workers as the packaged app runs them: from their bundles in dist-electron/ (scripts/build-electron.mjs),
// where no migrations folder sits beside them (the app's migrations are under db/migrations of the app path, and only
// the station's thread is told where). A first pull and a prepared-file bootstrap into an empty station, each
// through the bundled workers, must load everything; the station's checkpoint and commit-sync workers must answer.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Product, Rma, SNAPSHOT_FILE_FORMAT } from '../../contract/index.js';
import { pullReferenceData } from '../../core/sync/pull.js';
import { loadSnapshotFile } from '../../core/sync/snapshotFile.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import type { WorkerEntry } from '../../core/workerEntry.js';
import { openDatabase } from '../../db/connection.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { createSnapshotFileWriter } from '../../hub/snapshotFileWriter.js';
import { buildElectron } from '../../scripts/build-electron.mjs';
import { projectRoot } from '../../scripts/prepare-electron-native.mjs';

const data = generateDemoData({ seed: 11, rmas: 60 });
const products = data.products.map((p) => Product.parse(p)).sort((a, b) => (a.sku < b.sku ? -1 : 1));
const rmas = data.rmas.map((r) => Rma.parse(r)).sort((a, b) => (a.rmaNumber < b.rmaNumber ? -1 : 1));

let dir: string;
let wms: DemoWms;
const bundled = (name: string): WorkerEntry => ({ source: join(dir, 'app', 'dist-electron', `${name}.cjs`), eval: false });
const count = (db: ReturnType<typeof openDatabase>, table: 'rmas' | 'rma_lines' | 'products'): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

beforeAll(async () => {
  // Inside the project, so that the bundles' require('better-sqlite3') finds node_modules as the packaged app's would.
  mkdirSync(join(projectRoot, 'node_modules', '.cache'), { recursive: true });
  dir = mkdtempSync(join(projectRoot, 'node_modules', '.cache', 'rs-bundled-workers-'));
  await buildElectron({ root: projectRoot, outdir: join(dir, 'app', 'dist-electron') });
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'bundled-workers-token', seed: { products, rmas } });
}, 120_000);

afterAll(async () => {
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loading workers from their bundles', () => {
  it('a first pull into an empty station loads every RMA through bulkLoadWorker.cjs and bulkValidateWorker.cjs', async () => {
    const db = openDatabase(join(dir, 'pull', 'station.sqlite'));
    try {
      const client = createWmsClient({ baseUrl: wms.url, token: wms.token });
      const report = await pullReferenceData(db, client, { pageSize: 25, bulk: { entry: bundled('bulkLoadWorker'), validatorEntry: bundled('bulkValidateWorker') } });
      expect(report.rmas).toBe(rmas.length);
      expect(count(db, 'rmas')).toBe(rmas.length);
      expect(count(db, 'rma_lines')).toBe(rmas.reduce((n, r) => n + r.lines.length, 0));
    } finally {
      db.close();
    }
  });

  it("a prepared reference file loads through snapshotFileWorker.cjs (copy and check)", async () => {
    const file = join(dir, 'reference.sqlite');
    const w = createSnapshotFileWriter(file);
    w.products(products);
    w.rmas(rmas);
    const latest = <T extends { updatedAt: string }>(xs: T[], id: (x: T) => string) =>
      xs.map((x) => ({ updatedSince: x.updatedAt, afterId: id(x) })).sort((a, b) => (a.updatedSince + a.afterId < b.updatedSince + b.afterId ? -1 : 1)).at(-1) ?? null;
    w.finish({ format: SNAPSHOT_FILE_FORMAT, siteId: 'SITE-B', builtAt: '2026-01-01T00:00:00.000Z', cursors: { products: latest(products, (p) => p.sku), rmas: latest(rmas, (r) => r.rmaNumber) } });
    const db = openDatabase(join(dir, 'file', 'station.sqlite'));
    try {
      const outcome = await loadSnapshotFile(
        db,
        async (target) => {
          copyFileSync(file, target);
          return { sha256: '0'.repeat(64), size: 1 };
        },
        { entry: bundled('snapshotFileWorker') },
      );
      expect(outcome).toMatchObject({ loaded: { rmas: rmas.length, products: products.length } });
      expect(count(db, 'rmas')).toBe(rmas.length);
      expect(count(db, 'products')).toBe(products.length);
    } finally {
      db.close();
    }
  });

  it("the station's checkpoint and commit-sync workers answer from checkpointWorker.cjs and walSyncWorker.cjs", async () => {
    const file = join(dir, 'station-workers', 'station.sqlite');
    const db = openDatabase(file, { walAutoCheckpoint: false, commitSync: 'deferred' });
    const ask = async (name: string, workerData: unknown, request: object): Promise<unknown> => {
      const w = new Worker(bundled(name).source, { workerData });
      try {
        return await new Promise((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.postMessage({ id: 7, ...request });
        });
      } finally {
        await w.terminate();
      }
    };
    try {
      const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
      for (let i = 0; i < 50; i++) insert.run(`k${i}`, 'x'.repeat(1000));
      expect(await ask('walSyncWorker', { walFile: `${file}-wal` }, {})).toEqual({ id: 7, ok: true });
      expect(await ask('checkpointWorker', { dbFile: file }, { idle: false, truncateAboveFrames: 1_000_000 })).toMatchObject({ id: 7, ok: true, report: { mode: 'PASSIVE', busy: false } });
      // It started the WAL over itself (bench migration 017's row), as the station's thread would otherwise.
      expect(db.prepare('SELECT restarts FROM wal_restarts').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});
