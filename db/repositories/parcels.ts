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
}

export function insertParcel(db: Db, p: Omit<ParcelRow, 'status'>): void {
  db.prepare(
    `INSERT INTO parcels (id, rma_number, scanned_code, carrier, status, operator_id, station_id, received_at)
     VALUES (@id, @rma_number, @scanned_code, @carrier, 'open', @operator_id, @station_id, @received_at)`,
  ).run(p);
}

export function findParcel(db: Db, id: string): ParcelRow | undefined {
  return db.prepare('SELECT id, rma_number, scanned_code, carrier, status, operator_id, station_id, received_at FROM parcels WHERE id = ?').get(id) as
    | ParcelRow
    | undefined;
}

/** Received quantity per RMA line, across every parcel of the RMA. */
export function receivedByLine(db: Db, rmaNumber: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT i.rma_line_id AS line, COUNT(*) AS n FROM items i JOIN parcels p ON p.id = i.parcel_id
        WHERE p.rma_number = ? AND i.rma_line_id IS NOT NULL GROUP BY i.rma_line_id`,
    )
    .all(rmaNumber) as { line: string; n: number }[];
  return new Map(rows.map((r) => [r.line, r.n]));
}
