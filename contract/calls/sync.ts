import { SyncStatus } from '../entities.js';
import { ANY_OPERATOR, call, Empty } from './define.js';

export const syncCalls = {
  'sync.status': call({ access: ANY_OPERATOR, background: true, input: Empty, output: SyncStatus }),
  'sync.flush': call({ access: ANY_OPERATOR, input: Empty, output: SyncStatus }),
} as const;
