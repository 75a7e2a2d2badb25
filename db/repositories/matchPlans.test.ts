import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../connection.js';
import { findItemByEpc, findItemByLpn, findItemBySerial, itemsOfParcel, lookupItemByLpn } from './items.js';
import { latestLabelJob } from './printJobs.js';
import { findProductByGtin, findRmaByNumber, findRmaByOrder, findRmaBySoldSerial, findRmaByTracking, rmaLines, skusForGtin } from './lookup.js';
import { findClosedParcelForRma, findOpenParcelForRma, findParcel, receivedByLine } from './parcels.js';
import { findManifestBag } from './totes.js';

/** The SQL each lookup prepares, caught at db.prepare (the repositories prepare once per connection). */
function sqlOf(db: Db, lookup: () => unknown): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as Db['prepare'];
  try {
    lookup();
  } finally {
    db.prepare = prepare as Db['prepare'];
  }
  return seen;
}

function planOf(db: Db, sql: string): string[] {
  const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x');
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

// Every lookup a scan makes on its way to a match (issue 16: scan → match p99 < 5 ms for every kind). A full
// scan of rmas or rma_lines is invisible on a demo database and costs tens of milliseconds at a million RMAs.
const MATCH_PATH: Record<string, (db: Db) => unknown> = {
  tracking: (db) => findRmaByTracking(db, 'x'),
  rmaNumber: (db) => findRmaByNumber(db, 'x'),
  orderNumber: (db) => findRmaByOrder(db, 'x'),
  soldSerial: (db) => findRmaBySoldSerial(db, 'x'),
  itemLpn: (db) => findItemByLpn(db, 'x'),
  // An item label scanned at the parcel step or on the review screen (item.lookup).
  itemLookup: (db) => lookupItemByLpn(db, 'x'),
  itemLabelJob: (db) => latestLabelJob(db, 'x'),
  itemSerial: (db) => findItemBySerial(db, 'x'),
  itemEpc: (db) => findItemByEpc(db, 'x'),
  gtinSkus: (db) => skusForGtin(db, 'x'),
  gtinProduct: (db) => findProductByGtin(db, 'x'),
  manifestBag: (db) => findManifestBag(db, 'x'),
  openParcel: (db) => findOpenParcelForRma(db, 'x', 'x'),
  closedParcel: (db) => findClosedParcelForRma(db, 'x'),
  parcel: (db) => findParcel(db, 'x'),
  parcelItems: (db) => itemsOfParcel(db, 'x'),
  receivedByLine: (db) => receivedByLine(db, 'x'),
  rmaLines: (db) => rmaLines(db, 'x'),
};

describe('lookups on the scan → match path', () => {
  it.each(Object.keys(MATCH_PATH))('%s is an index search, never a table scan', (name) => {
    const db = openDatabase(':memory:');
    try {
      const lookup = MATCH_PATH[name];
      if (!lookup) throw new Error(name);
      const statements = sqlOf(db, () => lookup(db));
      expect(statements.length).toBeGreaterThan(0);
      for (const sql of statements) {
        const plan = planOf(db, sql);
        const tableSteps = plan.filter((d) => /^(SCAN|SEARCH) /.test(d));
        expect(tableSteps.length, `${name}: ${plan.join(' | ')}`).toBeGreaterThan(0);
        for (const step of tableSteps) expect(step, `${name}: ${plan.join(' | ')}`).toMatch(/^SEARCH \S+ USING (COVERING )?(INDEX|INTEGER PRIMARY KEY|PRIMARY KEY)/);
      }
    } finally {
      db.close();
    }
  });
});
