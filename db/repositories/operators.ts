import { z } from 'zod';
import { Role } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

/** One operator, as every service sees it: camelCase and typed. */
export const OperatorRow = z.object({
  id: z.string(),
  badge: z.string(),
  name: z.string(),
  role: Role,
  pinHash: z.string(),
  failedPins: z.number().int().nonnegative(),
  lockedUntil: z.string().nullable(),
  disabledAt: z.string().nullable(),
});
export type OperatorRow = z.output<typeof OperatorRow>;

const OPERATOR_COLUMNS =
  'id, badge, name, role, pin_hash AS pinHash, failed_pins AS failedPins, locked_until AS lockedUntil, disabled_at AS disabledAt';

const oneOperator = (row: unknown): OperatorRow | undefined => (row === undefined ? undefined : OperatorRow.parse(row));

export function findOperatorByBadge(db: Db, badge: string): OperatorRow | undefined {
  return oneOperator(prepared(db, `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE badge = ?`).get(badge));
}

export function findOperatorById(db: Db, id: string): OperatorRow | undefined {
  return oneOperator(prepared(db, `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE id = ?`).get(id));
}

export function upsertOperator(db: Db, op: { id: string; badge: string; name: string; role: Role; pinHash: string }): void {
  prepared(db,
    `INSERT INTO operators (id, badge, name, role, pin_hash) VALUES (@id, @badge, @name, @role, @pinHash)
     ON CONFLICT (id) DO UPDATE SET badge = excluded.badge, name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash`,
  ).run(op);
}

export function recordPinFailure(db: Db, id: string, lockAfter: number, lockedUntil: string): void {
  prepared(db,
    `UPDATE operators SET failed_pins = failed_pins + 1,
            locked_until = CASE WHEN failed_pins + 1 >= ? THEN ? ELSE locked_until END
      WHERE id = ?`,
  ).run(lockAfter, lockedUntil, id);
}

export function clearPinFailures(db: Db, id: string): void {
  prepared(db, 'UPDATE operators SET failed_pins = 0, locked_until = NULL WHERE id = ?').run(id);
}

export function countOperators(db: Db): number {
  return z.number().int().parse(db.prepare('SELECT COUNT(*) FROM operators').pluck().get());
}

export function listOperators(db: Db): OperatorRow[] {
  return z.array(OperatorRow).parse(prepared(db, `SELECT ${OPERATOR_COLUMNS} FROM operators ORDER BY role DESC, badge`).all());
}

export function setOperatorDisabled(db: Db, id: string, disabledAt: string | null): void {
  prepared(db, 'UPDATE operators SET disabled_at = ? WHERE id = ?').run(disabledAt, id);
}

/** A new PIN also lifts a lock-out: that is what a supervisor resets it for. */
export function resetOperatorPin(db: Db, id: string, pinHash: string): void {
  prepared(db, 'UPDATE operators SET pin_hash = ?, failed_pins = 0, locked_until = NULL WHERE id = ?').run(pinHash, id);
}
