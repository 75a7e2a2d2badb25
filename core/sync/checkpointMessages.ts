import { z } from 'zod';
import type { CheckpointReport } from '../../db/checkpoint.js';

/** What the station hands the checkpoint worker when it starts it; checked on the worker's side. */
export const CheckpointWorkerData = z.object({
  dbFile: z.string().min(1),
  nativeBinding: z.string().optional(),
});
export type CheckpointWorkerData = z.input<typeof CheckpointWorkerData>;

/** One checkpoint; checked on the worker's side. The worker never truncates the WAL (checkpointWorker.ts). */
export const CheckpointRequest = z.object({
  id: z.number().int(),
  idle: z.boolean(),
});
export type CheckpointRequest = z.input<typeof CheckpointRequest>;

/** db/checkpoint.ts's CheckpointReport, as it crosses from the worker (the annotation keeps the two alike). */
export const CheckpointReportShape: z.ZodType<CheckpointReport> = z.object({
  mode: z.enum(['PASSIVE', 'TRUNCATE']),
  walFrames: z.number().int().nonnegative(),
  checkpointed: z.number().int().nonnegative(),
  busy: z.boolean(),
});

/** The worker's answer; checked on the station's side. */
export const CheckpointReply = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), report: CheckpointReportShape }),
  z.object({ id: z.number().int(), ok: z.literal(false), message: z.string() }),
]);
export type CheckpointReply = z.infer<typeof CheckpointReply>;
