import type { ParcelOutcome } from '../../contract/index.js';
import type { Db } from '../connection.js';

export interface ParcelRow {
  id: string;
  rma_number: string | null;
  scanned_code: string;
  carrier: string | null;
  status: 'open' | 'closed';
  operator_id: string;
  station_id: string;
  received_at: string;
  closed_at?: string | null;
  blind_return?: 0 | 1;
  known_json?: string | null;
}

export function insertParcel(db: Db, p: Omit<ParcelRow, 'status' | 'closed_at'>): void {
  db.prepare(
    `INSERT INTO parcels (id, rma_number, scanned_code, carrier, status, operator_id, station_id, received_at, blind_return, known_json)
     VALUES (@id, @rma_number, @scanned_code, @carrier, 'open', @operator_id, @station_id, @received_at, @blind_return, @known_json)`,
  ).run({ blind_return: 0, known_json: null, ...p });
}

export function findParcel(db: Db, id: string): ParcelRow | undefined {
  return db
    .prepare('SELECT id, rma_number, scanned_code, carrier, status, operator_id, station_id, received_at, closed_at, blind_return, known_json FROM parcels WHERE id = ?')
    .get(id) as ParcelRow | undefined;
}

export function findOpenParcelForRma(db: Db, rmaNumber: string, stationId: string): string | undefined {
  const row = db
    .prepare("SELECT id FROM parcels WHERE rma_number = ? AND station_id = ? AND status = 'open' ORDER BY received_at DESC LIMIT 1")
    .get(rmaNumber, stationId) as { id: string } | undefined;
  return row?.id;
}

/** Received quantity per RMA line, across every parcel of the RMA; wrong items do not count for the line they replaced. */
export function receivedByLine(db: Db, rmaNumber: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT i.rma_line_id AS line, COUNT(*) AS n FROM items i JOIN parcels p ON p.id = i.parcel_id
        WHERE p.rma_number = ? AND i.rma_line_id IS NOT NULL AND i.kind = 'expected' GROUP BY i.rma_line_id`,
    )
    .all(rmaNumber) as { line: string; n: number }[];
  return new Map(rows.map((r) => [r.line, r.n]));
}

/** Closes an open parcel with its outcome rows; false if it was not open. */
export function closeParcel(db: Db, parcelId: string, closedAt: string, outcomes: readonly ParcelOutcome[]): boolean {
  const info = db.prepare("UPDATE parcels SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'").run(closedAt, parcelId);
  if (info.changes !== 1) return false;
  const insert = db.prepare(
    'INSERT INTO parcel_outcomes (parcel_id, kind, rma_line_id, expected_sku, received_sku, qty, item_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const o of outcomes) insert.run(parcelId, o.kind, o.lineId, o.expectedSku, o.receivedSku, o.qty, o.itemId);
  return true;
}

export function parcelOutcomes(db: Db, parcelId: string): ParcelOutcome[] {
  return db
    .prepare(
      `SELECT kind, rma_line_id AS lineId, expected_sku AS expectedSku, received_sku AS receivedSku, qty, item_id AS itemId
         FROM parcel_outcomes WHERE parcel_id = ? ORDER BY id`,
    )
    .all(parcelId) as ParcelOutcome[];
}

/** A lead links a blind return to its RMA; false if the parcel is not a blind return or already linked. */
export function linkParcelToRma(db: Db, parcelId: string, rmaNumber: string, by: string, at: string): boolean {
  const info = db
    .prepare('UPDATE parcels SET rma_number = ?, linked_by = ?, linked_at = ? WHERE id = ? AND blind_return = 1 AND rma_number IS NULL')
    .run(rmaNumber, by, at, parcelId);
  return info.changes === 1;
}

/** A closed parcel of an RMA (a return already received): the latest one that held items, else the latest. */
export function findClosedParcelForRma(db: Db, rmaNumber: string): ParcelRow | undefined {
  return db
    .prepare(
      `SELECT id, rma_number, scanned_code, carrier, status, operator_id, station_id, received_at, closed_at, blind_return, known_json
         FROM parcels WHERE rma_number = ? AND status = 'closed'
        ORDER BY EXISTS (SELECT 1 FROM items WHERE items.parcel_id = parcels.id) DESC, closed_at DESC LIMIT 1`,
    )
    .get(rmaNumber) as ParcelRow | undefined;
}

/** Items graded for an RMA in parcels other than this one (an earlier parcel of a split shipment). */
export function itemsOfRmaElsewhere(db: Db, rmaNumber: string, parcelId: string): number {
  const row = db
    .prepare('SELECT COUNT(*) AS n FROM items i JOIN parcels p ON p.id = i.parcel_id WHERE p.rma_number = ? AND p.id <> ?')
    .get(rmaNumber, parcelId) as { n: number };
  return row.n;
}

/** Opens a closed parcel again and withdraws its outcomes; false if it was not closed. */
export function reopenParcel(db: Db, parcelId: string): boolean {
  const info = db.prepare("UPDATE parcels SET status = 'open', closed_at = NULL WHERE id = ? AND status = 'closed'").run(parcelId);
  if (info.changes !== 1) return false;
  db.prepare('DELETE FROM parcel_outcomes WHERE parcel_id = ?').run(parcelId);
  return true;
}

/** Whether the station holds any RMA at all (false before the first pull from the WMS). */
export function hasAnyRma(db: Db): boolean {
  return db.prepare('SELECT 1 FROM rmas LIMIT 1').get() !== undefined;
}

/** Blind returns not yet linked to an RMA, oldest first. */
export function unlinkedBlindParcelIds(db: Db, limit: number): string[] {
  return db
    .prepare('SELECT id FROM parcels WHERE blind_return = 1 AND rma_number IS NULL ORDER BY received_at LIMIT ?')
    .pluck()
    .all(limit)
    .filter((id): id is string => typeof id === 'string');
}
