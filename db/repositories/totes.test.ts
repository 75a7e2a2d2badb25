import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundManifest } from '../../contract/index.js';
import { loadMigrations, migrate, openDatabase, type Db } from '../connection.js';
import {
  acknowledgeToteFlag,
  findManifestBag,
  insertBagScan,
  insertTote,
  insertToteFlag,
  listToteFlags,
  manifestBags,
  upsertManifests,
} from './totes.js';

const manifest = (toteId: string, bags: [string, string][], updatedAt = '2026-11-01T00:00:00.000Z'): InboundManifest => ({
  toteId,
  container: 'tote',
  origin: 'store',
  originName: '渋谷店',
  bags: bags.map(([bagCode, rmaNumber]) => ({ bagCode, rmaNumber })),
  updatedAt,
});

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-totes-repo-'));
  db = openDatabase(join(dir, 'station.sqlite'));
  db.prepare(
    "INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES ('RMA-00000001', 'ORD-0000000001', 'a', 'a', '1', 'yamato', '1', 'open', 'x', 'x')",
  ).run();
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tote repository', () => {
  it('a manifest replaces its bag list whole; a bag moved to another tote moves; an RMA the station lacks is marked', () => {
    upsertManifests(db, [manifest('TOTE-S0001', [['BAG-000001', 'RMA-00000001'], ['BAG-000002', 'RMA-00000099']])]);
    expect(manifestBags(db, 'TOTE-S0001').map((b) => [b.bagCode, b.lineNo, b.rmaKnown])).toEqual([
      ['BAG-000001', 1, true],
      ['BAG-000002', 2, false],
    ]);
    upsertManifests(db, [manifest('TOTE-S0002', [['BAG-000002', 'RMA-00000099']]), manifest('TOTE-S0001', [['BAG-000001', 'RMA-00000001']])]);
    expect(manifestBags(db, 'TOTE-S0001').map((b) => b.bagCode)).toEqual(['BAG-000001']);
    expect(findManifestBag(db, 'BAG-000002')?.toteId).toBe('TOTE-S0002');
  });

  it('opens a tote, receives a bag and raises a flag once each', () => {
    upsertManifests(db, [manifest('TOTE-S0001', [['BAG-000001', 'RMA-00000001']])]);
    const tote = { toteId: 'TOTE-S0001', openedBy: 'OP-1', openedAt: 't', stationId: 'BENCH-01' };
    expect(insertTote(db, tote)).toBe(true);
    expect(insertTote(db, tote)).toBe(false);
    const scan = { bagCode: 'BAG-000001', toteId: 'TOTE-S0001', manifestToteId: 'TOTE-S0001', rmaNumber: 'RMA-00000001', operatorId: 'OP-1', scannedAt: 't' };
    expect(insertBagScan(db, scan)).toBe(true);
    expect(insertBagScan(db, { ...scan, toteId: 'TOTE-S0001' })).toBe(false);
    const flag = { toteId: 'TOTE-S0001', code: 'tote_bag_missing' as const, bagCode: 'BAG-000009', rmaNumber: null, otherToteId: null, stationId: 'BENCH-01', raisedAt: 't' };
    insertToteFlag(db, flag);
    insertToteFlag(db, flag);
    const flags = listToteFlags(db, 'pending', 10);
    expect(flags).toEqual([expect.objectContaining({ code: 'tote_bag_missing', origin: 'store', originName: '渋谷店', status: 'pending' })]);
    expect(acknowledgeToteFlag(db, flags[0]!.id, 'OP-2', 't2')).toBe(true);
    expect(acknowledgeToteFlag(db, flags[0]!.id, 'OP-2', 't2')).toBe(false);
    expect(listToteFlags(db, 'pending', 10)).toEqual([]);
  });

  it('migration 009 upgrades a station at version 8 and keeps its data', () => {
    const file = join(dir, 'old.sqlite');
    const old = new Database(file);
    migrate(old, loadMigrations().filter((m) => m.version <= 8));
    old.prepare("INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES ('S', '1', 'n', 'n', 'apparel', 1, 1, 't')").run();
    old.close();
    const upgraded = openDatabase(file);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
      expect((upgraded.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number }).n).toBe(1);
      expect((upgraded.prepare('SELECT COUNT(*) AS n FROM tote_flags').get() as { n: number }).n).toBe(0);
    } finally {
      upgraded.close();
    }
  });
});
