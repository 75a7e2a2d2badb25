import { z } from 'zod';
import { Disposition } from '../../contract/index.js';
import type { Db } from '../connection.js';

/** A container at the bench, with how many items are sorted into it. */
export const ContainerRow = z.object({
  id: z.string(),
  label: z.string(),
  disposition: Disposition,
  destination: z.string().nullable(),
  stationId: z.string(),
  status: z.enum(['open', 'closed']),
  openedBy: z.string(),
  openedAt: z.string(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  itemCount: z.number().int(),
});
export type ContainerRow = z.output<typeof ContainerRow>;

const SELECT = `SELECT c.id, c.label, c.disposition, c.destination, c.station_id AS stationId, c.status, c.opened_by AS openedBy,
  c.opened_at AS openedAt, c.closed_by AS closedBy, c.closed_at AS closedAt,
  (SELECT COUNT(*) FROM items i WHERE i.container_id = c.id) AS itemCount FROM containers c`;

function one(row: unknown): ContainerRow | undefined {
  return row === undefined ? undefined : ContainerRow.parse(row);
}

export function insertContainer(
  db: Db,
  c: { id: string; label: string; disposition: Disposition; destination: string | null; stationId: string; openedBy: string; openedAt: string },
): void {
  db.prepare(
    "INSERT INTO containers (id, label, disposition, destination, station_id, status, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
  ).run(c.id, c.label, c.disposition, c.destination, c.stationId, c.openedBy, c.openedAt);
}

export function findOpenContainerByLabel(db: Db, label: string): ContainerRow | undefined {
  return one(db.prepare(`${SELECT} WHERE c.label = ? AND c.status = 'open'`).get(label));
}

export function findContainer(db: Db, id: string): ContainerRow | undefined {
  return one(db.prepare(`${SELECT} WHERE c.id = ?`).get(id));
}

export function openContainers(db: Db, stationId: string): ContainerRow[] {
  return db
    .prepare(`${SELECT} WHERE c.station_id = ? AND c.status = 'open' ORDER BY c.opened_at`)
    .all(stationId)
    .map((r) => ContainerRow.parse(r));
}

export function closeContainer(db: Db, id: string, by: string, at: string): boolean {
  return db.prepare("UPDATE containers SET status = 'closed', closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'").run(by, at, id).changes === 1;
}

export function lpnsInContainer(db: Db, id: string): string[] {
  return (db.prepare('SELECT lpn FROM items WHERE container_id = ? ORDER BY lpn').all(id) as { lpn: string }[]).map((r) => r.lpn);
}
