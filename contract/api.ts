import { z } from 'zod';

import { benchCalls } from './calls/benches.js';
import { containerCalls } from './calls/container.js';
import { dashboardCalls } from './calls/dashboard.js';
import { deviceCalls } from './calls/devices.js';
import { gradingCalls } from './calls/grading.js';
import { itemCalls } from './calls/item.js';
import { operatorCalls } from './calls/operators.js';
import { parcelCalls } from './calls/parcel.js';
import { photoCalls } from './calls/photo.js';
import { printerCalls } from './calls/printer.js';
import { reportCalls } from './calls/reports.js';
import { reviewCalls } from './calls/review.js';
import { ruleCalls } from './calls/rules.js';
import { sessionCalls } from './calls/session.js';
import { setupCalls } from './calls/setup.js';
import { toteCalls } from './calls/tote.js';
import { syncCalls } from './calls/sync.js';
import { systemCalls } from './calls/system.js';

export { ScannedCode, type Access, type CallSpec } from './calls/define.js';

/** Every call of the station; `calls/<prefix>.ts` holds exactly the calls named `<prefix>.*` (the wire names). */
export const api = {
  ...systemCalls,
  ...sessionCalls,
  ...parcelCalls,
  ...itemCalls,
  ...syncCalls,
  ...reportCalls,
  ...dashboardCalls,
  ...deviceCalls,
  ...printerCalls,
  ...gradingCalls,
  ...photoCalls,
  ...ruleCalls,
  ...containerCalls,
  ...reviewCalls,
  ...setupCalls,
  ...operatorCalls,
  ...toteCalls,
  ...benchCalls,
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

/**
 * An expected refusal the user should read, in the ApiError shape: an error code and an i18n key, so every
 * screen says it in the operator's language. The bench's StationError and the hub's SiteError are these.
 */
export class KeyedError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: string,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }

  toApiError(): ApiError {
    return { code: this.code, messageKey: this.messageKey, params: this.params, message: this.message };
  }
}

export const ApiResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError }),
]);
export type ApiResponse = z.infer<typeof ApiResponse>;
