import type { PullCursor } from '../../contract/index.js';
import type { Db } from '../connection.js';

export type PullResource = 'products' | 'rmas';

export function getCursor(db: Db, resource: PullResource): PullCursor | null {
  const row = db.prepare('SELECT updated_since AS updatedSince, after_id AS afterId FROM sync_cursors WHERE resource = ?').get(resource) as
    | PullCursor
    | undefined;
  return row ?? null;
}

/** Call inside the transaction that applies the page, so a crash never leaves the cursor ahead of the data. */
export function setCursor(db: Db, resource: PullResource, cursor: PullCursor): void {
  db.prepare(
    `INSERT INTO sync_cursors (resource, updated_since, after_id) VALUES (?, ?, ?)
     ON CONFLICT (resource) DO UPDATE SET updated_since = excluded.updated_since, after_id = excluded.after_id`,
  ).run(resource, cursor.updatedSince, cursor.afterId);
}
