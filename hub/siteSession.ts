import { randomBytes } from 'node:crypto';
import type { OperatorView, Role } from '../contract/index.js';
import { secretHash } from './auth.js';
import type { Pool } from './db.js';

export const SITE_COOKIE = 'rs_site';

/** A hub UI session for a signed-in lead or supervisor; the browser holds only the random token, in an HttpOnly cookie. */
export async function openSiteSession(pool: Pool, siteId: string, operatorId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await pool.query('INSERT INTO site_sessions (site_id, token_hash, operator_id) VALUES ($1, $2, $3)', [siteId, secretHash(token), operatorId]);
  return token;
}

/**
 * The operator behind a session token, or null: unknown, idle past `idleMs`, or the operator was disabled.
 * One statement checks and (for the operator's own calls, `touch`) moves the idle clock; a background poll
 * reads without moving it, so a forgotten browser tab still signs out.
 */
export async function siteSessionOperator(pool: Pool, siteId: string, token: string | null, touch: boolean, idleMs: number): Promise<OperatorView | null> {
  if (!token) return null;
  const hash = secretHash(token);
  const r = await pool.query<{ id: string; name: string; role: Role }>(
    `UPDATE site_sessions s SET last_activity_at = CASE WHEN $4 THEN now() ELSE s.last_activity_at END
     FROM operators o
     WHERE s.site_id = $1 AND s.token_hash = $2 AND o.site_id = s.site_id AND o.id = s.operator_id AND o.disabled_at IS NULL
       AND s.last_activity_at > now() - make_interval(secs => $3::double precision / 1000)
     RETURNING o.id, o.name, o.role`,
    [siteId, hash, idleMs, touch],
  );
  const op = r.rows[0];
  if (op) return { id: op.id, name: op.name, role: op.role };
  // Idle or disabled: the session is over for good, not only for this call.
  await pool.query('DELETE FROM site_sessions WHERE site_id = $1 AND token_hash = $2', [siteId, hash]);
  return null;
}

export async function closeSiteSession(pool: Pool, siteId: string, token: string | null): Promise<boolean> {
  if (!token) return false;
  const r = await pool.query('DELETE FROM site_sessions WHERE site_id = $1 AND token_hash = $2', [siteId, secretHash(token)]);
  return (r.rowCount ?? 0) > 0;
}

export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=') || null;
  }
  return null;
}

/** HttpOnly and SameSite=Strict always; Secure when the hub is reached over TLS (a browser drops it over plain HTTP). */
export function sessionCookie(token: string | null, secure: boolean): string {
  const base = `${SITE_COOKIE}=${token ?? ''}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
  return token ? base : `${base}; Max-Age=0`;
}
