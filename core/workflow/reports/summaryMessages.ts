import { z } from 'zod';
import { ApiError, RecoveryFactors, ReportClock, ReportFilters } from '../../../contract/index.js';

/** What the station hands the summary worker when it starts it; checked on the worker's side. */
export const SummaryWorkerData = z.object({
  dbFile: z.string().min(1),
  nativeBinding: z.string().optional(),
});
export type SummaryWorkerData = z.input<typeof SummaryWorkerData>;

const Settings = { clock: ReportClock, factors: RecoveryFactors, now: z.string() };

/** One request to the summary worker; checked on the worker's side. */
export const SummaryRequest = z.discriminatedUnion('kind', [
  z.object({ id: z.number().int(), kind: z.literal('summary'), filters: ReportFilters, ...Settings }),
  z.object({ id: z.number().int(), kind: z.literal('dashboard'), ...Settings }),
]);
export type SummaryRequest = z.input<typeof SummaryRequest>;

/**
 * The worker's answer. The value is checked against the call's contract (ReportSummary, DashboardShift)
 * on the station's side, by the runner.
 */
export const SummaryReply = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: ApiError.nullable(), message: z.string() }),
]);
export type SummaryReply = z.infer<typeof SummaryReply>;
