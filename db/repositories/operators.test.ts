import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDatabase } from '../connection.js';
import { countOperators, findOperatorByBadge, findOperatorById, listOperators, recordPinFailure, setOperatorDisabled, upsertOperator } from './operators.js';
import { isSetAside } from './siteSync.js';

describe('operator rows', () => {
  it('reads an operator as one camelCase shape, whichever way it is looked up', () => {
    const db = openDatabase(':memory:');
    upsertOperator(db, { id: 'OP-1', badge: 'B-1', name: '佐藤', role: 'lead', pinHash: 'scrypt$x' });
    recordPinFailure(db, 'OP-1', 1, '2026-11-10T00:05:00.000Z');
    setOperatorDisabled(db, 'OP-1', '2026-11-10T00:06:00.000Z');
    const expected = {
      id: 'OP-1',
      badge: 'B-1',
      name: '佐藤',
      role: 'lead',
      pinHash: 'scrypt$x',
      failedPins: 1,
      lockedUntil: '2026-11-10T00:05:00.000Z',
      disabledAt: '2026-11-10T00:06:00.000Z',
    };
    expect(findOperatorById(db, 'OP-1')).toEqual(expected);
    expect(findOperatorByBadge(db, 'B-1')).toEqual(expected);
    expect(listOperators(db)).toEqual([expected]);
    expect(countOperators(db)).toBe(1);
    expect(findOperatorById(db, 'OP-2')).toBeUndefined();
    db.close();
  });
});

describe('migration 014: stored badges in the form sign-in compares', () => {
  it('upper-cases lower-case badges, and sets aside all but one of badges that differ only in case', () => {
    const old = new Database(':memory:');
    migrate(old, loadMigrations().filter((m) => m.version <= 13));
    const add = old.prepare('INSERT INTO operators (id, badge, name, role, pin_hash, disabled_at) VALUES (?, ?, ?, ?, ?, ?)');
    add.run('op-a', 'st-0042', 'A', 'staff', 'h', null);
    add.run('op-b', 'OP-1001', 'B', 'staff', 'h', null);
    // op-1 and OP-1 are one badge now: the one already upper case keeps it.
    add.run('op-c', 'op-1', 'C', 'staff', 'h', null);
    add.run('op-d', 'OP-1', 'D', 'lead', 'h', null);
    // Lead-2 and LEAD-2: the enabled one keeps it, even though it was enrolled later and not in upper case.
    add.run('op-e', 'LEAD-2', 'E', 'lead', 'h', '2026-11-01T00:00:00.000Z');
    add.run('op-f', 'Lead-2', 'F', 'lead', 'h', null);
    // Already set aside by a roster pull: left alone.
    add.run('op-g', 'x-9~op-g', 'G', 'staff', 'h', '2026-11-01T00:00:00.000Z');
    const all = () => old.prepare('SELECT id, badge, disabled_at IS NOT NULL AS disabled FROM operators ORDER BY id').all();
    migrate(old, loadMigrations());
    expect(all()).toEqual([
      { id: 'op-a', badge: 'ST-0042', disabled: 0 },
      { id: 'op-b', badge: 'OP-1001', disabled: 0 },
      { id: 'op-c', badge: 'op-1~op-c', disabled: 1 },
      { id: 'op-d', badge: 'OP-1', disabled: 0 },
      { id: 'op-e', badge: 'LEAD-2~op-e', disabled: 1 },
      { id: 'op-f', badge: 'LEAD-2', disabled: 0 },
      { id: 'op-g', badge: 'x-9~op-g', disabled: 1 },
    ]);
    // Set aside in the one format the rest of the bench knows (a site bench's operator list leaves them out).
    for (const id of ['op-c', 'op-e', 'op-g']) {
      const op = findOperatorById(old, id)!;
      expect(isSetAside({ id, badge: op.badge, disabled: op.disabledAt !== null }), id).toBe(true);
    }
    old.close();
  });
});
