import type { Db } from '../connection.js';


const OPTIONAL_DEFAULTS = {
  kind: 'expected',
  expected_sku: null,
  gtin: null,
  serial: null,
  lot: null,
  expiry: null,
  epc: null,
  condition: null,
  packaging: null,
  fault: null,
  profile_id: null,
  profile_version: null,
  answers_json: null,
  flags_json: '[]',
  explanation: null,
  review_status: 'none',
} as const;

/** Columns a new item may leave out: they take OPTIONAL_DEFAULTS. Review outcomes and containers come later. */
type DefaultedColumn = keyof typeof OPTIONAL_DEFAULTS;
type LaterColumn = 'reviewed_by' | 'reviewed_at' | 'review_reason' | 'container_id';

export type NewItem = Omit<ItemRow, DefaultedColumn | LaterColumn> &
  Partial<Omit<Pick<ItemRow, DefaultedColumn>, 'review_status'>> & { review_status?: 'none' | 'pending' };

export function insertItem(db: Db, item: NewItem): void {
  db.prepare(
    `INSERT INTO items (id, lpn, parcel_id, rma_line_id, sku, grade, disposition, destination, rule_id, rule_set_version, operator_id, graded_at,
                        kind, expected_sku, gtin, serial, lot, expiry, epc, condition, packaging, fault, profile_id, profile_version,
                        answers_json, flags_json, explanation, review_status)
     VALUES (@id, @lpn, @parcel_id, @rma_line_id, @sku, @grade, @disposition, @destination, @rule_id, @rule_set_version, @operator_id, @graded_at,
             @kind, @expected_sku, @gtin, @serial, @lot, @expiry, @epc, @condition, @packaging, @fault, @profile_id, @profile_version,
             @answers_json, @flags_json, @explanation, @review_status)`,
  ).run({ ...OPTIONAL_DEFAULTS, ...item });
}

/** Next value of a named counter; call inside the transaction that uses it so a crash cannot hand it out twice. */
export function nextCounter(db: Db, name: string): number {
  const row = db
    .prepare('INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value')
    .get(name) as { value: number };
  return row.value;
}

export interface ItemRow {
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
  kind: 'expected' | 'extra' | 'wrong';
  expected_sku: string | null;
  gtin: string | null;
  serial: string | null;
  lot: string | null;
  expiry: string | null;
  epc: string | null;
  condition: string | null;
  packaging: string | null;
  fault: string | null;
  profile_id: string | null;
  profile_version: number | null;
  answers_json: string | null;
  flags_json: string;
  explanation: string | null;
  review_status: 'none' | 'pending' | 'approved' | 'overridden';
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
  container_id: string | null;
}

export function findItem(db: Db, id: string): ItemRow | undefined {
  return db.prepare('SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined;
}

export function findItemByLpn(db: Db, lpn: string): ItemRow | undefined {
  return db.prepare('SELECT * FROM items WHERE lpn = ?').get(lpn) as ItemRow | undefined;
}

/** The latest item graded with this serial or EPC (a unit coming back again, or a relabelled one). */
export function findItemBySerial(db: Db, serial: string): ItemRow | undefined {
  return db.prepare('SELECT * FROM items WHERE serial = ? ORDER BY graded_at DESC LIMIT 1').get(serial) as ItemRow | undefined;
}

export function findItemByEpc(db: Db, epc: string): ItemRow | undefined {
  return db.prepare('SELECT * FROM items WHERE epc = ? ORDER BY graded_at DESC LIMIT 1').get(epc) as ItemRow | undefined;
}

export function itemsOfParcel(db: Db, parcelId: string): ItemRow[] {
  return db.prepare('SELECT * FROM items WHERE parcel_id = ? ORDER BY graded_at, lpn').all(parcelId) as ItemRow[];
}

/** The most recently graded items, newest first: the sample a rules dry run re-routes. */
export function recentItems(db: Db, limit: number): ItemRow[] {
  return db.prepare('SELECT * FROM items ORDER BY graded_at DESC, lpn DESC LIMIT ?').all(limit) as ItemRow[];
}

export interface ReviewDecision {
  status: 'approved' | 'overridden';
  by: string;
  at: string;
  reason: string | null;
  grade?: string;
  disposition?: string;
  destination?: string;
}

/** Records a lead's decision on a pending item; false if it was not waiting for review. */
export function decideReview(db: Db, itemId: string, d: ReviewDecision): boolean {
  const info = db
    .prepare(
      `UPDATE items SET review_status = @status, reviewed_by = @by, reviewed_at = @at, review_reason = @reason,
              grade = COALESCE(@grade, grade), disposition = COALESCE(@disposition, disposition), destination = COALESCE(@destination, destination)
        WHERE id = @id AND review_status = 'pending'`,
    )
    .run({ id: itemId, status: d.status, by: d.by, at: d.at, reason: d.reason, grade: d.grade ?? null, disposition: d.disposition ?? null, destination: d.destination ?? null });
  return info.changes === 1;
}

/** A lead overriding an item that was not flagged: same record, no pending state required. */
export function overrideItem(db: Db, itemId: string, d: Required<Pick<ReviewDecision, 'by' | 'at' | 'grade' | 'disposition' | 'destination'>> & { reason: string }): boolean {
  const info = db
    .prepare(
      `UPDATE items SET review_status = 'overridden', reviewed_by = @by, reviewed_at = @at, review_reason = @reason,
              grade = @grade, disposition = @disposition, destination = @destination WHERE id = @id`,
    )
    .run({ id: itemId, ...d });
  return info.changes === 1;
}

export function setItemContainer(db: Db, itemId: string, containerId: string): void {
  db.prepare('UPDATE items SET container_id = ? WHERE id = ?').run(containerId, itemId);
}

/** Items of a parcel that were extra become expected when a lead links the parcel to an RMA listing their SKU. */
export function attachItemToLine(db: Db, itemId: string, lineId: string): void {
  db.prepare("UPDATE items SET rma_line_id = ?, kind = 'expected' WHERE id = ?").run(lineId, itemId);
}
