import { randomUUID } from 'node:crypto';
import { normalizeBadge, type OperatorSummary, type OperatorView, type Role } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import {
  countOperators,
  findOperatorByBadge,
  findOperatorById,
  listOperators,
  resetOperatorPin,
  setOperatorDisabled,
  upsertOperator,
  type OperatorRow,
} from '../../db/repositories/operators.js';
import { appendAudit } from '../../db/repositories/audit.js';
import type { operatorCalls } from '../../contract/calls/operators.js';
import type { setupCalls } from '../../contract/calls/setup.js';
import type { CallsOf, HandlersFor } from './dispatch.js';
import { StationError } from './errors.js';
import { hashPin } from '../../shared-node/pinHash.js';
import type { SessionService } from './session.js';

export interface OperatorSeed {
  id: string;
  badge: string;
  name: string;
  role: Role;
  pin: string;
}

/** Enrol the given operators when the station has none (the demo composition's known operators). PINs are hashed. */
export async function enrolOperatorsIfNone(db: Db, seeds: readonly OperatorSeed[]): Promise<number> {
  if (countOperators(db) > 0) return 0;
  const hashed = await Promise.all(seeds.map(async (s) => ({ ...s, pinHash: await hashPin(s.pin) })));
  db.transaction(() => {
    for (const s of hashed) upsertOperator(db, { id: s.id, badge: normalizeBadge(s.badge), name: s.name, role: s.role, pinHash: s.pinHash });
  })();
  return hashed.length;
}

interface NewOperator {
  badge: string;
  name: string;
  role: Role;
  pin: string;
}

function summary(row: OperatorRow, now: Date): OperatorSummary {
  return {
    id: row.id,
    badge: row.badge,
    name: row.name,
    role: row.role,
    disabled: row.disabledAt !== null,
    locked: row.lockedUntil !== null && new Date(row.lockedUntil) > now,
  };
}

const notFound = (): StationError => new StationError('NOT_FOUND', 'error.operatorNotFound', 'No operator has this id.');

/** Who may use the bench: first-run enrolment of a supervisor, then a supervisor's enrol / disable / reset PIN. */
export class OperatorService {
  private readonly now: () => Date;

  constructor(private readonly db: Db, now?: () => Date) {
    this.now = now ?? (() => new Date());
  }

  needsFirstSupervisor(): boolean {
    return countOperators(this.db) === 0;
  }

  /** Only while the station has no operator at all; the new supervisor is audited as their own enroller. */
  async enrolFirstSupervisor(input: Omit<NewOperator, 'role'>): Promise<OperatorRow> {
    const pinHash = await hashPin(input.pin);
    // Checked again inside the transaction: two benches' windows could both have shown the first-run screen.
    return this.db.transaction(() => {
      if (countOperators(this.db) > 0) {
        throw new StationError('CONFLICT', 'error.setupDone', 'This station already has operators: sign in instead.');
      }
      return this.insert({ ...input, role: 'supervisor' }, pinHash, null);
    })();
  }

  list(): OperatorSummary[] {
    const now = this.now();
    return listOperators(this.db).map((r) => summary(r, now));
  }

  async enrol(by: string, input: NewOperator): Promise<OperatorSummary> {
    const pinHash = await hashPin(input.pin);
    const row = this.db.transaction(() => this.insert(input, pinHash, by))();
    return summary(row, this.now());
  }

  setDisabled(by: string, operatorId: string, disabled: boolean): OperatorSummary {
    // A supervisor who disabled themselves could leave the bench with nobody able to manage it.
    if (disabled && operatorId === by) throw new StationError('CONFLICT', 'error.cannotDisableSelf', 'You cannot disable your own badge.');
    return this.db.transaction(() => {
      const before = findOperatorById(this.db, operatorId);
      if (!before) throw notFound();
      const wasDisabled = before.disabledAt !== null;
      if (wasDisabled !== disabled) {
        setOperatorDisabled(this.db, operatorId, disabled ? this.now().toISOString() : null);
        appendAudit(this.db, {
          operatorId: by,
          action: disabled ? 'operators.disabled' : 'operators.enabled',
          entity: `operator:${operatorId}`,
          before: { disabled: wasDisabled },
          after: { disabled },
        });
      }
      return summary(findOperatorById(this.db, operatorId)!, this.now());
    })();
  }

  async resetPin(by: string, operatorId: string, pin: string): Promise<OperatorSummary> {
    const pinHash = await hashPin(pin);
    return this.db.transaction(() => {
      if (!findOperatorById(this.db, operatorId)) throw notFound();
      resetOperatorPin(this.db, operatorId, pinHash);
      // The audit says that the PIN changed, never what it is.
      appendAudit(this.db, { operatorId: by, action: 'operators.pinReset', entity: `operator:${operatorId}` });
      return summary(findOperatorById(this.db, operatorId)!, this.now());
    })();
  }

  private insert(input: NewOperator, pinHash: string, by: string | null): OperatorRow {
    if (findOperatorByBadge(this.db, input.badge)) {
      throw new StationError('CONFLICT', 'error.badgeTaken', 'Another operator already has this badge.', { badge: input.badge });
    }
    const id = `op-${randomUUID()}`;
    upsertOperator(this.db, { id, badge: input.badge, name: input.name, role: input.role, pinHash });
    appendAudit(this.db, {
      operatorId: by ?? id,
      action: by ? 'operators.enrolled' : 'setup.firstSupervisor',
      entity: `operator:${id}`,
      after: { badge: input.badge, name: input.name, role: input.role },
    });
    return findOperatorById(this.db, id)!;
  }
}

const by = (op: { id: string } | null): string => {
  if (!op) throw new StationError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.');
  return op.id;
};

/** setup.*: the first start of a production bench, which enrols its first supervisor and signs them in. */
export function setupHandlers(operators: OperatorService, sessions: SessionService): HandlersFor<CallsOf<typeof setupCalls>> {
  return {
    'setup.status': () => ({ needsFirstSupervisor: operators.needsFirstSupervisor() }),
    'setup.enrolSupervisor': async (ctx, input): Promise<OperatorView> => {
      const row = await operators.enrolFirstSupervisor(input);
      // Straight in: they just typed the PIN twice.
      return sessions.signIn(ctx.sessionKey, row.badge, input.pin);
    },
  };
}

/** The dispatcher has already checked the role (operators.* are supervisor-only) before any of these runs. */
export function operatorHandlers(operators: OperatorService): HandlersFor<CallsOf<typeof operatorCalls>> {
  return {
    'operators.list': () => ({ operators: operators.list() }),
    'operators.enrol': (ctx, input) => operators.enrol(by(ctx.operator), input),
    'operators.setDisabled': (ctx, input) => operators.setDisabled(by(ctx.operator), input.operatorId, input.disabled),
    'operators.resetPin': (ctx, input) => operators.resetPin(by(ctx.operator), input.operatorId, input.pin),
  };
}
