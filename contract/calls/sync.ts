import { z } from 'zod';
import { DeadLetterView, SyncStatus } from '../entities.js';
import { ANY_OPERATOR, call, Empty, LEADS } from './define.js';

const Id = z.number().int().positive();

export const syncCalls = {
  'sync.status': call({ access: ANY_OPERATOR, background: true, input: Empty, output: SyncStatus }),
  'sync.flush': call({ access: ANY_OPERATOR, input: Empty, output: SyncStatus }),
  // Events the WMS refused for good, for leads to retry or skip (with a reason, audited).
  'sync.deadLetters': call({ access: LEADS, input: Empty, output: z.array(DeadLetterView) }),
  'sync.retryDeadLetter': call({ access: LEADS, input: z.object({ id: Id }).strict(), output: z.object({ retried: z.boolean() }) }),
  'sync.skipDeadLetter': call({
    access: LEADS,
    input: z.object({ id: Id, reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500) }).strict(),
    output: z.object({ skipped: z.boolean() }),
  }),
} as const;
