import { z } from 'zod';
import { normalizeBadge } from '../badge.js';
import { Role } from '../entities.js';
import { call, Empty, SUPERVISORS } from './define.js';

export const OperatorPin = z.string().regex(/^\d{4,8}$/, 'PIN is 4–8 digits');
/** Stored as normalizeBadge gives it, so `op-1001` and `ＯＰ－１００１` enrol, and later sign in, as OP-1001. */
export const OperatorBadge = z
  .string()
  .overwrite(normalizeBadge)
  .min(1, 'empty badge')
  .max(32, 'badge too long')
  .regex(/^[\x21-\x7e]+$/, 'badge: letters, digits and symbols, no spaces');

export const NewOperatorFields = z
  .object({
    badge: OperatorBadge,
    name: z.string().trim().min(1, 'empty name').max(60, 'name too long'),
    role: Role,
    pin: OperatorPin,
    pinRepeat: z.string().max(8),
  })
  .strict();

/** The PIN is typed twice on the bench; a mismatch is an input error on `pinRepeat`. */
export function withRepeatedPin<T extends z.ZodType<{ pin: string; pinRepeat: string }>>(schema: T) {
  return schema.refine((v) => v.pin === v.pinRepeat, { message: 'the two PINs differ', path: ['pinRepeat'] });
}

export const OperatorSummary = z.object({
  id: z.string(),
  badge: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  locked: z.boolean(),
});
export type OperatorSummary = z.infer<typeof OperatorSummary>;

const OperatorId = z.string().min(1).max(64);

/** A supervisor manages who may use the bench; each change is audited. */
export const operatorCalls = {
  'operators.list': call({
    access: SUPERVISORS,
    input: Empty,
    // managedAtHub: a bench of a site follows the hub's roster, so the list is read-only there.
    output: z.object({ operators: z.array(OperatorSummary), managedAtHub: z.boolean().optional() }),
  }),
  'operators.enrol': call({ access: SUPERVISORS, input: withRepeatedPin(NewOperatorFields), output: OperatorSummary }),
  'operators.setDisabled': call({
    access: SUPERVISORS,
    input: z.object({ operatorId: OperatorId, disabled: z.boolean() }).strict(),
    output: OperatorSummary,
  }),
  'operators.resetPin': call({
    access: SUPERVISORS,
    input: withRepeatedPin(z.object({ operatorId: OperatorId, pin: OperatorPin, pinRepeat: z.string().max(8) }).strict()),
    output: OperatorSummary,
  }),
} as const;
