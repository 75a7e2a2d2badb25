// Worker-thread entry of the report summaries and the shift dashboard (summaryRunner.ts starts it once and
// keeps it): their aggregate queries run here on a read-only connection of this thread's own, so a summary
// over a month of items never holds the station's event loop while an operator scans.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../db/connection.js';
import { readonlyView } from '../../../db/readonly.js';
import { StationError, storageError } from '../errors.js';
import { computeDashboard } from './dashboard.js';
import { SummaryRequest, SummaryWorkerData, type SummaryReply } from './summaryMessages.js';
import { computeSummary } from './summary.js';
import { unreadableRequestId } from '../../workerEntry.js';

const port = parentPort;
if (!port) throw new Error('summaryWorker.ts runs only as a worker thread');
const data = SummaryWorkerData.parse(workerData);
const connection = openDatabase(data.dbFile, { readonly: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
const reads = readonlyView(connection);

port.on('message', (raw: unknown) => {
  const parsed = SummaryRequest.safeParse(raw);
  if (!parsed.success) {
    const id = unreadableRequestId(raw);
    port.postMessage({ id, ok: false, error: null, message: `unreadable request: ${parsed.error.message}` } satisfies SummaryReply);
    return;
  }
  const r = parsed.data;
  let reply: SummaryReply;
  try {
    const now = new Date(r.now);
    const value = r.kind === 'summary' ? computeSummary(reads, r.filters, r.clock, r.factors, now) : computeDashboard(reads, r.clock, r.factors, now);
    reply = { id: r.id, ok: true, value };
  } catch (err) {
    const known = err instanceof StationError ? err : storageError(err);
    reply = { id: r.id, ok: false, error: known ? known.toApiError() : null, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

port.on('close', () => connection.close());
