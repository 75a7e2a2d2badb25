import { z } from 'zod';
import { ApiError, ExportFormat, RecoveryFactors, ReportClock, ReportFilters } from '../../../contract/index.js';

/** What the station hands an export worker; checked on the worker's side of the thread boundary. */
export const ExportWorkerData = z.object({
  dbFile: z.string().min(1),
  nativeBinding: z.string().optional(),
  /** Int32Array[0] != 0: stop at the next row. Shared memory, so it is seen even while the worker's loop is busy. */
  cancelFlag: z.instanceof(SharedArrayBuffer),
  spec: z.object({
    format: ExportFormat,
    filters: ReportFilters,
    language: z.enum(['ja', 'en']),
    target: z.object({ folder: z.string(), path: z.string(), fileName: z.string() }),
    temp: z.string(),
    clock: ReportClock,
    factors: RecoveryFactors,
    now: z.string(),
  }),
});
export type ExportWorkerData = z.input<typeof ExportWorkerData>;

const Count = z.number().int().nonnegative();

/** What an export worker posts back; checked on the station's side. */
export const ExportWorkerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), rows: Count, total: Count }),
  z.object({ type: z.literal('done'), result: z.object({ rows: Count, bytes: Count, totals: z.object({ items: Count, recoveryJpy: z.number() }) }) }),
  z.object({ type: z.literal('cancelled') }),
  z.object({ type: z.literal('error'), error: ApiError.nullable(), message: z.string() }),
]);
export type ExportWorkerMessage = z.infer<typeof ExportWorkerMessage>;
