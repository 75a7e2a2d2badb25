import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../connection.js';
import { findItem, insertItem, itemContext, itemsOfParcel, type NewItem } from './items.js';
import { rmaNumbersWithSku } from './lookup.js';
import { insertParcel, unlinkedBlindParcelIds } from './parcels.js';
import { insertPublishedRuleSet, ruleSetBodyOf } from './ruleSets.js';

let dir: string;
let db: Db;

const base: NewItem = {
  id: 'i-1',
  lpn: 'LPN-BENCH-01-000001',
  parcelId: 'p-1',
  rmaLineId: 'L1',
  sku: 'APP-1',
  grade: 'A',
  disposition: 'restock',
  destination: 'RESTOCK',
  ruleId: 'r1',
  ruleSetVersion: 1,
  operatorId: 'OP-1',
  gradedAt: '2026-11-10T01:00:00.000Z',
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-items-'));
  db = openDatabase(join(dir, 'station.sqlite'));
  db.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES ('OP-1', 'OP-1', 'x', 'staff', 'h')").run();
  db.prepare("INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES ('APP-1', '04900000000012', 'Shirt', 'シャツ', 'apparel', 4990, 300, 'x')").run();
  db.prepare("INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES ('RMA-1', 'ORD-1', 'n', 'k', 'p', 'yamato', 't', 'open', 'x', 'x')").run();
  db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES ('L1', 'RMA-1', 1, 'APP-1', 1, 'size', 's')").run();
  db.prepare("INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES ('RMA-2', 'ORD-2', 'n', 'k', 'p', 'yamato', 't2', 'closed', 'x', 'x')").run();
  db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES ('L2', 'RMA-2', 1, 'APP-1', 2, 'size', 's')").run();
  insertParcel(db, { id: 'p-1', rmaNumber: 'RMA-1', scannedCode: 'RMA-1', carrier: null, operatorId: 'OP-1', stationId: 'BENCH-01', receivedAt: '2026-11-10T00:00:00.000Z' });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('items repository', () => {
  it('reads an item back camelCase and typed, with flags and answers parsed and defaults filled', () => {
    insertItem(db, { ...base, flags: ['expired_lot'], answers: { packaging: 'factory_sealed' }, serial: 'SN1', reviewStatus: 'pending' });
    expect(findItem(db, 'i-1')).toMatchObject({
      parcelId: 'p-1',
      rmaLineId: 'L1',
      grade: 'A',
      kind: 'expected',
      serial: 'SN1',
      lot: null,
      flags: ['expired_lot'],
      answers: { packaging: 'factory_sealed' },
      reviewStatus: 'pending',
      containerId: null,
    });
    expect(itemsOfParcel(db, 'p-1').map((i) => i.lpn)).toEqual([base.lpn]);
    expect(findItem(db, 'nope')).toBeUndefined();
  });

  it('drops flag codes the station no longer knows instead of failing on older rows', () => {
    insertItem(db, base);
    db.prepare(`UPDATE items SET flags_json = '["expired_lot","retired_flag"]' WHERE id = 'i-1'`).run();
    expect(findItem(db, 'i-1')?.flags).toEqual(['expired_lot']);
  });

  it('refuses a row whose grade is not one the contract knows, rather than handing it on untyped', () => {
    insertItem(db, base);
    db.prepare(`UPDATE items SET grade = 'Z' WHERE id = 'i-1'`).run();
    expect(() => findItem(db, 'i-1')).toThrow();
  });

  it('gives the catalogue and line context an item is routed with', () => {
    insertItem(db, base);
    insertItem(db, { ...base, id: 'i-2', lpn: 'LPN-BENCH-01-000002', rmaLineId: null, sku: 'UNKNOWN' });
    expect(itemContext(db, 'i-1')).toEqual({ category: 'apparel', priceJpy: 4990, reason: 'size', name: 'Shirt', nameJa: 'シャツ' });
    expect(itemContext(db, 'i-2')).toEqual({ category: null, priceJpy: null, reason: null, name: null, nameJa: null });
    expect(itemContext(db, 'nope')).toBeUndefined();
  });
});

describe('repository reads moved out of the workflow services', () => {
  it('finds RMAs with a line for a SKU, up to a limit', () => {
    expect(rmaNumbersWithSku(db, 'APP-1', 10).sort()).toEqual(['RMA-1', 'RMA-2']);
    expect(rmaNumbersWithSku(db, 'APP-1', 1)).toHaveLength(1);
    expect(rmaNumbersWithSku(db, 'NONE', 10)).toEqual([]);
  });

  it('lists blind returns not yet linked, oldest first', () => {
    const blind = { rmaNumber: null, scannedCode: 'x', carrier: null, operatorId: 'OP-1', stationId: 'BENCH-01', blindReturn: true };
    insertParcel(db, { ...blind, id: 'b-2', receivedAt: '2026-11-10T02:00:00.000Z' });
    insertParcel(db, { ...blind, id: 'b-1', receivedAt: '2026-11-10T01:00:00.000Z' });
    expect(unlinkedBlindParcelIds(db, 10)).toEqual(['b-1', 'b-2']);
    expect(unlinkedBlindParcelIds(db, 1)).toEqual(['b-1']);
  });

  it('reads the body of a stored rule-set version, and nothing for one never stored', () => {
    insertPublishedRuleSet(db, { version: 7, bodyJson: '{"version":7}', by: 'OP-1', at: 'x', note: null });
    expect(ruleSetBodyOf(db, 7)).toBe('{"version":7}');
    expect(ruleSetBodyOf(db, 8)).toBeUndefined();
  });
});
