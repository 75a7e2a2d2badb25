import { z } from 'zod';

/** What the station hands its WAL sync worker when it starts it; checked on the worker's side. */
export const WalSyncWorkerData = z.object({ walFile: z.string().min(1) });
export type WalSyncWorkerData = z.input<typeof WalSyncWorkerData>;

/** One sync of the WAL; checked on the worker's side. */
export const WalSyncRequest = z.object({ id: z.number().int() });

/** The worker's answer; checked on the station's side. A refusal is the fsync's own error. */
export const WalSyncReply = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true) }),
  z.object({ id: z.number().int(), ok: z.literal(false), message: z.string(), code: z.string().optional() }),
]);
export type WalSyncReply = z.infer<typeof WalSyncReply>;
