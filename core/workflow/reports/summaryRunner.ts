import {
  DashboardShift,
  ReportSummary,
  type RecoveryFactors,
  type ReportClock,
  type ReportFilters,
} from '../../../contract/index.js';
import { StationError } from '../errors.js';
import { startLongLivedWorker } from '../../longLivedWorker.js';
import { workerEntry, type WorkerEntry } from '../../workerEntry.js';
import { SummaryReply, type SummaryRequest, type SummaryWorkerData } from './summaryMessages.js';

/** Where the summary worker's code is (workerEntry.ts). */
export function summaryWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  return workerEntry('summaryWorker', moduleUrl);
}

export interface ReportSettings {
  clock: ReportClock;
  factors: RecoveryFactors;
  now: Date;
}

/** The report summaries and the shift dashboard, computed in one long-lived worker thread. */
export interface SummaryWorker {
  summary(filters: ReportFilters, settings: ReportSettings): Promise<ReportSummary>;
  dashboard(settings: ReportSettings): Promise<DashboardShift>;
  /** Stops the worker; requests still open are refused. */
  close(): Promise<void>;
}

/** A request without its id, for each kind (Omit over the union would lose the kinds' own fields). */
type RequestBody = SummaryRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/**
 * Starts the worker at the first request and keeps it for the next ones (its connection and its page
 * cache stay warm). A worker that dies refuses its open requests, and the next request starts a new one.
 */
export function startSummaryWorker(options: { dbFile: string; nativeBinding?: string; entry?: WorkerEntry }): SummaryWorker {
  const data: SummaryWorkerData = { dbFile: options.dbFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
  const worker = startLongLivedWorker({ name: 'the summary worker', entry: () => options.entry ?? summaryWorkerEntry(), workerData: data, reply: SummaryReply });

  const request = async (body: RequestBody): Promise<unknown> => {
    const reply = await worker.request(body);
    if (reply.ok) return reply.value;
    throw reply.error ? new StationError(reply.error.code, reply.error.messageKey, reply.error.message, reply.error.params) : new Error(reply.message);
  };

  const settings = (s: ReportSettings) => ({ clock: s.clock, factors: s.factors, now: s.now.toISOString() });

  return {
    async summary(filters, s) {
      return ReportSummary.parse(await request({ kind: 'summary', filters, ...settings(s) }));
    },
    async dashboard(s) {
      return DashboardShift.parse(await request({ kind: 'dashboard', ...settings(s) }));
    },
    close: () => worker.close(),
  };
}
