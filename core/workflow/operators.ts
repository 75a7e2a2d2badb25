import type { Role } from '../contract/index.js';
import type { Db } from '../../db/connection.js';
import { countOperators, upsertOperator } from '../../db/repositories/operators.js';
import { hashPin } from './pin.js';

export interface OperatorSeed {
  id: string;
  badge: string;
  name: string;
  role: Role;
  pin: string;
}

/** First start of a station: enrol the given operators (PINs hashed, never stored as given). */
export async function enrolOperatorsIfNone(db: Db, seeds: readonly OperatorSeed[]): Promise<number> {
  if (countOperators(db) > 0) return 0;
  const hashed = await Promise.all(seeds.map(async (s) => ({ ...s, pinHash: await hashPin(s.pin) })));
  db.transaction(() => {
    for (const s of hashed) upsertOperator(db, { id: s.id, badge: s.badge, name: s.name, role: s.role, pinHash: s.pinHash });
  })();
  return hashed.length;
}
