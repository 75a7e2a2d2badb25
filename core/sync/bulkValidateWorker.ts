// Worker-thread entry of a first pull's page validator (bulkLoad.ts starts it beside the bulk-load worker): the
// bulk-load worker stages each RMA page straight from its bytes with SQLite's JSON functions, and this thread
// checks the same bytes against the contract (JSON.parse, zod) meanwhile, on the other core. The load is
// finished only once every page has passed here.
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../threadPriority.js';
import { PageCheckReply, PageCheckRequest } from './bulkLoadMessages.js';
import { checkPage, Malformed } from './pageCheck.js';
import { unreadableRequestId } from '../workerEntry.js';

const port = parentPort;
if (!port) throw new Error('bulkValidateWorker.ts runs only as a worker thread');
lowerThisThreadsPriority();

port.on('message', (raw: unknown) => {
  const parsed = PageCheckRequest.safeParse(raw);
  if (!parsed.success) {
    const id = unreadableRequestId(raw);
    port.postMessage({ id, ok: false, malformed: false, message: `unreadable request: ${parsed.error.message}` } satisfies PageCheckReply);
    return;
  }
  const r = parsed.data;
  try {
    const { rows } = checkPage('rmas', r.bytes, r.where);
    port.postMessage({ id: r.id, ok: true, rows: rows.length } satisfies PageCheckReply);
  } catch (err) {
    port.postMessage({ id: r.id, ok: false, malformed: err instanceof Malformed, message: err instanceof Error ? err.message : String(err) } satisfies PageCheckReply);
  }
});
