import type { Db } from '../connection.js';

export interface ResolutionRow {
  id: string;
  item_id: string;
  rma_number: string | null;
  rma_line_id: string | null;
  body_json: string;
  status: 'held' | 'released';
  created_at: string;
  released_at: string | null;
}

export function insertResolution(db: Db, r: Omit<ResolutionRow, 'released_at'>): void {
  db.prepare(
    `INSERT INTO resolutions (id, item_id, rma_number, rma_line_id, body_json, status, created_at, released_at)
     VALUES (@id, @item_id, @rma_number, @rma_line_id, @body_json, @status, @created_at, CASE WHEN @status = 'released' THEN @created_at END)`,
  ).run(r);
}

export function resolutionOfItem(db: Db, itemId: string): ResolutionRow | undefined {
  return db.prepare('SELECT * FROM resolutions WHERE item_id = ?').get(itemId) as ResolutionRow | undefined;
}

/** Releases a held resolution (a lead approved the item), optionally with a recomputed body; false if none was held. */
export function releaseResolution(db: Db, itemId: string, at: string, bodyJson?: string): boolean {
  return (
    db
      .prepare("UPDATE resolutions SET status = 'released', released_at = ?, body_json = COALESCE(?, body_json) WHERE item_id = ? AND status = 'held'")
      .run(at, bodyJson ?? null, itemId).changes === 1
  );
}
