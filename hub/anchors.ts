import { AUDIT_ANCHOR_ERRORS, type AuditAnchorList, type AuditAnchorReceipt } from '../contract/auditAnchor.js';
import { inTransaction, type Pool } from './db.js';

/** An anchor the hub refuses; nothing was stored. */
export class AnchorRefusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Records a bench's audit-chain head. A head that did not move is acknowledged without a new row; a
 * head below the newest one, or a different hash at a sequence already anchored, is refused: the first
 * means the bench's chain lost its tail, the second that it was rewritten. Per-bench advisory lock:
 * two reports of one bench (timer and shutdown) are decided one after the other.
 */
export async function recordAnchor(pool: Pool, siteId: string, stationId: string, seq: number, hash: string): Promise<AuditAnchorReceipt> {
  return inTransaction(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtextextended('rs_hub.anchor:' || $1 || ':' || $2, 0))", [siteId, stationId]);
    const newest = await c.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM audit_anchors WHERE site_id = $1 AND station_id = $2 ORDER BY seq DESC LIMIT 1',
      [siteId, stationId],
    );
    const top = newest.rows[0];
    if (top) {
      const topSeq = Number(top.seq);
      if (seq < topSeq) {
        throw new AnchorRefusal(AUDIT_ANCHOR_ERRORS.backwards, `bench ${stationId} reported audit entry ${seq}, but the hub already holds an anchor at entry ${topSeq}: its audit chain went backwards`);
      }
      if (seq === topSeq) {
        if (top.hash !== hash) throw new AnchorRefusal(AUDIT_ANCHOR_ERRORS.conflict, `bench ${stationId} reported a different hash for audit entry ${seq} than before: its audit chain was rewritten`);
        return { seq, status: 'unchanged' };
      }
    }
    await c.query('INSERT INTO audit_anchors (site_id, station_id, seq, hash) VALUES ($1, $2, $3, $4)', [siteId, stationId, seq, hash]);
    return { seq, status: 'recorded' };
  });
}

export async function listAnchors(pool: Pool, siteId: string, stationId: string): Promise<AuditAnchorList> {
  const r = await pool.query<{ seq: string; hash: string; received_at: Date }>(
    'SELECT seq, hash, received_at FROM audit_anchors WHERE site_id = $1 AND station_id = $2 ORDER BY seq',
    [siteId, stationId],
  );
  return { stationId, anchors: r.rows.map((a) => ({ seq: Number(a.seq), hash: a.hash, receivedAt: a.received_at.toISOString() })) };
}
