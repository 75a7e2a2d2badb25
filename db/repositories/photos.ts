import { z } from 'zod';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

/** Records a stored blob once (content-addressed: the same photo twice is one row). */
export function insertPhoto(db: Db, p: { sha256: string; mime: 'image/jpeg' | 'image/png'; bytes: number; createdAt: string; createdBy: string }): void {
  prepared(db, 'INSERT OR IGNORE INTO photos (sha256, mime, bytes, created_at, created_by) VALUES (?, ?, ?, ?, ?)').run(
    p.sha256,
    p.mime,
    p.bytes,
    p.createdAt,
    p.createdBy,
  );
}

export function photoExists(db: Db, sha256: string): boolean {
  return prepared(db, 'SELECT 1 FROM photos WHERE sha256 = ?').get(sha256) !== undefined;
}

/** Links a stored photo to an item; linking it twice is a no-op. */
export function linkPhoto(db: Db, itemId: string, sha256: string, by: string, at: string): void {
  prepared(db, 'INSERT OR IGNORE INTO item_photos (item_id, sha256, attached_at, attached_by) VALUES (?, ?, ?, ?)').run(itemId, sha256, at, by);
}

export function photosOfItem(db: Db, itemId: string): string[] {
  return z.array(z.string()).parse(db.prepare('SELECT sha256 FROM item_photos WHERE item_id = ? ORDER BY attached_at, sha256').pluck().all(itemId));
}
