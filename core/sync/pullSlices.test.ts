import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Product, PullCursor, Rma } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { getCursor } from '../../db/repositories/syncCursors.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { pullReferenceData } from './pull.js';
import { WmsError, type WmsClient } from './wmsClient.js';

const key = (r: { updatedAt: string }, id: string): string => `${r.updatedAt}\u0000${id}`;

/**
 * A WMS that serves raw JSON pages (pageJson), as the real client does, so the pull checks each row itself.
 * `onPage` runs as a page is handed over; `tamper` may corrupt a page's raw rows.
 */
function rawClient(
  products: Product[],
  rmas: Rma[],
  hooks: { onPage?: (resource: string, n: number) => void; tamper?: (resource: string, n: number, rows: unknown[]) => void } = {},
): WmsClient {
  const sorted = <T>(rows: T[], id: (x: T) => string & {}, at: (x: T) => string) => [...rows].sort((a, b) => (key({ updatedAt: at(a) }, id(a)) < key({ updatedAt: at(b) }, id(b)) ? -1 : 1));
  const ps = sorted(products, (p) => p.sku, (p) => p.updatedAt);
  const rs = sorted(rmas, (r) => r.rmaNumber, (r) => r.updatedAt);
  const calls = { products: 0, rmas: 0 };
  const page = <T extends { updatedAt: string }>(rows: T[], id: (x: T) => string, cursor: PullCursor | null, limit: number) => {
    const after = cursor ? rows.filter((x) => key(x, id(x)) > key({ updatedAt: cursor.updatedSince }, cursor.afterId)) : rows;
    const items = after.slice(0, limit);
    const last = items.at(-1);
    return { items, next: last && items.length === limit ? { updatedSince: last.updatedAt, afterId: id(last) } : null };
  };
  const unused = (): never => {
    throw new Error('the pull must use pageJson');
  };
  return {
    baseUrl: 'http://fake',
    health: async () => ({ status: 'ok' as const, demo: true, version: 'fake' }),
    products: unused,
    rmas: unused,
    lookupRmas: async () => ({ items: [] }),
    postEvents: async () => ({ results: [] }),
    async pageJson(resource, cursor, limit) {
      const n = ++calls[resource];
      const p = resource === 'rmas' ? page(rs, (r) => r.rmaNumber, cursor, limit) : page(ps, (x) => x.sku, cursor, limit);
      // Through JSON, as from the wire: the pull gets plain objects it has to check.
      const raw = JSON.parse(JSON.stringify(p)) as { items: unknown[]; next: unknown };
      hooks.tamper?.(resource, n, raw.items);
      hooks.onPage?.(resource, n);
      return raw;
    },
  };
}

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-pull-slices-'));
  db = openDatabase(join(dir, 'station.sqlite'), { walAutoCheckpoint: false });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('the pull yields the event loop while it imports a large page', () => {
  const data = generateDemoData({ seed: 11, products: 40, rmas: 3000, now: '2026-11-01T00:00:00.000Z' });

  it('runs a setImmediate and a timer scheduled as the page arrives before the page is written', async () => {
    const seen: { what: string; rmasWritten: number }[] = [];
    const client = rawClient(data.products, data.rmas, {
      onPage: (resource) => {
        if (resource !== 'rmas') return;
        // What a scan arriving over IPC or WebSocket would be queued as, and the sync timer.
        setImmediate(() => seen.push({ what: 'immediate', rmasWritten: count('rmas') }));
        setTimeout(() => seen.push({ what: 'timer', rmasWritten: count('rmas') }), 0);
      },
    });
    const report = await pullReferenceData(db, client, { pageSize: 1000, commitRows: 3000 });
    seen.push({ what: 'pull done', rmasWritten: count('rmas') });

    expect(report.rmas).toBe(3000);
    expect(seen.map((s) => s.what).slice(0, 2).sort()).toEqual(['immediate', 'timer']);
    // Both ran while the 3,000 RMAs were still being checked or written, not after the import.
    expect(seen.filter((s) => s.what !== 'pull done').every((s) => s.rmasWritten < 3000)).toBe(true);
    expect(seen.at(-1)).toEqual({ what: 'pull done', rmasWritten: 3000 });
  });

  it('writes a page in several transactions, each with the cursor after its last row', async () => {
    const cursors: string[] = [];
    const client = rawClient(data.products, data.rmas, {
      onPage: () => {
        const tick = (): void => {
          const c = getCursor(db, 'rmas');
          if (c && cursors.at(-1) !== c.afterId) cursors.push(c.afterId);
          if (count('rmas') < 3000) setImmediate(tick);
        };
        setImmediate(tick);
      },
    });
    await pullReferenceData(db, client, { pageSize: 1000, commitRows: 1000, sliceMs: 1 });
    // Every cursor seen between two slices names an RMA that was already written.
    expect(cursors.length).toBeGreaterThan(3);
    for (const c of cursors) expect(db.prepare('SELECT 1 FROM rmas WHERE rma_number = ?').get(c)).toBeDefined();
  });
});

describe('a malformed row in a pulled page', () => {
  const data = generateDemoData({ seed: 12, products: 10, rmas: 250, now: '2026-11-01T00:00:00.000Z' });

  it('is a clear sync error naming the row, and nothing of its group is written', async () => {
    const client = rawClient(data.products, data.rmas, {
      tamper: (resource, n, rows) => {
        // The third page of RMAs: its 42nd row has a line with quantity 0.
        if (resource !== 'rmas' || n !== 3) return;
        const row = rows[41] as { lines: { qty: number }[] };
        const line = row.lines[0];
        if (line) line.qty = 0;
      },
    });
    const err = await pullReferenceData(db, client, { pageSize: 50, commitRows: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect((err as WmsError).kind).toBe('malformed');
    expect((err as WmsError).message).toMatch(/rmas page after .+: row 42 \(RMA-[^)]+\) does not match the contract \(lines\.0\.qty: .+\); nothing of this page was written/);
    // The first group (pages 1-2) is in; the group of the bad page (pages 3-4) is not, and the cursor says so.
    expect(count('rmas')).toBe(100);
    const firstGroup = [...data.rmas].sort((a, b) => (key(a, a.rmaNumber) < key(b, b.rmaNumber) ? -1 : 1))[99]!;
    expect(getCursor(db, 'rmas')).toEqual({ updatedSince: firstGroup.updatedAt, afterId: firstGroup.rmaNumber });
  });

  it('a page whose shape is wrong is refused before any row is looked at', async () => {
    const client = rawClient(data.products, data.rmas);
    const broken: WmsClient = { ...client, pageJson: async (resource, cursor, limit) => (resource === 'rmas' ? { items: 'nope', next: null } : client.pageJson!(resource, cursor, limit)) };
    await expect(pullReferenceData(db, broken)).rejects.toMatchObject({ kind: 'malformed', message: expect.stringMatching(/rmas page does not match the contract \(items: /) });
    expect(count('rmas')).toBe(0);
    expect(count('products')).toBe(10);
  });
});
