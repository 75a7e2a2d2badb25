import { randomUUID } from 'node:crypto';
import { normalizeBadge, type OperatorSummary, type OperatorView, type Role, type RosterPage } from '../contract/index.js';
import { hashPin, verifyPin } from '../shared-node/pinHash.js';
import { inTransaction, type Pool, type PoolClient } from './db.js';
import { appendSiteAudit } from './siteAudit.js';
import { SiteError } from './siteErrors.js';

export interface LockPolicy {
  lockAfterFailures: number;
  lockMinutes: number;
}

interface OperatorRow {
  id: string;
  badge: string;
  name: string;
  role: Role;
  pin_hash: string;
  disabled_at: Date | null;
  failed_pins: number;
  locked_until: Date | null;
  rev: string;
}

const summary = (r: OperatorRow, now = new Date()): OperatorSummary => ({
  id: r.id,
  badge: normalizeBadge(r.badge),
  name: r.name,
  role: r.role,
  disabled: r.disabled_at !== null,
  locked: r.locked_until !== null && r.locked_until > now,
});

const notFound = (): SiteError => new SiteError('NOT_FOUND', 'error.operatorNotFound', 'No operator has this id.');
const signInFailed = (): SiteError => new SiteError('UNAUTHENTICATED', 'error.signInFailed', 'Badge or PIN is not right.');
const locked = (until: Date | null): SiteError =>
  new SiteError('LOCKED', 'error.locked', 'Too many wrong PINs: this badge is locked for a few minutes. Ask your lead.', until ? { until: until.toISOString() } : {});

/**
 * The operator a badge names: the contract normalizes a badge that comes in (contract/badge.ts), and a hub may
 * still hold one enrolled in lower case before that, so stored badges are compared upper-cased (every badge was
 * enrolled through the ASCII-only schema, where upper() is the whole normalization). Two stored badges that
 * differ only in case would both match: the enabled one written as typed wins, then the one enrolled first,
 * so one badge always names one operator. `$1` is the site, `$2` the normalized badge.
 */
const OPERATOR_BY_BADGE = `SELECT id FROM operators WHERE site_id = $1 AND upper(badge) = $2
  ORDER BY disabled_at IS NOT NULL, badge <> $2, enrolled_at, id LIMIT 1`;

/**
 * Every roster change takes its rev under this lock and commits before releasing it, so revs become visible
 * in rev order: a bench that has pulled up to rev 7 can never later find a rev 6 it skipped.
 */
async function lockRoster(c: PoolClient, siteId: string): Promise<void> {
  await c.query("SELECT pg_advisory_xact_lock(hashtextextended('rs_hub.roster.' || $1, 0))", [siteId]);
}

export async function listOperators(pool: Pool, siteId: string): Promise<OperatorSummary[]> {
  const r = await pool.query<OperatorRow>("SELECT * FROM operators WHERE site_id = $1 ORDER BY CASE role WHEN 'supervisor' THEN 0 WHEN 'lead' THEN 1 ELSE 2 END, badge", [siteId]);
  return r.rows.map((row) => summary(row));
}

/** An enabled operator of the site's roster as a session sees them, or null (unknown or disabled). */
export async function siteOperator(pool: Pool, siteId: string, operatorId: string): Promise<OperatorView | null> {
  const r = await pool.query<{ id: string; name: string; role: Role }>('SELECT id, name, role FROM operators WHERE site_id = $1 AND id = $2 AND disabled_at IS NULL', [siteId, operatorId]);
  const op = r.rows[0];
  return op ? { id: op.id, name: op.name, role: op.role } : null;
}

