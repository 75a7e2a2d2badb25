import { z } from 'zod';
import { BadgeRef } from '../badge.js';
import { OperatorView } from '../entities.js';
import { call, Empty } from './define.js';

export const sessionCalls = {
  'session.signIn': call({
    access: 'public',
    input: z.object({ badge: BadgeRef, pin: z.string().regex(/^\d{4,8}$/, 'PIN is 4–8 digits') }).strict(),
    output: OperatorView,
  }),
  'session.current': call({ access: 'public', background: true, input: Empty, output: OperatorView.nullable() }),
  'session.signOut': call({ access: 'public', input: Empty, output: z.object({ signedOut: z.boolean() }) }),
} as const;
