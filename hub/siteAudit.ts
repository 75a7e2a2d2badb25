import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from './db.js';

/** One site action, as the hub records it. `actor`: who did it ('admin', a badge, 'bench:<id>'). */
export interface SiteAuditEntry {
  actor: string;
  action: string;
  entity: string;
  details?: unknown;
}

export type SiteAuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenAtSeq: number; reason: string };

const GENESIS = '0'.repeat(64);

function entryHash(prev: string, at: string, actor: string, action: string, entity: string, details: string | null): string {
  return createHash('sha256').update(JSON.stringify([prev, at, actor, action, entity, details])).digest('hex');
}

/**
 * Appends one entry to the site's chain on `client`, which must be inside the action's transaction: the
 * action and its entry commit together or not at all. A transaction-scoped advisory lock puts concurrent
 * actions of one site in one order, so two never chain to the same predecessor.
 */
export async function appendSiteAudit(client: PoolClient, siteId: string, e: SiteAuditEntry): Promise<{ seq: number; hash: string }> {
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended('rs_hub.site_audit:' || $1, 0))", [siteId]);
  const last = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM site_audit WHERE site_id = $1 ORDER BY seq DESC LIMIT 1', [siteId]);
  const prev = last.rows[0]?.hash ?? GENESIS;
  const seq = Number(last.rows[0]?.seq ?? 0) + 1;
  const at = new Date().toISOString();
  const details = e.details === undefined ? null : JSON.stringify(e.details);
  const hash = entryHash(prev, at, e.actor, e.action, e.entity, details);
  await client.query(
    'INSERT INTO site_audit (site_id, seq, at, actor, action, entity, details_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [siteId, seq, at, e.actor, e.action, e.entity, details, prev, hash],
  );
  return { seq, hash };
}

/** Walks the site's chain from the start: each entry must follow the one before, with no number skipped. */
export async function verifySiteAudit(pool: Pool, siteId: string): Promise<SiteAuditVerdict> {
  const r = await pool.query<{ seq: string; at: string; actor: string; action: string; entity: string; details_json: string | null; prev_hash: string; hash: string }>(
    'SELECT seq, at, actor, action, entity, details_json, prev_hash, hash FROM site_audit WHERE site_id = $1 ORDER BY seq',
    [siteId],
  );
  let prev = GENESIS;
  let n = 0;
  for (const row of r.rows) {
    n++;
    const seq = Number(row.seq);
    if (seq !== n) return { ok: false, entries: n, brokenAtSeq: n, reason: 'entry was removed' };
    if (row.prev_hash !== prev) return { ok: false, entries: n, brokenAtSeq: seq, reason: 'previous hash does not match' };
    if (entryHash(prev, row.at, row.actor, row.action, row.entity, row.details_json) !== row.hash) return { ok: false, entries: n, brokenAtSeq: seq, reason: 'entry was altered' };
    prev = row.hash;
  }
  return { ok: true, entries: n };
}
