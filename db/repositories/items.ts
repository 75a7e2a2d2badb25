import type { Db } from '../connection.js';

export interface NewItem {
  id: string;
  lpn: string;
  parcel_id: string;
  rma_line_id: string | null;
  sku: string;
  grade: string;
  disposition: string;
  destination: string;
  rule_id: string;
  rule_set_version: number;
  operator_id: string;
  graded_at: string;
}

export function insertItem(db: Db, item: NewItem): void {
  db.prepare(
    `INSERT INTO items (id, lpn, parcel_id, rma_line_id, sku, grade, disposition, destination, rule_id, rule_set_version, operator_id, graded_at)
     VALUES (@id, @lpn, @parcel_id, @rma_line_id, @sku, @grade, @disposition, @destination, @rule_id, @rule_set_version, @operator_id, @graded_at)`,
  ).run(item);
}

/** Next value of a named counter; call inside the transaction that uses it so a crash cannot hand it out twice. */
export function nextCounter(db: Db, name: string): number {
  const row = db
    .prepare('INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value')
    .get(name) as { value: number };
  return row.value;
}
