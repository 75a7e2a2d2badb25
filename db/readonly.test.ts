import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './connection.js';
import { beginReadSnapshot, readonlyView, ReadonlyDbWriteError } from './readonly.js';
import { appendAudit } from './repositories/audit.js';
import { operatorNames, queueSizes } from './repositories/reports.js';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-readonly-'));
  db = openDatabase(join(dir, 'station.sqlite'));
  db.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES ('OP-1', 'OP-1', 'Aoki', 'staff', 'h')").run();
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the read-only database type for reports', () => {
  it('reads through report repositories', () => {
    const reads = readonlyView(db);
    expect(operatorNames(reads).get('OP-1')).toBe('Aoki');
    expect(queueSizes(reads)).toBeTypeOf('object');
  });

  it('refuses any statement that would write, checked by SQLite, not by looking at the text', () => {
    const reads = readonlyView(db);
    expect(() => reads.prepare("UPDATE operators SET name = 'x'")).toThrow(ReadonlyDbWriteError);
    expect(() => reads.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES ('b', 'b', 'b', 'staff', 'h')")).toThrow(ReadonlyDbWriteError);
    expect(() => reads.prepare('  delete from operators')).toThrow(ReadonlyDbWriteError);
    expect(() => reads.prepare("WITH x AS (SELECT 1) UPDATE operators SET name = 'y'")).toThrow(ReadonlyDbWriteError);
    expect(db.prepare('SELECT name FROM operators').pluck().get()).toBe('Aoki');
  });

  it('keeps the two halves apart in the types: writers refuse a ReadonlyDb, report readers refuse a writable Db', () => {
    const reads = readonlyView(db);
    // @ts-expect-error a writing repository does not accept the read-only type
    expect(() => appendAudit(reads, { operatorId: 'OP-1', action: 'x', entity: 'x', at: 'x' })).toThrow();
    // @ts-expect-error a report repository asks for the read-only type, so reports never hold a writer
    expect(operatorNames(db).size).toBe(1);
  });

  it('a snapshot on its own connection does not see writes made after it began', () => {
    const reader = openDatabase(join(dir, 'station.sqlite'), { readonly: true });
    try {
      const snapshot = beginReadSnapshot(reader);
      db.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES ('OP-2', 'OP-2', 'Baba', 'staff', 'h')").run();
      expect(operatorNames(snapshot.db).has('OP-2')).toBe(false);
      snapshot.end();
      snapshot.end();
      expect(operatorNames(readonlyView(reader)).has('OP-2')).toBe(true);
    } finally {
      reader.close();
    }
  });
});