export async function countOperators(pool: Pool, siteId: string): Promise<number> {
  const r = await pool.query<{ n: string }>('SELECT count(*) AS n FROM operators WHERE site_id = $1', [siteId]);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Enrols one operator for the whole site. The same badge (in any case) with the same name is the same person enrolled
 * twice; the same badge with another name is a badge in use. Both are refused with their own message.
 */
/** `actor`: who enrols ('admin' for the admin token, else the supervisor's operator id), for the site audit. */
export async function enrolOperator(pool: Pool, siteId: string, input: { badge: string; name: string; role: Role; pin: string }, actor: string): Promise<OperatorSummary> {
  const pinHash = await hashPin(input.pin);
  const badge = normalizeBadge(input.badge);
  const name = input.name.trim();
  return inTransaction(pool, async (c) => {
    await lockRoster(c, siteId);
    // A badge in another case is the same badge (a second operator under it could not be told apart by anyone finding
    // operators case-blind, as the review queue's filter does). Under the roster lock, so two enrolments cannot race.
    const existing = await c.query<OperatorRow>(`SELECT * FROM operators WHERE id = (${OPERATOR_BY_BADGE}) AND site_id = $1`, [siteId, badge]);
    const other = existing.rows[0];
    if (other) {
      if (other.name.normalize('NFKC').toLowerCase() === name.normalize('NFKC').toLowerCase()) {
        throw new SiteError('CONFLICT', 'error.site.alreadyEnrolled', `${name} is already enrolled with badge ${badge}.`, { badge, name: other.name });
      }
      throw new SiteError('CONFLICT', 'error.badgeTaken', 'Another operator already has this badge.', { badge });
    }
    const r = await c.query<OperatorRow>(
      `INSERT INTO operators (site_id, id, badge, name, role, pin_hash, rev) VALUES ($1, $2, $3, $4, $5, $6, nextval('roster_rev')) RETURNING *`,
      [siteId, `op-${randomUUID()}`, badge, name, input.role, pinHash],
    );
    const enrolled = summary(r.rows[0]!);
    await appendSiteAudit(c, siteId, { actor, action: 'operator.enrolled', entity: enrolled.id, details: { badge, name, role: input.role } });
    return enrolled;
  });
}

/** Disabling also ends the operator's hub UI sessions at once; benches sign them out on their next roster pull. */
export async function setOperatorDisabled(pool: Pool, siteId: string, by: string | null, operatorId: string, disabled: boolean): Promise<OperatorSummary> {
  // A supervisor who disabled themselves could leave the site with nobody able to manage it.
  if (disabled && by === operatorId) throw new SiteError('CONFLICT', 'error.cannotDisableSelf', 'You cannot disable your own badge.');
  return inTransaction(pool, async (c) => {
    await lockRoster(c, siteId);
    const r = await c.query<OperatorRow>(
      `UPDATE operators SET disabled_at = CASE WHEN $3 THEN COALESCE(disabled_at, now()) ELSE NULL END,
              rev = CASE WHEN (disabled_at IS NOT NULL) = $3 THEN rev ELSE nextval('roster_rev') END
       WHERE site_id = $1 AND id = $2 RETURNING *`,
      [siteId, operatorId, disabled],
    );
    const row = r.rows[0];
    if (!row) throw notFound();
    if (disabled) await c.query('DELETE FROM site_sessions WHERE site_id = $1 AND operator_id = $2', [siteId, operatorId]);
    await appendSiteAudit(c, siteId, { actor: by ?? 'admin', action: disabled ? 'operator.disabled' : 'operator.enabled', entity: operatorId });
    return summary(row);
  });
}

/** A new PIN also lifts a lock-out: that is what a supervisor resets it for. */
export async function resetOperatorPin(pool: Pool, siteId: string, operatorId: string, pin: string, actor: string): Promise<OperatorSummary> {
  const pinHash = await hashPin(pin);
  return inTransaction(pool, async (c) => {
    await lockRoster(c, siteId);
    const r = await c.query<OperatorRow>(
      `UPDATE operators SET pin_hash = $3, failed_pins = 0, locked_until = NULL, rev = nextval('roster_rev')
       WHERE site_id = $1 AND id = $2 RETURNING *`,
      [siteId, operatorId, pinHash],
    );
    if (!r.rows[0]) throw notFound();
    // The PIN itself (or its hash) never goes into the audit: only that it was reset, and by whom.
    await appendSiteAudit(c, siteId, { actor, action: 'operator.pinReset', entity: operatorId });
    return summary(r.rows[0]);
  });
}

export async function rosterPage(pool: Pool, siteId: string, after: number, limit: number): Promise<RosterPage> {
  const r = await pool.query<OperatorRow>('SELECT * FROM operators WHERE site_id = $1 AND rev > $2 ORDER BY rev LIMIT $3', [siteId, after, limit]);
  const rows = r.rows.map((o) => ({ id: o.id, badge: normalizeBadge(o.badge), name: o.name, role: o.role, pinHash: o.pin_hash, disabled: o.disabled_at !== null, rev: Number(o.rev) }));
  return { operators: rows, next: rows.length === limit ? (rows.at(-1)?.rev ?? null) : null };
}

/**
 * Checks a badge and PIN against the site-wide lock-out, whichever bench or browser asks.
 *
 * The attempt is reserved before the PIN is hashed, in one UPDATE: it counts as a failure up front, and the
 * reservation that reaches the limit sets the lock itself. PostgreSQL re-checks the WHERE of a concurrent
 * UPDATE against the row the first one wrote, so however many guesses arrive at once, at most
 * `lockAfterFailures` of them are ever hashed before the lock; a crash mid-check leaves a failure counted,
 * never a free guess. A right PIN takes back the failures up to its own reservation; failures reserved after
 * it (guesses still in flight) stay, and if they locked the badge the lock wins.
 */
export async function checkPin(pool: Pool, siteId: string, badge: string, pin: string, policy: LockPolicy): Promise<OperatorView> {
  const normalized = normalizeBadge(badge);
  const reserved = await pool.query<OperatorRow>(
    `UPDATE operators SET failed_pins = failed_pins + 1,
            locked_until = CASE WHEN failed_pins + 1 >= $3 THEN now() + make_interval(mins => $4) ELSE locked_until END
     WHERE site_id = $1 AND id = (${OPERATOR_BY_BADGE}) AND disabled_at IS NULL AND (locked_until IS NULL OR locked_until <= now())
     RETURNING *`,
    [siteId, normalized, policy.lockAfterFailures, policy.lockMinutes],
  );
  const op = reserved.rows[0];
  if (!op) {
    const r = await pool.query<OperatorRow>(`SELECT * FROM operators WHERE site_id = $1 AND id = (${OPERATOR_BY_BADGE})`, [siteId, normalized]);
    const known = r.rows[0];
    // A disabled badge reads like an unknown one: the hub does not confirm which badges exist.
    if (known && known.disabled_at === null && known.locked_until && known.locked_until > new Date()) throw locked(known.locked_until);
    throw signInFailed();
  }
  if (!(await verifyPin(pin, op.pin_hash))) throw signInFailed();
  const after = await pool.query<OperatorRow>(
    `UPDATE operators SET failed_pins = GREATEST(0, failed_pins - $3),
            locked_until = CASE WHEN failed_pins - $3 <= 0 THEN NULL ELSE locked_until END
     WHERE site_id = $1 AND id = $2 RETURNING *`,
    [siteId, op.id, op.failed_pins],
  );
  const now = after.rows[0];
  if (!now || now.disabled_at) throw signInFailed();
  if (now.locked_until && now.locked_until > new Date()) throw locked(now.locked_until);
  return { id: op.id, name: op.name, role: op.role };
}
