import { z } from 'zod';
import { OperatorView } from '../entities.js';
import { call, Empty } from './define.js';
import { NewOperatorFields, withRepeatedPin } from './operators.js';

/**
 * First start of a production bench: no operator exists yet, so nobody could sign in. These two calls are
 * public, and the enrolment is refused as soon as any operator exists.
 */
export const setupCalls = {
  'setup.status': call({ access: 'public', input: Empty, output: z.object({ needsFirstSupervisor: z.boolean() }) }),
  'setup.enrolSupervisor': call({
    access: 'public',
    input: withRepeatedPin(NewOperatorFields.omit({ role: true })),
    output: OperatorView,
  }),
} as const;
