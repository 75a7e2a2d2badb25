import { createHash } from 'node:crypto';
import type { Db } from '../connection.js';

export interface AuditEntry {
  operatorId: string | null;
  action: string;
  entity: string;
  before?: unknown;
  after?: unknown;
  at?: string;
}

const GENESIS = '0'.repeat(64);

function entryHash(prevHash: string, at: string, operatorId: string | null, action: string, entity: string, before: string | null, after: string | null): string {
  return createHash('sha256').update(JSON.stringify([prevHash, at, operatorId, action, entity, before, after])).digest('hex');
}

/** Appends one entry chained to the previous one's hash; call inside the state change's transaction. */
export function appendAudit(db: Db, e: AuditEntry): string {
  const prev = (db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? GENESIS;
  const at = e.at ?? new Date().toISOString();
  const before = e.before === undefined ? null : JSON.stringify(e.before);
  const after = e.after === undefined ? null : JSON.stringify(e.after);
  const hash = entryHash(prev, at, e.operatorId, e.action, e.entity, before, after);
  db.prepare(
    'INSERT INTO audit_log (at, operator_id, action, entity, before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(at, e.operatorId, e.action, e.entity, before, after, prev, hash);
  return hash;
}

export type AuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenAtSeq: number; reason: string };

export function verifyAuditChain(db: Db): AuditVerdict {
  let prev = GENESIS;
  let n = 0;
  const rows = db.prepare('SELECT seq, at, operator_id, action, entity, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<{
    seq: number; at: string; operator_id: string | null; action: string; entity: string; before_json: string | null; after_json: string | null; prev_hash: string; hash: string;
  }>;
  for (const r of rows) {
    n++;
    if (r.prev_hash !== prev) return { ok: false, entries: n, brokenAtSeq: r.seq, reason: 'previous hash does not match' };
    const h = entryHash(prev, r.at, r.operator_id, r.action, r.entity, r.before_json, r.after_json);
    if (h !== r.hash) return { ok: false, entries: n, brokenAtSeq: r.seq, reason: 'entry was altered' };
    prev = r.hash;
  }
  return { ok: true, entries: n };
}
