import { z } from 'zod';
import {
  GradedItem,
  Grade,
  ItemMatch,
  OperatorView,
  ParcelView,
  Role,
  StationInfo,
  SyncStatus,
} from './entities.js';

/** Who may make a call: 'public' runs before sign-in, otherwise the signed-in operator needs one of the roles. */
export type Access = 'public' | readonly Role[];

interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly access: Access;
  readonly input: I;
  readonly output: O;
}

function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

const ANY_OPERATOR = ['staff', 'lead', 'supervisor'] as const;

/** A scanned or typed code: printable text plus the GS separator (ASCII 29) that GS1 barcodes carry. */
export const ScannedCode = z
  .string()
  .min(1, 'empty scan')
  .max(512, 'scan too long')
  .regex(/^[\x1d\x20-\x7e\u00a0-\uffff]+$/u, 'scan contains control characters');

const Empty = z.object({}).strict();

export const api = {
  'system.info': call({ access: 'public', input: Empty, output: StationInfo }),
  'session.signIn': call({
    access: 'public',
    input: z.object({ badge: ScannedCode, pin: z.string().regex(/^\d{4,8}$/, 'PIN is 4–8 digits') }).strict(),
    output: OperatorView,
  }),
  'session.current': call({ access: 'public', input: Empty, output: OperatorView.nullable() }),
  'session.signOut': call({ access: 'public', input: Empty, output: z.object({ signedOut: z.boolean() }) }),
  'parcel.open': call({ access: ANY_OPERATOR, input: z.object({ code: ScannedCode }).strict(), output: ParcelView }),
  'parcel.matchItem': call({
    access: ANY_OPERATOR,
    input: z.object({ parcelId: z.string().uuid(), code: ScannedCode }).strict(),
    output: ItemMatch,
  }),
  'item.grade': call({
    access: ANY_OPERATOR,
    input: z.object({ parcelId: z.string().uuid(), lineId: z.string().min(1).max(64), grade: Grade }).strict(),
    output: GradedItem,
  }),
  'sync.status': call({ access: ANY_OPERATOR, input: Empty, output: SyncStatus }),
  'sync.flush': call({ access: ANY_OPERATOR, input: Empty, output: SyncStatus }),
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
