import type { DeadLetterView, SyncStatus } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { getOutboxRow, listDeadLetters, retryDeadLetter, skipDeadLetter, type OutboxRow } from '../../db/repositories/outbox.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { StationError } from './errors.js';
import type { SignedInOperator } from './session.js';
import type { syncCalls } from '../../contract/calls/sync.js';
import { signedIn as op, type CallsOf, type HandlersFor } from './dispatch.js';

export interface DeadLetterServiceDeps {
  db: Db;
  onOutboxAppended: () => void;
  now?: () => Date;
}

function view(r: OutboxRow): DeadLetterView {
  let payload: unknown;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    payload = r.payload;
  }
  return {
    id: r.id,
    type: r.type,
    aggregateType: r.aggregateType,
    aggregateId: r.aggregateId,
    sequence: r.sequence,
    attempts: r.attempts,
    lastError: r.lastError,
    occurredAt: r.occurredAt,
    deadAt: r.deadAt,
    payload,
  };
}

/** Events the WMS refused for good: a lead retries them (after fixing the cause) or skips them with a reason. */
export class DeadLetterService {
  private readonly now: () => Date;

  constructor(private readonly deps: DeadLetterServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  list(): DeadLetterView[] {
    return listDeadLetters(this.deps.db).map(view);
  }

  retry(op: SignedInOperator, id: number): { retried: boolean } {
    const { db } = this.deps;
    const at = this.now().toISOString();
    db.transaction(() => {
      const row = getOutboxRow(db, id);
      if (!row || !retryDeadLetter(db, id)) throw new StationError('NOT_FOUND', 'error.noDeadLetter', 'That event is not waiting as a dead letter.', { id });
      appendAudit(db, { operatorId: op.id, action: 'sync.deadLetterRetried', entity: `outbox:${id}`, before: { status: 'dead', lastError: row.lastError }, after: { status: 'pending' }, at });
    })();
    this.deps.onOutboxAppended();
    return { retried: true };
  }

  skip(op: SignedInOperator, id: number, reason: string): { skipped: boolean } {
    const { db } = this.deps;
    const at = this.now().toISOString();
    db.transaction(() => {
      const row = getOutboxRow(db, id);
      if (!row || !skipDeadLetter(db, id, reason, at)) throw new StationError('NOT_FOUND', 'error.noDeadLetter', 'That event is not waiting as a dead letter.', { id });
      appendAudit(db, { operatorId: op.id, action: 'sync.deadLetterSkipped', entity: `outbox:${id}`, before: { status: 'dead', lastError: row.lastError }, after: { skipped: true, reason }, at });
    })();
    // Later events of the same aggregate were waiting behind this one.
    this.deps.onOutboxAppended();
    return { skipped: true };
  }
}

/** The sync engine as the sync.* calls see it (core/sync/syncEngine.ts; core/workflow does not import core/sync). */
export interface SyncControl {
  status(): SyncStatus;
  flushNow(): Promise<SyncStatus>;
}

/** sync.*: the delivery status, a push now, and the dead letters leads retry or skip. */
export function syncHandlers(s: { engine: SyncControl; deadLetters: DeadLetterService }): HandlersFor<CallsOf<typeof syncCalls>> {
  return {
    'sync.status': () => s.engine.status(),
    'sync.flush': () => s.engine.flushNow(),
    'sync.deadLetters': () => s.deadLetters.list(),
    'sync.retryDeadLetter': (ctx, i) => s.deadLetters.retry(op(ctx), i.id),
    'sync.skipDeadLetter': (ctx, i) => s.deadLetters.skip(op(ctx), i.id, i.reason),
  };
}
