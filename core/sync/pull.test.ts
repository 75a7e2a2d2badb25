import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Product, PullCursor, Rma } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { getCursor } from '../../db/repositories/syncCursors.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { pullReferenceData } from './pull.js';
import type { WmsClient } from './wmsClient.js';

/** Serves pages from arrays sorted by (updatedAt, id), the way the WMS pages by cursor; can fail on a chosen call. */
function fakeClient(products: Product[], rmas: Rma[], failOnRmaCall?: number): WmsClient & { rmaCalls: number } {
  const page = <T>(rows: T[], key: (x: T) => [string, string], cursor: PullCursor | null, limit: number) => {
    const after = cursor ? rows.filter((x) => { const [u, id] = key(x); return u > cursor.updatedSince || (u === cursor.updatedSince && id > cursor.afterId); }) : rows;
    const items = after.slice(0, limit);
    const last = items.at(-1);
    return { items, next: last && items.length === limit ? { updatedSince: key(last)[0], afterId: key(last)[1] } : null };
  };
  const byCursor = <T>(rows: T[], key: (x: T) => [string, string]) => [...rows].sort((a, b) => (key(a).join('\u0000') < key(b).join('\u0000') ? -1 : 1));
  const ps = byCursor(products, (p) => [p.updatedAt, p.sku]);
  const rs = byCursor(rmas, (r) => [r.updatedAt, r.rmaNumber]);
  const client = {
    baseUrl: 'http://fake',
    rmaCalls: 0,
    health: async () => ({ status: 'ok' as const, demo: true, version: 'fake' }),
    products: async (c: PullCursor | null, limit: number) => page(ps, (p) => [p.updatedAt, p.sku], c, limit),
    rmas: async (c: PullCursor | null, limit: number) => {
      client.rmaCalls++;
      if (client.rmaCalls === failOnRmaCall) throw new Error('connection reset');
      return page(rs, (r) => [r.updatedAt, r.rmaNumber], c, limit);
    },
    lookupRmas: async () => ({ items: [] }),
    postEvents: async () => ({ results: [] }),
  };
  return client as unknown as WmsClient & { rmaCalls: number };
}

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-pull-'));
  db = openDatabase(join(dir, 'station.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('pullReferenceData in groups of pages', () => {
  const data = generateDemoData({ seed: 3, products: 30, rmas: 95, now: '2026-11-01T00:00:00.000Z' });

  it('pulls everything in pages and commits a group of pages with the cursor after its last page', async () => {
    const client = fakeClient(data.products, data.rmas);
    const report = await pullReferenceData(db, client, { pageSize: 10, commitRows: 40 });
    expect(report).toMatchObject({ products: 30, rmas: 95, conflicts: [] });
    expect(count('rmas')).toBe(95);
    expect(count('rma_lines')).toBe(data.rmas.reduce((n, r) => n + r.lines.length, 0));
    // 10 pages of RMAs; the last is short, so no extra empty page is asked for.
    expect(client.rmaCalls).toBe(10);
    const last = [...data.rmas].sort((a, b) => (a.updatedAt + a.rmaNumber < b.updatedAt + b.rmaNumber ? -1 : 1)).at(-1)!;
    expect(getCursor(db, 'rmas')).toEqual({ updatedSince: last.updatedAt, afterId: last.rmaNumber });
  });

  it('after a failure mid-group keeps only whole groups, and the next pull resumes from their cursor', async () => {
    // Groups of 4 pages of 10: the 6th call fails, inside the second group.
    await expect(pullReferenceData(db, fakeClient(data.products, data.rmas, 6), { pageSize: 10, commitRows: 40 })).rejects.toThrow('connection reset');
    expect(count('rmas')).toBe(40);
    const resumed = fakeClient(data.products, data.rmas);
    const report = await pullReferenceData(db, resumed, { pageSize: 10, commitRows: 40 });
    expect(report.rmas).toBe(55);
    expect(count('rmas')).toBe(95);
  });

  it('still takes a plain page size, as the sync engine passes it, and gives the page cache back', async () => {
    const before = db.pragma('cache_size', { simple: true });
    const report = await pullReferenceData(db, fakeClient(data.products, data.rmas), 25);
    expect(report.rmas).toBe(95);
    expect(db.pragma('cache_size', { simple: true })).toBe(before);
  });
});
