import type { OperatorView, Role } from '../contract/index.js';
import type { Db } from '../../db/connection.js';
import { clearPinFailures, findOperatorByBadge, findOperatorById, recordPinFailure } from '../../db/repositories/operators.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { StationError } from './errors.js';
import { verifyPin } from './pin.js';

export interface SessionOptions {
  lockAfterFailures: number;
  lockMinutes: number;
  idleMinutes: number;
  now?: () => Date;
}

interface Session {
  operatorId: string;
  lastActivity: number;
}

export interface SignedInOperator {
  id: string;
  name: string;
  role: Role;
}

/** Sessions live in the main process, keyed by the transport's client id; the renderer never holds a credential. */
export class SessionService {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => Date;

  constructor(private readonly db: Db, private readonly options: SessionOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async signIn(sessionKey: string, badge: string, pin: string): Promise<OperatorView> {
    const op = findOperatorByBadge(this.db, badge.trim());
    const unknown = new StationError('UNAUTHENTICATED', 'error.signInFailed', 'Badge or PIN is not right.');
    // A disabled badge reads like an unknown one: the bench does not confirm which badges exist.
    if (!op || op.disabled_at) throw unknown;
    const now = this.now();
    if (op.locked_until && new Date(op.locked_until) > now) {
      throw new StationError('LOCKED', 'error.locked', 'Too many wrong PINs: this badge is locked for a few minutes. Ask your lead.', {
        until: op.locked_until,
      });
    }
    if (!(await verifyPin(pin, op.pin_hash))) {
      const until = new Date(now.getTime() + this.options.lockMinutes * 60_000).toISOString();
      this.db.transaction(() => {
        recordPinFailure(this.db, op.id, this.options.lockAfterFailures, until);
        appendAudit(this.db, { operatorId: op.id, action: 'session.pinFailed', entity: `operator:${op.id}` });
      })();
      throw unknown;
    }
    this.db.transaction(() => {
      clearPinFailures(this.db, op.id);
      appendAudit(this.db, { operatorId: op.id, action: 'session.signedIn', entity: `operator:${op.id}` });
    })();
    this.sessions.set(sessionKey, { operatorId: op.id, lastActivity: now.getTime() });
    return { id: op.id, name: op.name, role: op.role };
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
    if (!op || op.disabled_at) {
      this.sessions.delete(sessionKey);
      return null;
    }
    if (touch) s.lastActivity = now;
    return { id: op.id, name: op.name, role: op.role };
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
