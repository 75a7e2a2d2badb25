import { normalizeBadge, type OperatorView, type Role } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { clearPinFailures, findOperatorByBadge, findOperatorById, recordPinFailure, type OperatorRow } from '../../db/repositories/operators.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { StationError } from './errors.js';
import { verifyPin } from '../../shared-node/pinHash.js';
import type { sessionCalls } from '../../contract/calls/session.js';
import type { CallsOf, HandlersFor, SignedInOperator } from './dispatch.js';

export type { SignedInOperator };

export interface SessionOptions {
  lockAfterFailures: number;
  lockMinutes: number;
  idleMinutes: number;
  now?: () => Date;
  /** Issue 15: a bench of a site checks PINs at the hub (site-wide lock-out) while the hub answers. */
  site?: SitePinChecker;
}

/** The site hub's PIN check (core/sync/siteSync.ts); `unreachable` falls back to this bench's copy of the roster. */
export interface SitePinChecker {
  checkPin(
    badge: string,
    pin: string,
  ): Promise<{ kind: 'ok'; operator: { id: string } } | { kind: 'failed' } | { kind: 'locked'; until: string | null } | { kind: 'unreachable' }>;
  /** Pulls the roster now (an operator the hub knows but this bench has not pulled yet). */
  pullNow(): Promise<void>;
}

interface Session {
  operatorId: string;
  lastActivity: number;
}

/** Sessions live in the main process, keyed by the transport's client id; the renderer never holds a credential. */
export class SessionService {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => Date;

