import type { Role } from '../../contract/index.js';
import type { Db } from '../connection.js';

export interface OperatorRow {
  id: string;
  badge: string;
  name: string;
  role: Role;
  pin_hash: string;
  failed_pins: number;
  locked_until: string | null;
  disabled_at: string | null;
}

export function findOperatorByBadge(db: Db, badge: string): OperatorRow | undefined {
  return db.prepare('SELECT * FROM operators WHERE badge = ?').get(badge) as OperatorRow | undefined;
}

export function findOperatorById(db: Db, id: string): OperatorRow | undefined {
  return db.prepare('SELECT * FROM operators WHERE id = ?').get(id) as OperatorRow | undefined;
}

export function upsertOperator(db: Db, op: { id: string; badge: string; name: string; role: Role; pinHash: string }): void {
  db.prepare(
    `INSERT INTO operators (id, badge, name, role, pin_hash) VALUES (@id, @badge, @name, @role, @pinHash)
     ON CONFLICT (id) DO UPDATE SET badge = excluded.badge, name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash`,
  ).run(op);
}

export function recordPinFailure(db: Db, id: string, lockAfter: number, lockedUntil: string): void {
  db.prepare(
    `UPDATE operators SET failed_pins = failed_pins + 1,
            locked_until = CASE WHEN failed_pins + 1 >= ? THEN ? ELSE locked_until END
      WHERE id = ?`,
  ).run(lockAfter, lockedUntil, id);
}

export function clearPinFailures(db: Db, id: string): void {
  db.prepare('UPDATE operators SET failed_pins = 0, locked_until = NULL WHERE id = ?').run(id);
}

export function countOperators(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM operators').get() as { n: number }).n;
}

export function listOperators(db: Db): OperatorRow[] {
  return db.prepare('SELECT * FROM operators ORDER BY role DESC, badge').all() as OperatorRow[];
}

export function setOperatorDisabled(db: Db, id: string, disabledAt: string | null): void {
  db.prepare('UPDATE operators SET disabled_at = ? WHERE id = ?').run(disabledAt, id);
}

/** A new PIN also lifts a lock-out: that is what a supervisor resets it for. */
export function resetOperatorPin(db: Db, id: string, pinHash: string): void {
  db.prepare('UPDATE operators SET pin_hash = ?, failed_pins = 0, locked_until = NULL WHERE id = ?').run(pinHash, id);
}
