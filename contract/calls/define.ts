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
  /**
   * The dispatcher answers without waiting for the call's changes to reach the disk (db/durableCommits.ts).
   * Only for calls whose record moves the operator's screen on and nothing else (a parcel opened, an item
   * matched), or that wait for the disk themselves before anything leaves the bench (item.grade: its label
   * prints only once the grade is synced, core/station.ts; what it notes after the print need not hold the
   * operator). What they wrote survives a crash of the app (it is in SQLite's WAL); only a power cut can take
   * it, and that takes the screen that showed it too, so the operator scans again. Labels, events sent to the
   * WMS and files still wait for the disk. On a busy bench each sync waited behind the other jobs' writes:
   * scan → match p99 30 -> 6 ms with the drain alone at 200k RMAs (perf/busy.ts, 2026-12-07).
   */
  readonly answersBeforeSync?: true;
}

/** A lone UTF-16 surrogate: JavaScript strings may hold one, UTF-8 (SQLite, the WMS, files) cannot. */
const LONE_SURROGATE = /\p{Surrogate}/u;

export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);

/** Every string anywhere in a call's input must be well-formed Unicode; the first bad one is reported by its path. */
function refuseIllFormedText(value: unknown, ctx: z.RefinementCtx, path: PropertyKey[] = []): void {
  if (typeof value === 'string') {
    if (!isWellFormedText(value)) ctx.addIssue({ code: 'custom', path, message: 'text is not well-formed Unicode (lone surrogate)' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseIllFormedText(v, ctx, [...path, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) refuseIllFormedText(v, ctx, [...path, k]);
  }
}

/**
 * A call of the contract. Its input also refuses ill-formed Unicode in every string (free text, names, notes,
 * codes): stored as-is it became invalid UTF-8 in SQLite and in what the station sends to the WMS.
 */
export function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return { ...spec, input: spec.input.superRefine((value, ctx) => refuseIllFormedText(value, ctx)) };
}

export const ANY_OPERATOR = ['staff', 'lead', 'supervisor'] as const;
export const LEADS = ['lead', 'supervisor'] as const;
export const SUPERVISORS = ['supervisor'] as const;

/** A scanned or typed code: printable text plus the GS separator (ASCII 29) that GS1 barcodes carry. */
export const ScannedCode = z
  .string()
  .min(1, 'empty scan')
  .max(512, 'scan too long')
  .regex(/^[\x1d\x20-\x7e\u00a0-\uffff]+$/u, 'scan contains control characters')
  .refine(isWellFormedText, 'scan is not well-formed Unicode (lone surrogate)');

export const Empty = z.object({}).strict();
