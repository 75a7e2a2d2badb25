import type { Db } from '../connection.js';

export interface ContainerRow {
  id: string;
  label: string;
  disposition: string;
  destination: string | null;
  station_id: string;
  status: 'open' | 'closed';
  opened_by: string;
  opened_at: string;
  closed_by: string | null;
  closed_at: string | null;
  item_count: number;
}

const SELECT = `SELECT c.*, (SELECT COUNT(*) FROM items i WHERE i.container_id = c.id) AS item_count FROM containers c`;

export function insertContainer(
  db: Db,
  c: { id: string; label: string; disposition: string; destination: string | null; stationId: string; openedBy: string; openedAt: string },
): void {
  db.prepare(
    "INSERT INTO containers (id, label, disposition, destination, station_id, status, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
  ).run(c.id, c.label, c.disposition, c.destination, c.stationId, c.openedBy, c.openedAt);
}

export function findOpenContainerByLabel(db: Db, label: string): ContainerRow | undefined {
  return db.prepare(`${SELECT} WHERE c.label = ? AND c.status = 'open'`).get(label) as ContainerRow | undefined;
}

export function findContainer(db: Db, id: string): ContainerRow | undefined {
  return db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ContainerRow | undefined;
}

export function openContainers(db: Db, stationId: string): ContainerRow[] {
  return db.prepare(`${SELECT} WHERE c.station_id = ? AND c.status = 'open' ORDER BY c.opened_at`).all(stationId) as ContainerRow[];
}

export function closeContainer(db: Db, id: string, by: string, at: string): boolean {
  return db.prepare("UPDATE containers SET status = 'closed', closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'").run(by, at, id).changes === 1;
}

export function lpnsInContainer(db: Db, id: string): string[] {
  return (db.prepare('SELECT lpn FROM items WHERE container_id = ? ORDER BY lpn').all(id) as { lpn: string }[]).map((r) => r.lpn);
}
