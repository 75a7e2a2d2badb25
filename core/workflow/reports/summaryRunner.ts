import { Worker } from 'node:worker_threads';
import {
  DashboardShift,
  ReportSummary,
  type RecoveryFactors,
  type ReportClock,
  type ReportFilters,
} from '../../../contract/index.js';
import { StationError } from '../errors.js';
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

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/**
 * Starts the worker at the first request and keeps it for the next ones (its connection and its page
 * cache stay warm). A worker that dies refuses its open requests, and the next request starts a new one.
 */
export function startSummaryWorker(options: { dbFile: string; nativeBinding?: string; entry?: WorkerEntry }): SummaryWorker {
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const data: SummaryWorkerData = { dbFile: options.dbFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
    const entry = options.entry ?? summaryWorkerEntry();
    const w = new Worker(entry.source, { workerData: data, eval: entry.eval });
    // An idle worker must not keep the station's process alive; one with requests open does (ref below).
    w.unref();
    w.on('message', (raw: unknown) => {
      const parsed = SummaryReply.safeParse(raw);
      if (!parsed.success) return failAll(new Error(`summary worker sent an unreadable message: ${parsed.error.message}`));
      const reply = parsed.data;
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reply.error ? new StationError(reply.error.code, reply.error.messageKey, reply.error.message, reply.error.params) : new Error(reply.message));
    });
    const gone = (err: Error): void => {
      if (worker === w) worker = null;
      failAll(err);
    };
    w.on('error', (err) => gone(err));
    w.on('exit', (code) => gone(new Error(`summary worker stopped (exit code ${code})`)));
    worker = w;
    return w;
  };

  const request = (body: RequestBody): Promise<unknown> => {
    if (closed) return Promise.reject(new Error('the summary worker is closed'));
    const w = ensure();
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...body, id });
    });
  };

  const settings = (s: ReportSettings) => ({ clock: s.clock, factors: s.factors, now: s.now.toISOString() });

  return {
    async summary(filters, s) {
      return ReportSummary.parse(await request({ kind: 'summary', filters, ...settings(s) }));
    },
    async dashboard(s) {
      return DashboardShift.parse(await request({ kind: 'dashboard', ...settings(s) }));
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new Error('the summary worker is closed'));
      if (w) await w.terminate();
    },
  };
}
