// Input that used to pass the contract and should not: lone UTF-16 surrogates (stored as invalid UTF-8 in
// parcels.scanned_code and items.serial), and searches made only of LIKE wildcards ("%%" listed 20 customers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from '../../contract/index.js';
import { openDatabase } from '../../db/connection.js';
import { upsertRmas } from '../../db/repositories/referenceData.js';
import { rmasByTermPrefix } from '../../db/repositories/rmaSearch.js';
import { indexQueuedRmas } from '../../core/workflow/searchIndex.js';
import { normalizeForSearch } from '../../domain/text/normalize.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { lookupRmas, openWmsDatabase, seedReferenceData } from '../../fixtures/demo-wms/store.js';

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('ill-formed Unicode at the contract', () => {
  const cases: Array<[string, unknown]> = [
    ['parcel.open', { code: `RMA-0001${LONE_HIGH}` }],
    ['session.signIn', { badge: `OP-${LONE_LOW}1001`, pin: '1234' }],
    ['container.sort', { label: 'TOTE-1', itemCode: `SN${LONE_HIGH}123` }],
    ['parcel.receiveUnexpected', { customerName: `山田${LONE_LOW}`, note: 'ok' }],
    ['parcel.receiveUnexpected', { note: `box wet ${LONE_HIGH}` }],
    ['parcel.search', { q: `山田${LONE_HIGH}` }],
    ['review.approve', { itemId: '00000000-0000-4000-8000-000000000000', note: `fine${LONE_LOW}` }],
  ];
  for (const [name, input] of cases) {
    it(`${name} refuses a lone surrogate in ${JSON.stringify(input).slice(0, 40)}…`, () => {
      const r = api[name as keyof typeof api].input.safeParse(input);
      expect(r.success).toBe(false);
    });
  }

  it('accepts well-formed text outside the BMP (a surrogate pair)', () => {
    expect(api['parcel.receiveUnexpected'].input.safeParse({ note: '箱が濡れていた 📦' }).success).toBe(true);
    expect(api['parcel.open'].input.safeParse({ code: 'RMA-00000001' }).success).toBe(true);
  });
});

describe('parcel.search', () => {
  it('needs at least 2 characters that are not wildcards or spaces', () => {
    const ok = (q: string): boolean => api['parcel.search'].input.safeParse({ q }).success;
    for (const q of ['%%', '__', '% _', ' %  ', '*?', 'a%', '%%%%%%%%']) expect(ok(q), q).toBe(false);
    for (const q of ['山田', 'ab', 'ORD-0001', '090-1234']) expect(ok(q), q).toBe(true);
  });

  it('treats % and _ as literal text in the station\'s search and the demo WMS\'s LIKE search', () => {
    const demo = generateDemoData({ seed: 7, rmas: 40 });
    const dir = mkdtempSync(join(tmpdir(), 'rs-like-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'station.sqlite'));
    upsertRmas(db, demo.rmas);
    indexQueuedRmas(db, Number.MAX_SAFE_INTEGER);
    const wms = openWmsDatabase(':memory:');
    seedReferenceData(wms, demo.products, demo.rmas);
    try {
      // Before: "%%" lost its wildcards to a strip and became LIKE '%%', which matches every customer.
      for (const q of ['%%', '_%', '%_%_']) {
        expect(rmasByTermPrefix(db, 'name', q, 50), q).toEqual([]);
        expect(lookupRmas(wms, q), q).toEqual([]);
      }
      const someone = demo.rmas[0]!.customerName;
      expect(rmasByTermPrefix(db, 'name', normalizeForSearch(someone), 50).length).toBeGreaterThan(0);
      expect(lookupRmas(wms, someone).length).toBeGreaterThan(0);
    } finally {
      db.close();
      wms.close();
    }
  });
});
