import { z } from 'zod';
import type { Role } from '../entities.js';

/** Who may make a call: 'public' runs before sign-in, otherwise the signed-in operator needs one of the roles. */
export type Access = 'public' | readonly Role[];

export interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly access: Access;
  readonly input: I;
  readonly output: O;
  /**
   * A call the renderer makes on its own (start-up, timers, polling): it answers for the signed-in operator but
   * does not count as their activity, so an open window left alone still signs out after the idle time.
   */
  readonly background?: true;
}

export function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

export const ANY_OPERATOR = ['staff', 'lead', 'supervisor'] as const;
export const LEADS = ['lead', 'supervisor'] as const;
export const SUPERVISORS = ['supervisor'] as const;

/** A scanned or typed code: printable text plus the GS separator (ASCII 29) that GS1 barcodes carry. */
export const ScannedCode = z
  .string()
  .min(1, 'empty scan')
  .max(512, 'scan too long')
  .regex(/^[\x1d\x20-\x7e\u00a0-\uffff]+$/u, 'scan contains control characters');

export const Empty = z.object({}).strict();
