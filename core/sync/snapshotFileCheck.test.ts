import { describe, expect, it } from 'vitest';
import { lineRows, photoRows, productRow, rmaRow, SNAPSHOT_FILE_FORMAT, type Product, type Rma, type SnapshotFileMeta } from '../../contract/index.js';
import type { SnapshotFileReader } from '../../db/repositories/snapshotFile.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { checkSnapshotRows, SnapshotRowRefused } from './snapshotFileCheck.js';

const data = generateDemoData({ seed: 11, rmas: 40 });
const products = [...data.products].sort((a, b) => (a.sku < b.sku ? -1 : 1));
const rmas = [...data.rmas].sort((a, b) => (a.rmaNumber < b.rmaNumber ? -1 : 1));
const last = <T extends { updatedAt: string }>(xs: T[], id: (x: T) => string) =>
  xs.map((x) => ({ updatedSince: x.updatedAt, afterId: id(x) })).sort((a, b) => (a.updatedSince + a.afterId < b.updatedSince + b.afterId ? -1 : 1)).at(-1) ?? null;

/** The file's rows as the hub writes them, each table changeable by the test. */
function file(change: { rmas?: unknown[][]; lines?: unknown[][]; photos?: unknown[][]; products?: unknown[][] } = {}): { reader: SnapshotFileReader; meta: SnapshotFileMeta } {
  const rows = {
    products: change.products ?? products.map(productRow),
    rmas: change.rmas ?? rmas.map(rmaRow),
    lines: change.lines ?? rmas.flatMap(lineRows),
    photos: change.photos ?? rmas.flatMap(photoRows),
  };
  const meta: SnapshotFileMeta = {
    format: SNAPSHOT_FILE_FORMAT,
    siteId: 'SITE-T',
    builtAt: '2026-01-01T00:00:00.000Z',
    cursors: { products: last<Product>(products, (p) => p.sku), rmas: last<Rma>(rmas, (r) => r.rmaNumber) },
    counts: { products: rows.products.length, rmas: rows.rmas.length, rmaLines: rows.lines.length, customerPhotos: rows.photos.length },
  };
  const it = (xs: unknown[][]) => () => xs.map((x) => [...x])[Symbol.iterator]();
  return { reader: { products: it(rows.products), rmas: it(rows.rmas), lines: it(rows.lines), photos: it(rows.photos), close: () => undefined }, meta };
}

describe('the contract check of a prepared reference file', () => {
  it('passes the rows the hub writes', () => {
    expect(rmas.some((r) => r.declaration && r.declaration.photos.length > 0)).toBe(true);
    const f = file();
    expect(() => checkSnapshotRows(f.reader, f.meta)).not.toThrow();
  });

  it('refuses an RMA twice (keys must rise)', () => {
    const twice = rmas.map(rmaRow);
    twice.splice(5, 0, twice[4]!);
    const f = file({ rmas: twice });
    expect(() => checkSnapshotRows(f.reader, f.meta)).toThrow(/not in key order/);
  });

  it('refuses a field the contract does not allow, and a half-filled declaration', () => {
    const bad = rmas.map(rmaRow);
    bad[3]![5] = 'pigeon';
    const f = file({ rmas: bad });
    expect(() => checkSnapshotRows(f.reader, f.meta)).toThrow(SnapshotRowRefused);
    const plain = rmas.findIndex((r) => !r.declaration);
    const half = rmas.map(rmaRow);
    half[plain]![17] = 'a text without a declared condition';
    const g = file({ rmas: half });
    expect(() => checkSnapshotRows(g.reader, g.meta)).toThrow(/does not match the contract/);
  });

  it('refuses lines out of their order, a photo hash the declaration does not name, and a cursor ahead of the rows', () => {
    const swapped = rmas.flatMap(lineRows);
    const first = rmas.findIndex((r) => r.lines.length > 1);
    const at = rmas.slice(0, first).reduce((n, r) => n + r.lines.length, 0);
    [swapped[at], swapped[at + 1]] = [swapped[at + 1]!, swapped[at]!];
    const f = file({ lines: swapped });
    expect(() => checkSnapshotRows(f.reader, f.meta)).toThrow(SnapshotRowRefused);

    const declared = rmas.find((r) => r.declaration)!;
    const photos = rmas.flatMap(photoRows);
    const idx = photos.findIndex((p) => p[0] === declared.rmaNumber);
    photos.splice(idx, 0, [declared.rmaNumber, '0'.repeat(64), declared.updatedAt]);
    const g = file({ photos });
    expect(() => checkSnapshotRows(g.reader, g.meta)).toThrow(SnapshotRowRefused);

    const h = file();
    h.meta.cursors.rmas = { updatedSince: '2099-01-01T00:00:00.000Z', afterId: 'ZZZ' };
    expect(() => checkSnapshotRows(h.reader, h.meta)).toThrow(/cursors/);
  });
});
