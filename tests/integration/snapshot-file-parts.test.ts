// The prepared reference file is checked in parts (core/sync/snapshotFile.ts starts several checkers): each part
// is a run of RMAs with the lines and photo hashes that follow them, and the parts together are the whole file,
// each row once. Written by the hub's own writer (hub/snapshotFileWriter.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Product, Rma, SNAPSHOT_FILE_FORMAT, type SnapshotFileMeta } from '../../contract/index.js';
import { checkSnapshotPart, checkSnapshotParts } from '../../core/sync/snapshotFileCheck.js';
import { openSnapshotFileReader } from '../../db/repositories/snapshotFile.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { createSnapshotFileWriter } from '../../hub/snapshotFileWriter.js';

const data = generateDemoData({ seed: 5, rmas: 37 });
const products = data.products.map((p) => Product.parse(p)).sort((a, b) => (a.sku < b.sku ? -1 : 1));
const rmas = data.rmas.map((r) => Rma.parse(r)).sort((a, b) => (a.rmaNumber < b.rmaNumber ? -1 : 1));
const lastOf = <T extends { updatedAt: string }>(xs: T[], id: (x: T) => string) =>
  xs.map((x) => ({ updatedSince: x.updatedAt, afterId: id(x) })).sort((a, b) => (a.updatedSince + a.afterId < b.updatedSince + b.afterId ? -1 : 1)).at(-1) ?? null;

let dir: string;
let file: string;
let meta: SnapshotFileMeta;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-snapshot-parts-'));
  file = join(dir, 'reference.sqlite');
  const w = createSnapshotFileWriter(file);
  w.products(products);
  w.rmas(rmas.slice(0, 20));
  w.rmas(rmas.slice(20));
  meta = w.finish({ format: SNAPSHOT_FILE_FORMAT, siteId: 'SITE-P', builtAt: '2026-01-01T00:00:00.000Z', cursors: { products: lastOf(products, (p) => p.sku), rmas: lastOf(rmas, (r) => r.rmaNumber) } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const all = (parts: number, table: 'rmas' | 'lines' | 'photos' | 'products'): unknown[][][] =>
  Array.from({ length: parts }, (_, part) => {
    const reader = openSnapshotFileReader(file, undefined, { part, parts });
    try {
      return [...reader[table]()];
    } finally {
      reader.close();
    }
  });

describe('the prepared reference file in parts', () => {
  it.each([1, 2, 3, 5, 40])('in %i parts holds every row once, in order, each RMA with its own lines and photos', (parts) => {
    for (const table of ['rmas', 'lines', 'photos', 'products'] as const) expect(all(parts, table).flat()).toEqual(all(1, table)[0]);
    const rmaParts = all(parts, 'rmas');
    const lineParts = all(parts, 'lines');
    rmaParts.forEach((rows, i) => {
      const numbers = new Set(rows.map((r) => r[0]));
      expect(lineParts[i]!.every((l) => numbers.has(l[1]))).toBe(true);
    });
    const summaries = Array.from({ length: parts }, (_, part) => {
      const reader = openSnapshotFileReader(file, undefined, { part, parts });
      try {
        return checkSnapshotPart(reader);
      } finally {
        reader.close();
      }
    });
    expect(() => checkSnapshotParts(summaries, meta)).not.toThrow();
    expect(meta.counts.customerPhotos).toBeGreaterThan(0);
  });

  it('refuses parts whose RMAs are not in key order across them, or whose counts differ from the meta', () => {
    const reader = (part: number) => openSnapshotFileReader(file, undefined, { part, parts: 2 });
    const [a, b] = [0, 1].map((p) => {
      const r = reader(p);
      try {
        return checkSnapshotPart(r);
      } finally {
        r.close();
      }
    });
    expect(() => checkSnapshotParts([b!, a!], meta)).toThrow(/not in key order/);
    expect(() => checkSnapshotParts([a!], meta)).toThrow(/meta says/);
  });
});
