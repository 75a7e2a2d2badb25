import { randomUUID } from 'node:crypto';
import type { AggregateType, WmsEventBody } from '../../core/contract/index.js';
import type { Db } from '../connection.js';

export interface AppendedEvent {
  id: number;
  idempotencyKey: string;
  sequence: number;
}

/**
 * Appends an event for the WMS. Call it inside the transaction that makes the state change,
 * so both commit or neither does.
 */
export function appendEvent(
  db: Db,
  aggregateType: AggregateType,
  aggregateId: string,
  body: WmsEventBody,
  occurredAt: string = new Date().toISOString(),
): AppendedEvent {
  const { next } = db
    .prepare('SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM outbox WHERE aggregate_type = ? AND aggregate_id = ?')
    .get(aggregateType, aggregateId) as { next: number };
  const idempotencyKey = randomUUID();
  const info = db
    .prepare(
      `INSERT INTO outbox (idempotency_key, aggregate_type, aggregate_id, sequence, type, payload, occurred_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(idempotencyKey, aggregateType, aggregateId, next, body.type, JSON.stringify(body.payload), occurredAt);
  return { id: Number(info.lastInsertRowid), idempotencyKey, sequence: next };
}
