import { z } from 'zod';
import { Carrier, type ParcelOutcome } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

const KnownFields = z.record(z.string(), z.string());

/** What the operator typed for a blind return (order number, customer name, phone, note). */
const StoredKnown = z
  .string()
  .nullable()
  .transform((json): Record<string, string> => (json === null ? {} : KnownFields.parse(JSON.parse(json))));

/** One parcel, as every service sees it: camelCase, typed, JSON columns already parsed. */
export const ParcelRow = z.object({
  id: z.string(),
  rmaNumber: z.string().nullable(),
  scannedCode: z.string(),
  /** A carrier this build does not know (older data) reads as none rather than failing the parcel. */
  carrier: Carrier.nullable().catch(null),
  status: z.enum(['open', 'closed']),
  operatorId: z.string(),
  stationId: z.string(),
  receivedAt: z.string(),
  closedAt: z.string().nullable(),
  blindReturn: z.union([z.literal(0), z.literal(1)]).transform((b) => b === 1),
  known: StoredKnown,
});
export type ParcelRow = z.output<typeof ParcelRow>;

export interface NewParcel {
  id: string;
  rmaNumber: string | null;
  scannedCode: string;
  carrier: Carrier | null;
  operatorId: string;
  stationId: string;
  receivedAt: string;
  blindReturn?: boolean;
  known?: Record<string, string> | null;
}

const PARCEL_COLUMNS = `id, rma_number AS rmaNumber, scanned_code AS scannedCode, carrier, status, operator_id AS operatorId,
  station_id AS stationId, received_at AS receivedAt, closed_at AS closedAt, blind_return AS blindReturn, known_json AS known`;

const oneParcel = (row: unknown): ParcelRow | undefined => (row === undefined ? undefined : ParcelRow.parse(row));

export function insertParcel(db: Db, p: NewParcel): void {
  prepared(db,
    `INSERT INTO parcels (id, rma_number, scanned_code, carrier, status, operator_id, station_id, received_at, blind_return, known_json)
     VALUES (@id, @rmaNumber, @scannedCode, @carrier, 'open', @operatorId, @stationId, @receivedAt, @blindReturn, @known)`,
  ).run({ ...p, blindReturn: p.blindReturn ? 1 : 0, known: p.known ? JSON.stringify(p.known) : null });
}

export function findParcel(db: Db, id: string): ParcelRow | undefined {
  return oneParcel(prepared(db, `SELECT ${PARCEL_COLUMNS} FROM parcels WHERE id = ?`).get(id));
}

export function findOpenParcelForRma(db: Db, rmaNumber: string, stationId: string): string | undefined {
  const row = prepared(db, "SELECT id FROM parcels WHERE rma_number = ? AND station_id = ? AND status = 'open' ORDER BY received_at DESC LIMIT 1")
    .get(rmaNumber, stationId) as { id: string } | undefined;
  return row?.id;
}

/** Received quantity per RMA line, across every parcel of the RMA; wrong items do not count for the line they replaced. */
export function receivedByLine(db: Db, rmaNumber: string): Map<string, number> {
  const rows = prepared(db,
      `SELECT i.rma_line_id AS line, COUNT(*) AS n FROM items i JOIN parcels p ON p.id = i.parcel_id
        WHERE p.rma_number = ? AND i.rma_line_id IS NOT NULL AND i.kind = 'expected' GROUP BY i.rma_line_id`,
    )
    .all(rmaNumber) as { line: string; n: number }[];
  return new Map(rows.map((r) => [r.line, r.n]));
}

/** Closes an open parcel with its outcome rows; false if it was not open. */
export function closeParcel(db: Db, parcelId: string, closedAt: string, outcomes: readonly ParcelOutcome[]): boolean {
  const info = prepared(db, "UPDATE parcels SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'").run(closedAt, parcelId);
  if (info.changes !== 1) return false;
  const insert = prepared(db,
    'INSERT INTO parcel_outcomes (parcel_id, kind, rma_line_id, expected_sku, received_sku, qty, item_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const o of outcomes) insert.run(parcelId, o.kind, o.lineId, o.expectedSku, o.receivedSku, o.qty, o.itemId);
  return true;
}

export function parcelOutcomes(db: Db, parcelId: string): ParcelOutcome[] {
  return prepared(db,
      `SELECT kind, rma_line_id AS lineId, expected_sku AS expectedSku, received_sku AS receivedSku, qty, item_id AS itemId
         FROM parcel_outcomes WHERE parcel_id = ? ORDER BY id`,
    )
    .all(parcelId) as ParcelOutcome[];
}

/** A lead links a blind return to its RMA; false if the parcel is not a blind return or already linked. */
export function linkParcelToRma(db: Db, parcelId: string, rmaNumber: string, by: string, at: string): boolean {
  const info = prepared(db, 'UPDATE parcels SET rma_number = ?, linked_by = ?, linked_at = ? WHERE id = ? AND blind_return = 1 AND rma_number IS NULL')
    .run(rmaNumber, by, at, parcelId);
  return info.changes === 1;
}

/** A closed parcel of an RMA (a return already received): the latest one that held items, else the latest. */
export function findClosedParcelForRma(db: Db, rmaNumber: string): ParcelRow | undefined {
  return oneParcel(
    prepared(db,
        `SELECT ${PARCEL_COLUMNS}
           FROM parcels WHERE rma_number = ? AND status = 'closed'
          ORDER BY EXISTS (SELECT 1 FROM items WHERE items.parcel_id = parcels.id) DESC, closed_at DESC LIMIT 1`,
      )
      .get(rmaNumber),
  );
}

/** Items graded for an RMA in parcels other than this one (an earlier parcel of a split shipment). */
export function itemsOfRmaElsewhere(db: Db, rmaNumber: string, parcelId: string): number {
  const row = prepared(db, 'SELECT COUNT(*) AS n FROM items i JOIN parcels p ON p.id = i.parcel_id WHERE p.rma_number = ? AND p.id <> ?')
    .get(rmaNumber, parcelId) as { n: number };
  return row.n;
}

/** Opens a closed parcel again and withdraws its outcomes; false if it was not closed. */
export function reopenParcel(db: Db, parcelId: string): boolean {
  const info = prepared(db, "UPDATE parcels SET status = 'open', closed_at = NULL WHERE id = ? AND status = 'closed'").run(parcelId);
  if (info.changes !== 1) return false;
  prepared(db, 'DELETE FROM parcel_outcomes WHERE parcel_id = ?').run(parcelId);
  return true;
}

/** Whether the station holds any RMA at all (false before the first pull from the WMS). */
export function hasAnyRma(db: Db): boolean {
  return prepared(db, 'SELECT 1 FROM rmas LIMIT 1').get() !== undefined;
}

/** Blind returns not yet linked to an RMA, oldest first. */
export function unlinkedBlindParcelIds(db: Db, limit: number): string[] {
  return db
    .prepare('SELECT id FROM parcels WHERE blind_return = 1 AND rma_number IS NULL ORDER BY received_at LIMIT ?')
    .pluck()
    .all(limit)
    .filter((id): id is string => typeof id === 'string');
}
