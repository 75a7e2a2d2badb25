import { z } from 'zod';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

/** A resolution recommendation (refund, exchange, ...) kept with its item until it may go to the WMS. */
export const ResolutionRow = z.object({
  id: z.string(),
  itemId: z.string(),
  rmaNumber: z.string().nullable(),
  rmaLineId: z.string().nullable(),
  recommendation: z.string().transform((json) => z.record(z.string(), z.unknown()).parse(JSON.parse(json))),
  status: z.enum(['held', 'released']),
  createdAt: z.string(),
  releasedAt: z.string().nullable(),
});
export type ResolutionRow = z.output<typeof ResolutionRow>;

export type NewResolution = Omit<ResolutionRow, 'releasedAt'>;

export function insertResolution(db: Db, r: NewResolution): void {
  prepared(
    db,
    `INSERT INTO resolutions (id, item_id, rma_number, rma_line_id, body_json, status, created_at, released_at)
     VALUES (@id, @itemId, @rmaNumber, @rmaLineId, @body, @status, @createdAt, CASE WHEN @status = 'released' THEN @createdAt END)`,
  ).run({ id: r.id, itemId: r.itemId, rmaNumber: r.rmaNumber, rmaLineId: r.rmaLineId, body: JSON.stringify(r.recommendation), status: r.status, createdAt: r.createdAt });
}

export function resolutionOfItem(db: Db, itemId: string): ResolutionRow | undefined {
  const row: unknown = prepared(
    db,
    `SELECT id, item_id AS itemId, rma_number AS rmaNumber, rma_line_id AS rmaLineId, body_json AS recommendation, status,
              created_at AS createdAt, released_at AS releasedAt
         FROM resolutions WHERE item_id = ?`,
  ).get(itemId);
  return row === undefined ? undefined : ResolutionRow.parse(row);
}

/** Releases a held resolution (a lead approved the item); false if none was held. */
export function releaseResolution(db: Db, itemId: string, at: string): boolean {
  return prepared(db, "UPDATE resolutions SET status = 'released', released_at = ? WHERE item_id = ? AND status = 'held'").run(at, itemId).changes === 1;
}
