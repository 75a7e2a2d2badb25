import type { CustomerDeclaration } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { declarationOf, type DeclarationColumns } from './referenceData.js';
import { prepared } from './statements.js';

export type CustomerPhotoStatus = 'pending' | 'stored' | 'failed' | 'not_image';

export interface CustomerPhotoRow {
  sha256: string;
  status: CustomerPhotoStatus;
  mime: 'image/jpeg' | 'image/png' | null;
  lastError: string | null;
}

/** After this many failed downloads a photo stays "failed": the WMS does not have it, and grading goes on without. */
export const CUSTOMER_PHOTO_MAX_ATTEMPTS = 5;

/** Customer photos still to fetch, oldest RMA update first. */
export function customerPhotosToFetch(db: Db, limit: number): { rmaNumber: string; sha256: string }[] {
  return prepared(
    db,
    `SELECT rma_number AS rmaNumber, sha256 FROM customer_photos
      WHERE status = 'pending' OR (status = 'failed' AND attempts < ?)
      ORDER BY updated_at, rma_number, sha256 LIMIT ?`,
  ).all(CUSTOMER_PHOTO_MAX_ATTEMPTS, limit) as { rmaNumber: string; sha256: string }[];
}

export function recordCustomerPhoto(
  db: Db,
  key: { rmaNumber: string; sha256: string },
  outcome: { status: Exclude<CustomerPhotoStatus, 'pending'>; mime?: 'image/jpeg' | 'image/png'; error?: string },
  at: string,
): void {
  prepared(
    db,
    `UPDATE customer_photos SET status = ?, mime = ?, last_error = ?, attempts = attempts + 1, updated_at = ?
      WHERE rma_number = ? AND sha256 = ?`,
  ).run(outcome.status, outcome.mime ?? null, outcome.error ?? null, at, key.rmaNumber, key.sha256);
}

/** The customer's photos of one RMA in the order they declared them, with what the bench has of each. */
export function customerPhotosOf(db: Db, rmaNumber: string): CustomerPhotoRow[] {
  const row = prepared(db, 'SELECT declared_photos_json AS j FROM rmas WHERE rma_number = ?').get(rmaNumber) as { j: string | null } | undefined;
  if (!row?.j) return [];
  const order = JSON.parse(row.j) as string[];
  const stored = new Map(
    (
      prepared(db, 'SELECT sha256, status, mime, last_error AS lastError FROM customer_photos WHERE rma_number = ?').all(rmaNumber) as CustomerPhotoRow[]
    ).map((r) => [r.sha256, r]),
  );
  return order.map((sha256) => stored.get(sha256) ?? { sha256, status: 'pending', mime: null, lastError: null });
}

/** A customer photo the bench holds (any RMA), so it may be served like a bench photo. */
export function customerPhotoStored(db: Db, sha256: string): boolean {
  return prepared(db, "SELECT 1 FROM customer_photos WHERE sha256 = ? AND status = 'stored' LIMIT 1").get(sha256) !== undefined;
}

/** The declaration and its photos of an RMA, in the shape the screens take; undefined when nothing was declared. */
export function declarationView(
  db: Db,
  rmaNumber: string,
): { declaration: CustomerDeclaration; customerPhotos: { sha256: string; status: CustomerPhotoStatus }[] } | undefined {
  const row = prepared(db, 'SELECT declared_condition, declared_complete, declared_text, declared_photos_json FROM rmas WHERE rma_number = ?').get(rmaNumber) as
    | DeclarationColumns
    | undefined;
  const declaration = row ? declarationOf(row) : undefined;
  if (!declaration) return undefined;
  return { declaration, customerPhotos: customerPhotosOf(db, rmaNumber).map((p) => ({ sha256: p.sha256, status: p.status })) };
}
