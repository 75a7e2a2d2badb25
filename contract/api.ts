import { z } from 'zod';

import { intakeCalls } from './calls/intake.js';
import { reportCalls } from './calls/reports.js';
import { sessionCalls } from './calls/session.js';
import { syncCalls } from './calls/sync.js';
import { deviceCalls } from './calls/devices.js';
import { parcelCalls } from './calls/parcels.js';
import { gradingCalls } from './calls/grading.js';
import { ruleCalls } from './calls/rules.js';
import { containerCalls } from './calls/containers.js';
import { reviewCalls } from './calls/review.js';
import { deadLetterCalls } from './calls/deadLetters.js';
import { operatorCalls } from './calls/operators.js';
import { setupCalls } from './calls/setup.js';
import { toteCalls } from './calls/tote.js';
import { siteCalls } from './calls/site.js';

export { ScannedCode, type Access, type CallSpec } from './calls/define.js';

/** Every call of the station, one module per area (calls/*.ts); the keys are the wire names. */
export const api = {
  ...sessionCalls,
  ...intakeCalls,
  ...syncCalls,
  ...reportCalls,
  ...deviceCalls,
  ...parcelCalls,
  ...gradingCalls,
  ...ruleCalls,
  ...containerCalls,
  ...reviewCalls,
  ...deadLetterCalls,
  ...setupCalls,
  ...operatorCalls,
  ...toteCalls,
  ...siteCalls,
} as const;

export type Api = typeof api;
export type CallName = keyof Api;
export type CallInput<C extends CallName> = z.input<Api[C]['input']>;
export type CallOutput<C extends CallName> = z.output<Api[C]['output']>;
export const callNames = Object.keys(api) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

export const ErrorCode = z.enum([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'LOCKED',
  'DEVICE',
  /** The disk holding the station's data is full. */
  'DISK_FULL',
  /** The station's database (or data folder) cannot be written: read-only file or folder, or a failing disk. */
  'READ_ONLY',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Errors carry an i18n key plus parameters so the renderer says them in the operator's language. */
export const ApiError = z.object({
  code: ErrorCode,
  messageKey: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  message: z.string(),
});
export type ApiError = z.infer<typeof ApiError>;

export const ApiResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError }),
]);
export type ApiResponse = z.infer<typeof ApiResponse>;
