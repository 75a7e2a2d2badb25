import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.js';
import { countOperators, findOperatorByBadge, findOperatorById, listOperators, recordPinFailure, setOperatorDisabled, upsertOperator } from './operators.js';

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
