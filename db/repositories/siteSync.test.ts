// Issue 15: the hub's review decisions as a bench applies them, including items only the site flagged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SiteDecision } from '../../contract/index.js';
import { openDatabase, type Db } from '../connection.js';
import { findItem, insertItem, type NewItem } from './items.js';
import { insertParcel } from './parcels.js';
import { applySiteDecisions, listRelabel } from './siteSync.js';

let dir: string;
let db: Db;

const base: NewItem = {
  id: 'i-1',
  lpn: 'LPN-BENCH-01-000001',
  parcelId: 'p-1',
  rmaLineId: null,
  sku: 'APP-1',
  grade: 'A',
  disposition: 'restock',
  destination: 'RESTOCK',
  ruleId: 'r1',
  ruleSetVersion: 1,
  operatorId: 'OP-1',
  gradedAt: '2026-11-10T01:00:00.000Z',
};
const override = (seq: number, itemId: string): SiteDecision => ({
  seq,
  itemId,
  lpn: `LPN-${itemId}`,
  kind: 'overridden',
  operatorId: 'OP-LEAD',
  decidedAt: '2026-11-10T02:00:00.000Z',
  reason: 'same RMA received at two benches',
  after: { grade: 'A', disposition: 'quarantine', destination: 'REVIEW' },
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-site-sync-'));
  db = openDatabase(join(dir, 'station.sqlite'));
  db.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES ('OP-1', 'OP-1', 'x', 'staff', 'h')").run();
  db.prepare("INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES ('APP-1', '04900000000012', 'Shirt', 'シャツ', 'apparel', 4990, 300, 'x')").run();
  insertParcel(db, { id: 'p-1', rmaNumber: null, scannedCode: 'X', carrier: null, operatorId: 'OP-1', stationId: 'BENCH-01', receivedAt: '2026-11-10T00:00:00.000Z' });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hub decisions at the bench', () => {
  it('lands on an item the bench did not hold (only the site flagged it) and lists it for relabelling; never on one its own lead decided', () => {
    insertItem(db, { ...base, id: 'site-only', lpn: 'LPN-site-only' });
    insertItem(db, { ...base, id: 'decided-here', lpn: 'LPN-decided-here', reviewStatus: 'pending' });
    db.prepare("UPDATE items SET review_status = 'approved' WHERE id = 'decided-here'").run();
    const applied = applySiteDecisions(db, [override(1, 'site-only'), override(2, 'decided-here')], '2026-11-10T03:00:00.000Z');
    expect(applied).toEqual([{ itemId: 'site-only', lpn: 'LPN-site-only', relabel: true }]);
    expect(findItem(db, 'site-only')).toMatchObject({ reviewStatus: 'overridden', disposition: 'quarantine', destination: 'REVIEW' });
    expect(findItem(db, 'decided-here')).toMatchObject({ reviewStatus: 'approved', disposition: 'restock' });
    expect(listRelabel(db).map((r) => r.itemId)).toEqual(['site-only']);
  });
});
