import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotResource, SnapshotTrailer } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { getCursor } from '../../db/repositories/syncCursors.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { createSnapshotBootstrap, loadSnapshot, type SnapshotSource } from './snapshot.js';
import { WmsError } from './wmsClient.js';

const data = generateDemoData({ seed: 7, rmas: 120 });
const sorted = [...data.rmas].sort((a, b) => (a.updatedAt + a.rmaNumber < b.updatedAt + b.rmaNumber ? -1 : 1));
const lastRma = sorted.at(-1)!;

/** The hub's stream as lines; `cutRmasAfter` ends the RMA stream early, without its trailer (a dropped connection). */
function source(options: { cutRmasAfter?: number; none?: boolean } = {}): SnapshotSource & { opened: SnapshotResource[] } {
  const opened: SnapshotResource[] = [];
  return {
    opened,
    async open(resource) {
      opened.push(resource);
      if (options.none) return null;
      const rows: { updatedAt: string }[] = resource === 'products' ? data.products : sorted;
      const trailer: SnapshotTrailer = {
        end: true,
        rows: rows.length,
        cursor: resource === 'products' ? { updatedSince: data.products.at(-1)!.updatedAt, afterId: data.products.at(-1)!.sku } : { updatedSince: lastRma.updatedAt, afterId: lastRma.rmaNumber },
      };
      const lines = rows.map((r) => JSON.stringify(r));
      if (resource === 'rmas' && options.cutRmasAfter !== undefined) return lines.slice(0, options.cutRmasAfter);
      return [...lines, '', JSON.stringify(trailer)];
    },
  };
}

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-snapshot-'));
  db = openDatabase(join(dir, 'station.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('snapshot bootstrap', () => {
  it('loads every row in groups and sets the cursors from the trailers', async () => {
    const report = await loadSnapshot(db, source(), { commitRows: 25 });
    expect(report).toMatchObject({ products: data.products.length, rmas: data.rmas.length });
    expect(count('rmas')).toBe(data.rmas.length);
    expect(getCursor(db, 'rmas')).toEqual({ updatedSince: lastRma.updatedAt, afterId: lastRma.rmaNumber });
    // The deferred RMA indexes are back.
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rmas'").get()).not.toEqual({ n: 0 });
  });

  it('leaves no cursor when the stream stops before its trailer, and the next attempt loads it all', async () => {
    // The row-by-row load (a bench that has RMAs already); the bulk load's own case is in bulkLoad.test.ts.
    const err = await loadSnapshot(db, source({ cutRmasAfter: 70 }), { commitRows: 25, bulk: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect(getCursor(db, 'rmas')).toBeNull();
    expect(count('rmas')).toBeGreaterThan(0);
    await loadSnapshot(db, source(), { commitRows: 25 });
    expect(count('rmas')).toBe(data.rmas.length);
    expect(getCursor(db, 'rmas')?.afterId).toBe(lastRma.rmaNumber);
  });

  it('refuses a row that does not match the contract', async () => {
    const bad: SnapshotSource = { open: async () => ['{"sku":42}'] };
    await expect(loadSnapshot(db, bad)).rejects.toThrow();
    expect(getCursor(db, 'products')).toBeNull();
  });

  it('runs once per start: not for a bench that has cursors, nor again after an upstream without snapshots', async () => {
    const none = source({ none: true });
    const boot = createSnapshotBootstrap(db, none);
    expect(await boot()).toBeNull();
    expect(await boot()).toBeNull();
    expect(none.opened).toEqual(['products']);

    const full = source();
    expect(await createSnapshotBootstrap(db, full)()).toMatchObject({ rmas: data.rmas.length });
    const again = source();
    expect(await createSnapshotBootstrap(db, again)()).toBeNull();
    expect(again.opened).toEqual([]);
  });

  it('tries again on the next cycle after a failed load', async () => {
    let cut = true;
    const flaky: SnapshotSource = { open: (r) => source(cut ? { cutRmasAfter: 10 } : {}).open(r) };
    const boot = createSnapshotBootstrap(db, flaky);
    await expect(boot()).rejects.toBeInstanceOf(WmsError);
    cut = false;
    expect(await boot()).toMatchObject({ rmas: data.rmas.length });
  });
});
