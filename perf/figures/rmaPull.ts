// RMA pull: every product and RMA of the demo WMS into an empty station, by the station's own pull
// code (cursor pages over HTTP on loopback, contract validation, upserts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullReferenceData } from '../../core/sync/pull.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { openDatabase } from '../../db/connection.js';
import { startDemoWms } from '../../fixtures/demo-wms/server.js';

export interface PullFigures {
  rmas: number;
  products: number;
  lines: number;
  seconds: number;
  rmasPerSec: number;
}

/** `wmsDbFile` is read only (the pull writes nothing to the WMS), so the cached file is used in place. */
export async function rmaPullFigures(o: { wmsDbFile: string; expectRmas: number; pageSize?: number }): Promise<PullFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-pull-'));
  const wms = await startDemoWms({ dbFile: o.wmsDbFile, token: 'bench-token' });
  const db = openDatabase(join(dir, 'station.sqlite'));
  try {
    const client = createWmsClient({ baseUrl: wms.url, token: wms.token, timeoutMs: 60_000 });
    const t0 = performance.now();
    const report = await pullReferenceData(db, client, ...(o.pageSize ? [o.pageSize] : []));
    const seconds = (performance.now() - t0) / 1000;
    const lines = (db.prepare('SELECT COUNT(*) AS n FROM rma_lines').get() as { n: number }).n;
    if (report.rmas !== o.expectRmas) throw new Error(`pulled ${report.rmas} RMAs, expected ${o.expectRmas}`);
    return { rmas: report.rmas, products: report.products, lines, seconds, rmasPerSec: report.rmas / seconds };
  } finally {
    db.close();
    await wms.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
