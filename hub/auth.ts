import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from './db.js';
import { inTransaction } from './db.js';
import { appendSiteAudit } from './siteAudit.js';
import type { BenchCredential, BenchList, EnrolmentCode } from './protocol.js';

/**
 * Codes and tokens are random (≥ 80 bits), so a plain SHA-256 suffices to keep them unusable if the
 * database leaks; a slow password hash would only cost every request time.
 */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A code a supervisor reads out or types: 16 characters of Crockford base32, no look-alikes. */
function newCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(16);
  let s = '';
  for (const b of bytes) s += alphabet[b % 32];
  return s;
}

const normaliseCode = (code: string): string => code.trim().toUpperCase().replace(/[\s-]/g, '');

export async function createEnrolmentCode(pool: Pool, siteId: string, stationId: string, ttlMinutes: number): Promise<EnrolmentCode> {
  const code = newCode();
  return inTransaction(pool, async (c) => {
    const r = await c.query<{ expires_at: Date }>(
      `INSERT INTO enrolment_codes (site_id, code_hash, station_id, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4)) RETURNING expires_at`,
      [siteId, secretHash(code), stationId, ttlMinutes],
    );
    const expiresAt = (r.rows[0]?.expires_at ?? new Date()).toISOString();
    // The code itself never enters the audit: it is a secret until spent.
    await appendSiteAudit(c, siteId, { actor: 'admin', action: 'bench.enrolmentCodeIssued', entity: `bench:${stationId}`, details: { expiresAt } });
    return { stationId, code, expiresAt };
  });
}

/**
 * Exchanges a one-time code for the bench's credential. The code is spent in the same transaction
 * that stores the credential, so it can never be used twice; a bench enrolled again (a supervisor's
 * new code) gets a new token and the old one stops working.
 */
export async function enrolBench(pool: Pool, siteId: string, code: string): Promise<BenchCredential | null> {
  return inTransaction(pool, async (c) => {
    const spent = await c.query<{ station_id: string }>(
      `UPDATE enrolment_codes SET used_at = now()
       WHERE site_id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > now()
       RETURNING station_id`,
      [siteId, secretHash(normaliseCode(code))],
    );
    const stationId = spent.rows[0]?.station_id;
    if (!stationId) return null;
    const token = `rsb_${randomBytes(32).toString('base64url')}`;
    await c.query(
      `INSERT INTO benches (site_id, station_id, token_hash) VALUES ($1, $2, $3)
       ON CONFLICT (site_id, station_id) DO UPDATE
       SET token_hash = excluded.token_hash, enrolled_at = now(), revoked_at = NULL`,
      [siteId, stationId, secretHash(token)],
    );
    await appendSiteAudit(c, siteId, { actor: `bench:${stationId}`, action: 'bench.enrolled', entity: `bench:${stationId}` });
    return { siteId, stationId, token };
  });
}

/**
 * The bench a bearer token belongs to, or null (unknown or revoked). Looked up on every request, with
 * no cache, so a revocation takes effect on the next request. The contact is recorded at most once a
 * second per bench: a write on every request would cost each of a busy bench's batches a second commit
 * (a WAL flush) for a time nobody reads finer than that.
 */
export async function authenticateBench(pool: Pool, siteId: string, token: string): Promise<string | null> {
  if (!token.startsWith('rsb_')) return null;
  const r = await pool.query<{ station_id: string }>({
    name: 'hub.auth.bench',
    text: `WITH b AS (SELECT station_id, last_contact_at FROM benches WHERE site_id = $1 AND token_hash = $2 AND revoked_at IS NULL),
           touched AS (
             UPDATE benches SET last_contact_at = now() FROM b
             WHERE benches.site_id = $1 AND benches.station_id = b.station_id
               AND (b.last_contact_at IS NULL OR b.last_contact_at < now() - interval '1 second'))
           SELECT station_id FROM b`,
    values: [siteId, secretHash(token)],
  });
  return r.rows[0]?.station_id ?? null;
}

export async function revokeBench(pool: Pool, siteId: string, stationId: string): Promise<boolean> {
  return inTransaction(pool, async (c) => {
    const r = await c.query<{ newly: boolean }>(
      `UPDATE benches b SET revoked_at = COALESCE(b.revoked_at, now())
       FROM (SELECT revoked_at IS NULL AS newly FROM benches WHERE site_id = $1 AND station_id = $2 FOR UPDATE) old
       WHERE b.site_id = $1 AND b.station_id = $2 RETURNING old.newly`,
      [siteId, stationId],
    );
    const row = r.rows[0];
    // Revoking a revoked bench again changes nothing, so it adds nothing to the audit either.
    if (row?.newly) await appendSiteAudit(c, siteId, { actor: 'admin', action: 'bench.revoked', entity: `bench:${stationId}` });
    return row !== undefined;
  });
}

export async function listBenches(pool: Pool, siteId: string): Promise<BenchList> {
  const r = await pool.query<{ station_id: string; enrolled_at: Date; revoked_at: Date | null; last_contact_at: Date | null }>(
    'SELECT station_id, enrolled_at, revoked_at, last_contact_at FROM benches WHERE site_id = $1 ORDER BY station_id',
    [siteId],
  );
  return {
    benches: r.rows.map((b) => ({
      stationId: b.station_id,
      enrolledAt: b.enrolled_at.toISOString(),
      revokedAt: b.revoked_at?.toISOString() ?? null,
      lastContactAt: b.last_contact_at?.toISOString() ?? null,
    })),
  };
}
