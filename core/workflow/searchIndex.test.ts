import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rma } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { upsertRmas } from '../../db/repositories/referenceData.js';
import { queuedForSearchCount, queuedRmasForSearch, rmasByTermPrefix, writeSearchDocuments } from '../../db/repositories/rmaSearch.js';
import { nameMatchScore, normalizeForSearch, phoneMatchScore } from '../../domain/text/normalize.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { createSearchIndexer, indexQueuedRmas, searchDocumentOf } from './searchIndex.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-search-index-'));
  db = openDatabase(join(dir, 'station.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const demo = generateDemoData({ seed: 11, rmas: 400, products: 50, now: new Date('2026-12-01T00:00:00Z') });
const rma = (n: number, over: Partial<Rma>): Rma => ({ ...demo.rmas[n]!, ...over });

describe('searchDocumentOf', () => {
  it('takes the whole name and each word, normalised, and the phone digits forwards and reversed', () => {
    expect(searchDocumentOf({ rmaNumber: 'RMA-1', customerName: '山田 花子', customerKana: 'ﾔﾏﾀﾞ ﾊﾅｺ', customerPhone: '090-1234-5678' }).terms).toEqual({
      name: ['山田花子', '山田', '花子'],
      kana: ['ヤマダハナコ', 'ヤマダ', 'ハナコ'],
      phone: ['09012345678'],
      phone_reversed: ['87654321090'],
    });
  });

  it('gives no phone term for a phone with no digits', () => {
    expect(searchDocumentOf({ rmaNumber: 'RMA-1', customerName: 'A', customerKana: 'エー', customerPhone: '' }).terms).toMatchObject({ phone: [], phone_reversed: [] });
  });
});

describe('the search index', () => {
  it('is queued by the RMAs written and answers as the scoring functions do, for every RMA (not only the first found)', () => {
    upsertRmas(db, demo.rmas);
    expect(queuedForSearchCount(db)).toBe(demo.rmas.length);
    expect(indexQueuedRmas(db, Number.MAX_SAFE_INTEGER)).toBe(0);
    const queries = new Set<string>();
    for (const r of demo.rmas.slice(0, 40)) {
      const [family = '', given = ''] = r.customerName.split(/\s+/);
      const [kana = ''] = r.customerKana.split(/\s+/);
      queries.add(family).add(given).add(family.slice(0, 1)).add(kana).add(kana.slice(0, 2)).add(r.customerPhone.slice(0, 6)).add(r.customerPhone.slice(-4));
    }
    for (const q of queries) {
      if (!q) continue;
      const text = normalizeForSearch(q);
      for (const field of ['name', 'kana'] as const) {
        const stored = (r: Rma): string => (field === 'name' ? r.customerName : r.customerKana);
        const expected = demo.rmas.filter((r) => nameMatchScore(stored(r), q) > 0).map((r) => `${r.rmaNumber}:${nameMatchScore(stored(r), q)}`);
        const found = rmasByTermPrefix(db, field, text, 10_000).map((m) => `${m.rmaNumber}:${m.exact ? 3 : 2}`);
        expect(found.sort(), `${field} ${q}`).toEqual(expected.sort());
      }
      const digits = q.replace(/\D/g, '');
      if (digits.length >= 4) {
        const expected = demo.rmas.filter((r) => phoneMatchScore(r.customerPhone, q) === 1).map((r) => r.rmaNumber);
        const reversed = [...digits].reverse().join('');
        const found = rmasByTermPrefix(db, 'phone_reversed', reversed, 10_000).map((m) => m.rmaNumber);
        // An RMA found by its start too scores 2 or 3 there; the last digits alone give 1.
        expect(found.filter((n) => !demo.rmas.find((r) => r.rmaNumber === n && phoneMatchScore(r.customerPhone, q) > 1)).sort(), `phone ${q}`).toEqual(expected.sort());
      }
    }
  });

  it('keeps voiced kana, accents and punctuation apart as the scoring does, and reads query syntax as text', () => {
    const names = ['加藤 一', '佐藤 次郎'];
    upsertRmas(db, [
      rma(0, { rmaNumber: 'RMA-90000031', customerName: names[0]!, customerKana: 'カトウ ハジメ' }),
      rma(1, { rmaNumber: 'RMA-90000032', customerName: names[1]!, customerKana: 'ガトウ ジロウ' }),
      rma(2, { rmaNumber: 'RMA-90000033', customerName: 'José O\'Neil', customerKana: 'ホセ オニール' }),
    ]);
    indexQueuedRmas(db, 100);
    const found = (field: 'name' | 'kana', q: string): string[] => rmasByTermPrefix(db, field, normalizeForSearch(q), 10).map((m) => m.rmaNumber);
    expect(found('kana', 'が')).toEqual(['RMA-90000032']);
    expect(found('kana', 'か')).toEqual(['RMA-90000031']);
    expect(found('name', 'jose')).toEqual([]);
    expect(found('name', 'josé')).toEqual(['RMA-90000033']);
    expect(found('name', "o'neil")).toEqual(['RMA-90000033']);
    for (const q of ['"', '" OR "', '*', 'NEAR(a b)', 'kana : カトウ', 'AND', '^']) expect(() => found('name', q), q).not.toThrow();
    expect(found('name', 'NEAR(a b)')).toEqual([]);
  });

  it('ranks an equal term first, then open RMAs, then the newest', () => {
    upsertRmas(db, [
      rma(0, { rmaNumber: 'RMA-90000001', customerName: '伊藤 美紀', customerKana: 'イトウミキ', status: 'closed', createdAt: '2026-11-30T00:00:00.000Z' }),
      rma(1, { rmaNumber: 'RMA-90000002', customerName: '伊藤 雪', customerKana: 'イトウ', status: 'closed', createdAt: '2026-11-01T00:00:00.000Z' }),
      rma(2, { rmaNumber: 'RMA-90000003', customerName: '伊藤 光', customerKana: 'イトウヒカル', status: 'open', createdAt: '2026-11-02T00:00:00.000Z' }),
    ]);
    indexQueuedRmas(db, 100);
    expect(rmasByTermPrefix(db, 'kana', 'イトウ', 10)).toEqual([
      { rmaNumber: 'RMA-90000002', exact: true },
      { rmaNumber: 'RMA-90000003', exact: false },
      { rmaNumber: 'RMA-90000001', exact: false },
    ]);
    expect(rmasByTermPrefix(db, 'kana', 'イトウ', 2)).toHaveLength(2);
  });

  it('forgets a changed name and finds the new one; a deleted RMA leaves no term', () => {
    upsertRmas(db, [rma(0, { rmaNumber: 'RMA-90000010', customerName: '佐藤 花子', customerKana: 'サトウ ハナコ' })]);
    indexQueuedRmas(db, 100);
    expect(rmasByTermPrefix(db, 'name', '佐藤', 10)).toHaveLength(1);
    upsertRmas(db, [rma(0, { rmaNumber: 'RMA-90000010', customerName: '鈴木 花子', customerKana: 'スズキ ハナコ', updatedAt: '2026-12-02T00:00:00.000Z' })]);
    expect(queuedForSearchCount(db)).toBe(1);
    indexQueuedRmas(db, 100);
    expect(rmasByTermPrefix(db, 'name', '佐藤', 10)).toEqual([]);
    expect(rmasByTermPrefix(db, 'name', '鈴木', 10)).toEqual([{ rmaNumber: 'RMA-90000010', exact: true }]);
    db.exec("DELETE FROM rma_lines WHERE rma_number = 'RMA-90000010'; DELETE FROM customer_photos WHERE rma_number = 'RMA-90000010'; DELETE FROM rmas WHERE rma_number = 'RMA-90000010'");
    expect(rmasByTermPrefix(db, 'name', '鈴木', 10)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM rma_search_docs').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM rma_search WHERE rma_search MATCH 'kana : ハナコ'").get()).toEqual({ n: 0 });
  });

  it('indexes no more than asked at once and says how many are still queued', () => {
    upsertRmas(db, demo.rmas);
    expect(indexQueuedRmas(db, 150)).toBe(demo.rmas.length - 150);
    expect(indexQueuedRmas(db, 1_000)).toBe(0);
  });
});

describe('createSearchIndexer', () => {
  it('works the queue off in slices, letting timers and I/O run between them', async () => {
    upsertRmas(db, demo.rmas);
    const indexer = createSearchIndexer(db);
    let ranBetween = false;
    setImmediate(() => {
      ranBetween = queuedForSearchCount(db) > 0;
    });
    indexer.kick();
    await indexer.settled();
    expect(ranBetween).toBe(true);
    expect(queuedForSearchCount(db)).toBe(0);
  });

  it('runs again for RMAs queued while it ran, and stops when told', async () => {
    upsertRmas(db, demo.rmas.slice(0, 300));
    const indexer = createSearchIndexer(db);
    indexer.kick();
    upsertRmas(db, demo.rmas.slice(300));
    indexer.kick();
    await indexer.settled();
    expect(queuedForSearchCount(db)).toBe(0);
    upsertRmas(db, [rma(0, { rmaNumber: 'RMA-90000020' })]);
    indexer.stop();
    indexer.kick();
    await indexer.settled();
    expect(queuedForSearchCount(db)).toBe(1);
  });
});

describe('a document made from what another connection changed meanwhile', () => {
  it('is not written: the RMA stays queued and is indexed again from what it holds now', () => {
    upsertRmas(db, [rma(0, { rmaNumber: 'RMA-90000040', customerName: '佐藤 花子', customerKana: 'サトウ ハナコ' })]);
    const [read] = queuedRmasForSearch(db, 10);
    // Another connection (the pull, a lookup) renames the RMA after the indexer read it and before it wrote.
    upsertRmas(db, [rma(0, { rmaNumber: 'RMA-90000040', customerName: '鈴木 花子', customerKana: 'スズキ ハナコ', updatedAt: '2026-12-02T00:00:00.000Z' })]);
    expect(writeSearchDocuments(db, [{ made: searchDocumentOf(read!), from: read! }])).toBe(0);
    expect(queuedForSearchCount(db)).toBe(1);
    expect(rmasByTermPrefix(db, 'name', '佐藤', 10)).toEqual([]);
    expect(indexQueuedRmas(db, 10)).toBe(0);
    expect(rmasByTermPrefix(db, 'name', '鈴木', 10)).toEqual([{ rmaNumber: 'RMA-90000040', exact: true }]);
  });

  it('is skipped when another thread indexed the RMA first', () => {
    upsertRmas(db, [rma(0, { rmaNumber: 'RMA-90000041' })]);
    const [read] = queuedRmasForSearch(db, 10);
    expect(indexQueuedRmas(db, 10)).toBe(0);
    expect(writeSearchDocuments(db, [{ made: searchDocumentOf(read!), from: read! }])).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM rma_search_docs WHERE rma_number = 'RMA-90000041'").get()).toEqual({ n: 1 });
  });
});
