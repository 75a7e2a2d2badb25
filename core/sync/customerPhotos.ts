import { createHash } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { customerPhotosToFetch, recordCustomerPhoto } from '../../db/repositories/customerPhotos.js';
import { WmsError } from './wmsClient.js';

/** Downloads a blob by hash; null when the WMS does not have it. */
export type GetBlob = (sha256: string) => Promise<Uint8Array | null>;
/** Checks that the bytes are an image and stores them like a bench photo; throws when they are not an image. */
export type StoreCustomerPhoto = (sha256: string, bytes: Uint8Array) => 'image/jpeg' | 'image/png';

export interface CustomerPhotoReport {
  stored: number;
  failed: number;
  notImage: number;
}

/**
 * Fetches the photos customers attached to their declarations, after the pull. Each photo ends with a
 * status of its own (stored, failed, not an image): one bad photo never stops the others, the cycle or
 * grading. Only an unreachable WMS ends the round early, so the next cycle tries again.
 */
export async function fetchCustomerPhotos(
  db: Db,
  deps: { getBlob: GetBlob; store: StoreCustomerPhoto; now?: () => Date; limit?: number },
): Promise<CustomerPhotoReport> {
  const now = deps.now ?? (() => new Date());
  const report: CustomerPhotoReport = { stored: 0, failed: 0, notImage: 0 };
  for (const key of customerPhotosToFetch(db, deps.limit ?? 50)) {
    let bytes: Uint8Array | null;
    try {
      bytes = await deps.getBlob(key.sha256);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      recordCustomerPhoto(db, key, { status: 'failed', error: message }, now().toISOString());
      report.failed++;
      if (err instanceof WmsError && (err.kind === 'network' || err.kind === 'timeout' || err.kind === 'auth')) break;
      continue;
    }
    if (bytes === null) {
      recordCustomerPhoto(db, key, { status: 'failed', error: 'the WMS does not have this photo' }, now().toISOString());
      report.failed++;
      continue;
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== key.sha256) {
      recordCustomerPhoto(db, key, { status: 'failed', error: `the downloaded bytes hash to ${actual}` }, now().toISOString());
      report.failed++;
      continue;
    }
    try {
      const mime = deps.store(key.sha256, bytes);
      recordCustomerPhoto(db, key, { status: 'stored', mime }, now().toISOString());
      report.stored++;
    } catch (err) {
      recordCustomerPhoto(db, key, { status: 'not_image', error: err instanceof Error ? err.message : String(err) }, now().toISOString());
      report.notImage++;
    }
  }
  return report;
}
