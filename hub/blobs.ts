import { createHash } from 'node:crypto';
import type { BlobContentRange, BlobState } from '../contract/index.js';
import { inTransaction, type Pool } from './db.js';

/** Why a chunk was refused; the server turns it into the same statuses the WMS uses (409 / 400). */
export class BlobRefusal extends Error {
  constructor(readonly status: 400 | 409, message: string, readonly offset: number) {
    super(message);
  }
}

/**
 * Blobs (photos) a bench uploads, kept in PostgreSQL with the same resumable, content-addressed rules
 * as the WMS's blob endpoint: the held bytes are the resume offset, only the next byte or 0 may be
 * written, and a completed blob whose hash is wrong is dropped. Blobs are at most 10 MB, so bytea is fine.
 */
export async function blobState(pool: Pool, siteId: string, sha256: string): Promise<BlobState | null> {
  const r = await pool.query<{ length: number; held: number; complete: boolean }>(
    'SELECT length, octet_length(data) AS held, complete_at IS NOT NULL AS complete FROM blobs WHERE site_id = $1 AND sha256 = $2',
    [siteId, sha256],
  );
  const row = r.rows[0];
  if (!row) return null;
  if (row.complete) return { sha256, offset: row.length, length: row.length, complete: true };
  return row.held > 0 ? { sha256, offset: row.held, length: row.length, complete: false } : null;
}

export async function appendBlobChunk(pool: Pool, siteId: string, sha256: string, range: BlobContentRange, chunk: Buffer): Promise<BlobState> {
  const outcome = await inTransaction(pool, async (c): Promise<BlobState | { mismatch: string }> => {
    const r = await c.query<{ length: number; held: number; complete: boolean }>(
      'SELECT length, octet_length(data) AS held, complete_at IS NOT NULL AS complete FROM blobs WHERE site_id = $1 AND sha256 = $2 FOR UPDATE',
      [siteId, sha256],
    );
    const row = r.rows[0];
    if (row?.complete) return { sha256, offset: row.length, length: row.length, complete: true };
    const held = row && row.length === range.total ? row.held : 0;
    if (chunk.length !== range.end - range.start + 1) {
      throw new BlobRefusal(400, `the body has ${chunk.length} bytes but Content-Range names ${range.end - range.start + 1}`, held);
    }
    if (range.start !== held && range.start !== 0) throw new BlobRefusal(409, `this blob continues at byte ${held}, not ${range.start}`, held);
    const done = range.start + chunk.length === range.total;
    const upd = await c.query<{ data: Buffer }>(
      `INSERT INTO blobs (site_id, sha256, length, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (site_id, sha256) DO UPDATE
       SET length = excluded.length, data = CASE WHEN $5 THEN excluded.data ELSE blobs.data || excluded.data END
       RETURNING CASE WHEN $6 THEN data END AS data`,
      [siteId, sha256, range.total, chunk, range.start === 0, done],
    );
    const offset = range.start + chunk.length;
    if (!done) return { sha256, offset, length: range.total, complete: false };
    const actual = createHash('sha256').update(upd.rows[0]?.data ?? Buffer.alloc(0)).digest('hex');
    if (actual !== sha256) {
      await c.query("UPDATE blobs SET data = ''::bytea WHERE site_id = $1 AND sha256 = $2", [siteId, sha256]);
      // Committed, not rolled back: the partial bytes must go, so the bench starts over from 0.
      return { mismatch: actual };
    }
    await c.query('UPDATE blobs SET complete_at = now() WHERE site_id = $1 AND sha256 = $2', [siteId, sha256]);
    return { sha256, offset, length: range.total, complete: true };
  });
  if ('mismatch' in outcome) throw new BlobRefusal(400, `the uploaded bytes hash to ${outcome.mismatch}, not to ${sha256}; send the blob again`, 0);
  return outcome;
}

export async function readBlob(pool: Pool, siteId: string, sha256: string): Promise<Buffer | null> {
  const r = await pool.query<{ data: Buffer }>('SELECT data FROM blobs WHERE site_id = $1 AND sha256 = $2 AND complete_at IS NOT NULL', [siteId, sha256]);
  return r.rows[0]?.data ?? null;
}
