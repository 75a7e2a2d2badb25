import { createHash } from 'node:crypto';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

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
  const prev = (prepared(db, 'SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? GENESIS;
  const at = e.at ?? new Date().toISOString();
  const before = e.before === undefined ? null : JSON.stringify(e.before);
  const after = e.after === undefined ? null : JSON.stringify(e.after);
  const hash = entryHash(prev, at, e.operatorId, e.action, e.entity, before, after);
  prepared(db,
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

/** The chain's head (newest entry), the bench's anchor at the hub; null while the log is empty. */
export function auditHead(db: Db): { seq: number; hash: string } | null {
  return (prepared(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
}

/** What an outside anchor says about the local chain; `sentence` is for support staff, in plain words. */
export type AnchorFinding =
  | { kind: 'truncated'; seq: number; localHead: number; sentence: string }
  | { kind: 'rewritten'; seq: number; sentence: string };

/**
 * Compares the local chain with anchors recorded elsewhere (the hub). A local chain that verifies can
 * still have lost its newest entries, or been rebuilt from scratch with valid hashes: only an anchor
 * kept outside the bench shows either.
 */
export function compareWithAnchors(db: Db, anchors: readonly { seq: number; hash: string }[]): AnchorFinding[] {
  const localHead = auditHead(db)?.seq ?? 0;
  const at = prepared(db, 'SELECT hash FROM audit_log WHERE seq = ?');
  const findings: AnchorFinding[] = [];
  // Oldest first, so the rewritten finding is the earliest anchor that disagrees and the truncated one the newest.
  for (const a of [...anchors].sort((x, y) => x.seq - y.seq)) {
    const local = at.get(a.seq) as { hash: string } | undefined;
    if (!local) {
      if (a.seq > localHead) {
        findings.push({
          kind: 'truncated',
          seq: a.seq,
          localHead,
          sentence: `The hub recorded audit entry ${a.seq} from this bench, but the local audit log ends at entry ${localHead}: its newest entries were removed.`,
        });
      } else {
        findings.push({ kind: 'rewritten', seq: a.seq, sentence: `The hub recorded audit entry ${a.seq} from this bench, but the local audit log has no entry ${a.seq}: the log was rewritten.` });
      }
    } else if (local.hash !== a.hash) {
      findings.push({ kind: 'rewritten', seq: a.seq, sentence: `Audit entry ${a.seq} is not the entry the hub recorded from this bench (its hash differs): the log was rewritten from there or earlier.` });
    }
  }
  // One sentence of each kind: the earliest rewritten anchor and the newest one beyond the local head.
  const rewritten = findings.find((f) => f.kind === 'rewritten');
  const truncated = findings.filter((f) => f.kind === 'truncated').at(-1);
  return [...(rewritten ? [rewritten] : []), ...(truncated ? [truncated] : [])];
}
