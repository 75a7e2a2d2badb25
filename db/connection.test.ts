import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { keepWalAtMostKeptBytes, WAL_KEPT_BYTES } from './checkpoint.js';
import { DatabaseTooNewError, loadMigrations, openDatabase } from './connection.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rs-db-'));
  dirs.push(dir);
  return join(dir, 'station.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('applies every migration once, with WAL, FULL sync and foreign keys', () => {
    const file = tempFile();
    const db = openDatabase(file);
    const latest = loadMigrations().at(-1)!.version;
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['products', 'rmas', 'rma_lines', 'parcels', 'items', 'operators', 'outbox', 'audit_log', 'settings']) {
      expect(tables).toContain(t);
    }
    db.close();
    const again = openDatabase(file);
    expect((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(loadMigrations().length);
    again.close();
  });

  it("leaves the commits' sync to the owner when asked to (db/durableCommits.ts)", () => {
    const db = openDatabase(tempFile(), { commitSync: 'deferred' });
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('takes the write lock when a transaction begins, so a transaction that reads first still writes after another connection', () => {
    const file = tempFile();
    const db = openDatabase(file);
    // Another connection (the checkpoint worker, a bulk load) asking for the write lock while the transaction runs.
    const other = new Database(file);
    other.pragma('busy_timeout = 0');
    let otherRefused = '';
    db.transaction(() => {
      db.prepare('SELECT COUNT(*) FROM settings').get();
      try {
        other.prepare('BEGIN IMMEDIATE').run();
        other.prepare('ROLLBACK').run();
      } catch (err) {
        otherRefused = (err as { code?: string }).code ?? String(err);
      }
      // Begun DEFERRED, this write failed with SQLITE_BUSY without waiting: the other connection had the lock.
      db.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run();
    })();
    expect(otherRefused).toBe('SQLITE_BUSY');
    expect(db.prepare("SELECT value FROM settings WHERE key = 'probe'").pluck().get()).toBe('1');
    // Still there when asked for by name.
    expect(db.transaction(() => 1).deferred()).toBe(1);
    other.close();
    db.close();
  });

  it("bounds a checkpoint worker's WAL at WAL_KEPT_BYTES (db/checkpoint.ts)", () => {
    const db = openDatabase(tempFile(), { commitSync: 'deferred' });
    keepWalAtMostKeptBytes(db);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_KEPT_BYTES);
    db.close();
  });

  it('refuses a database written by a newer version of the app', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
  });

  it('enforces foreign keys', () => {
    const db = openDatabase(tempFile());
    expect(() =>
      db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES ('l', 'nope', 1, 's', 1, 'size', '')").run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('finds an RMA by tracking number through its index', () => {
    const db = openDatabase(tempFile());
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT rma_number FROM rmas WHERE tracking_number = ?').all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX rmas_tracking/);
    db.close();
  });
});