  constructor(private readonly db: Db, private readonly options: SessionOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** PIN checks under way per operator: each holds one of the attempts the lock allows. */
  private readonly pending = new Map<string, number>();

  async signIn(sessionKey: string, badge: string, pin: string): Promise<OperatorView> {
    const unknown = new StationError('UNAUTHENTICATED', 'error.signInFailed', 'Badge or PIN is not right.');
    // The contract has normalized a badge typed at the bench already; a caller inside the station may not have.
    const normalized = normalizeBadge(badge);
    if (this.options.site) {
      const site = await this.options.site.checkPin(normalized, pin);
      if (site.kind !== 'unreachable') return this.signInAtSite(sessionKey, site, unknown);
    }
    const op = findOperatorByBadge(this.db, normalized);
    // A disabled badge reads like an unknown one: the bench does not confirm which badges exist.
    if (!op || op.disabledAt) throw unknown;
    // Everything up to the scrypt call runs synchronously, so concurrent guesses see each other's reservations:
    // at most `lockAfterFailures` PINs are ever checked before the lock, however many arrive at once.
    this.reserveAttempt(op);
    let right: boolean;
    try {
      right = await verifyPin(pin, op.pinHash);
    } finally {
      this.release(op.id);
    }
    const now = this.now();
    if (!right) {
      const until = new Date(now.getTime() + this.options.lockMinutes * 60_000).toISOString();
      this.db.transaction(() => {
        recordPinFailure(this.db, op.id, this.options.lockAfterFailures, until);
        appendAudit(this.db, { operatorId: op.id, action: 'session.pinFailed', entity: `operator:${op.id}` });
      })();
      throw unknown;
    }
    const after = findOperatorById(this.db, op.id);
    // Wrong guesses checked alongside this one may have locked the badge meanwhile: the lock wins.
    if (after?.lockedUntil && new Date(after.lockedUntil) > now) throw this.locked(after.lockedUntil);
    this.db.transaction(() => {
      clearPinFailures(this.db, op.id);
      appendAudit(this.db, { operatorId: op.id, action: 'session.signedIn', entity: `operator:${op.id}` });
    })();
    this.sessions.set(sessionKey, { operatorId: op.id, lastActivity: now.getTime() });
    return { id: op.id, name: op.name, role: op.role };
  }

  /** The hub counted this attempt site-wide; the bench records the session (and the audit) for its own operator row. */
  private async signInAtSite(
    sessionKey: string,
    site: Exclude<Awaited<ReturnType<SitePinChecker['checkPin']>>, { kind: 'unreachable' }>,
    unknown: StationError,
  ): Promise<OperatorView> {
    if (site.kind === 'locked') throw this.locked(site.until);
    if (site.kind === 'failed') throw unknown;
    let op = findOperatorById(this.db, site.operator.id);
    if (!op) {
      await this.options.site?.pullNow();
      op = findOperatorById(this.db, site.operator.id);
    }
    if (!op || op.disabledAt) throw unknown;
    const signedIn = op;
    this.db.transaction(() => {
      clearPinFailures(this.db, signedIn.id);
      appendAudit(this.db, { operatorId: signedIn.id, action: 'session.signedIn', entity: `operator:${signedIn.id}` });
    })();
    this.sessions.set(sessionKey, { operatorId: signedIn.id, lastActivity: this.now().getTime() });
    return { id: signedIn.id, name: signedIn.name, role: signedIn.role };
  }

  private locked(until: string | null): StationError {
    return new StationError('LOCKED', 'error.locked', 'Too many wrong PINs: this badge is locked for a few minutes. Ask your lead.', until ? { until } : {});
  }

  /** Synchronous: refuses when the lock is on, or when failures so far plus checks under way reach the limit. */
  private reserveAttempt(op: OperatorRow): void {
    const now = this.now();
    if (op.lockedUntil && new Date(op.lockedUntil) > now) throw this.locked(op.lockedUntil);
    // After a lock has run out, one more wrong PIN locks again (failed_pins is not reset by time).
    const failed = op.lockedUntil ? Math.min(op.failedPins, this.options.lockAfterFailures - 1) : op.failedPins;
    const pending = this.pending.get(op.id) ?? 0;
    if (failed + pending >= this.options.lockAfterFailures) throw this.locked(op.lockedUntil);
    this.pending.set(op.id, pending + 1);
  }

  private release(operatorId: string): void {
    const n = (this.pending.get(operatorId) ?? 1) - 1;
    if (n > 0) this.pending.set(operatorId, n);
    else this.pending.delete(operatorId);
  }

  /** The signed-in operator, or null; an idle session is signed out here. */
  current(sessionKey: string, touch = true): SignedInOperator | null {
    const s = this.sessions.get(sessionKey);
    if (!s) return null;
    const now = this.now().getTime();
    if (now - s.lastActivity > this.options.idleMinutes * 60_000) {
      this.sessions.delete(sessionKey);
      return null;
    }
    const op = findOperatorById(this.db, s.operatorId);
    if (!op || op.disabledAt) {
      this.sessions.delete(sessionKey);
      return null;
    }
    if (touch) s.lastActivity = now;
    return { id: op.id, name: op.name, role: op.role };
  }

  /** Issue 15: who works at this bench now (the most recently active session), for the site's benches screen; touches nothing. */
  signedIn(): SignedInOperator | null {
    let latest: [string, Session] | null = null;
    for (const entry of this.sessions) if (!latest || entry[1].lastActivity > latest[1].lastActivity) latest = entry;
    return latest ? this.current(latest[0], false) : null;
  }

  signOut(sessionKey: string): boolean {
    const s = this.sessions.get(sessionKey);
    if (!s) return false;
    this.sessions.delete(sessionKey);
    appendAudit(this.db, { operatorId: s.operatorId, action: 'session.signedOut', entity: `operator:${s.operatorId}` });
    return true;
  }

  end(sessionKey: string): void {
    this.sessions.delete(sessionKey);
  }
}

export function sessionHandlers(sessions: SessionService): HandlersFor<CallsOf<typeof sessionCalls>> {
  return {
    'session.signIn': (ctx, input) => sessions.signIn(ctx.sessionKey, input.badge, input.pin),
    'session.current': (ctx) => ctx.operator,
    'session.signOut': (ctx) => ({ signedOut: sessions.signOut(ctx.sessionKey) }),
  };
}
