// Worker-thread entry of the bulk load (bulkLoad.ts starts it for one load and ends it after): a station's
// first reference data (a site hub's snapshot, or a first pull from the WMS) is parsed, checked against the
// contract and written here, on a connection of this thread's own, so the station's event loop only moves
// the downloaded text along while an operator scans. A first pull's RMA pages are staged here unchecked, by
// SQLite from their bytes (bulkLoad.ts has validator threads check them, and a second worker of this kind, with
// `part: 'lines'`, stage their lines).
import { TextDecoder } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../threadPriority.js';
import type { z } from 'zod';
import { PullCursor, SnapshotTrailer, type Product, type Rma } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { attachStagingFile, beginBulkLoad, copyStagedRmas, finishBulkLoad, insertRmasBulk, pageHead, pageJsonb, stageRmaPage, stagingFileOf } from '../../db/repositories/bulkReference.js';
import { restoreDeferredIndexes } from '../../db/repositories/deferredIndexes.js';
import { upsertProducts } from '../../db/repositories/referenceData.js';
import { getCursor, setCursor } from '../../db/repositories/syncCursors.js';
import { makeBulkLoadDurable, tuneForBulkLoad } from '../../db/tuning.js';
import { BulkRequest, BulkWorkerData, type BulkReply } from './bulkLoadMessages.js';
import { checkPage, checkRow, Malformed, type Resource } from './pageCheck.js';
import { unreadableRequestId } from '../workerEntry.js';

const port = parentPort;
if (!port) throw new Error('bulkLoadWorker.ts runs only as a worker thread');
lowerThisThreadsPriority();
const data = BulkWorkerData.parse(workerData);
const part = data.part ?? 'rmas';
// The station's thread opened (and migrated) the database before it started this worker.
const db = openDatabase(data.dbFile, { migrate: false, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
tuneForBulkLoad(db);
// Beside the station's database, one per loading worker; synced as it grows (bulkReference.ts attachStagingFile).
const staging = attachStagingFile(db, stagingFileOf(data.dbFile, part));

/** One staging transaction; the staging file is synced after it once it grew enough. */
function staged(work: () => void): void {
  db.transaction(work)();
  staging.pace();
}

/** Rows per transaction when the staged rows move into the station's tables: each holds the write lock briefly. */
const COPY_CHUNK_ROWS = 10_000;

function write(resource: Resource, rows: (Product | Rma)[], cursor: PullCursor | null): void {
  staged(() => {
    if (resource === 'products') {
      upsertProducts(db, rows as Product[]);
      // The products' cursor goes with their rows: a load cut short in the RMAs keeps them.
      if (cursor) setCursor(db, 'products', cursor);
    } else {
      insertRmasBulk(db, rows as Rma[]);
    }
  });
}

/** Checks snapshot lines against the contract; a line with `end` is the trailer, and nothing after it is read. */
function checkLines(resource: Resource, lines: string[], firstRow: number): { rows: (Product | Rma)[]; trailer?: SnapshotTrailer } {
  const rows: (Product | Rma)[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const where = `the ${resource} snapshot's row ${firstRow + i}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Malformed(`${where} is not JSON; nothing of its batch was written`);
    }
    // Only a line with `end` can be the trailer: a failed parse per row (a million of them) is not free.
    const end = typeof value === 'object' && value !== null && 'end' in value ? SnapshotTrailer.safeParse(value) : null;
    if (end?.success) return { rows, trailer: end.data };
    rows.push(checkRow(resource, value, where));
  }
  return { rows };
}

/** Writes checked snapshot rows; the products' trailer brings their cursor (unless a pull set one meanwhile). */
function stage(resource: Resource, rows: (Product | Rma)[], trailer: SnapshotTrailer | undefined): void {
  const cursor = resource === 'products' && trailer?.cursor && getCursor(db, 'products') === null ? trailer.cursor : null;
  write(resource, rows, cursor);
}

/** A snapshot stream arriving as bytes: its decoder (a character may straddle two pieces) and its unfinished line. */
const streams: Partial<Record<Resource, { decoder: TextDecoder; partial: string; row: number }>> = {};

/** A write that failed after its page was answered: refused at the next request. */
let failed: BulkReply | null = null;

/** A products page: checked whole, then written with its cursor (a few dozen pages in a pull). */
function writeProducts(bytes: Uint8Array, where: string): Omit<Extract<BulkReply, { ok: true }>, 'id'> {
  const { rows, next } = checkPage('products', bytes, where);
  const last = rows.at(-1) as Product | undefined;
  const after = last ? { updatedSince: last.updatedAt, afterId: last.sku } : null;
  write('products', rows, after);
  return { ok: true, rows: rows.length, after, more: next !== null };
}

/**
 * An RMA page of a first pull, staged straight from its bytes by SQLite (no row becomes a JS object here) and
 * NOT checked here: bulkLoad.ts has the validator thread check the same bytes meanwhile, and asks for the finish
 * only once every page passed. The cursor after the page's last row is answered first, so the station fetches
 * the next page while this one is staged; fields unfit for a cursor answer none (the pull stops, and the
 * validator names the row).
 */
function stageRmas(id: number, bytes: Uint8Array, where: string): null {
  let page: Buffer;
  try {
    page = pageJsonb(db, bytes);
  } catch {
    throw new Malformed(`${where} is not JSON`);
  }
  const head = pageHead(db, page, 'rmaNumber');
  const after = PullCursor.safeParse({ updatedSince: head.lastUpdatedAt, afterId: head.lastId });
  // The page goes back as read (a copy: staging below still reads it), for the lines worker to stage its lines from.
  port!.postMessage({ id, ok: true, rows: head.rows, after: after.success ? after.data : null, more: head.more, jsonb: page } satisfies BulkReply);
  try {
    staged(() => stageRmaPage(db, page, 'rmas'));
  } catch (err) {
    failed = { id, ok: false, kind: 'storage', message: err instanceof Error ? err.message : String(err) };
  }
  return null;
}

async function handle(r: z.infer<typeof BulkRequest>): Promise<BulkReply | null> {
  if (failed) return { ...failed, id: r.id };
  switch (r.kind) {
    case 'begin':
      return { id: r.id, ok: true, started: beginBulkLoad(db) };
    case 'lines': {
      const { rows, trailer } = checkLines(r.resource, r.lines, r.firstRow);
      stage(r.resource, rows, trailer);
      return { id: r.id, ok: true, rows: rows.length, ...(trailer ? { trailer } : {}) };
    }
    case 'bytes': {
      const s = (streams[r.resource] ??= { decoder: new TextDecoder(), partial: '', row: 1 });
      const text = s.partial + s.decoder.decode(r.bytes, { stream: !r.end });
      const lines = text.split('\n');
      // The last piece is a line still under way, unless the stream is over.
      s.partial = r.end ? '' : (lines.pop() ?? '');
      const { rows, trailer } = checkLines(r.resource, lines, s.row);
      s.row += lines.length;
      stage(r.resource, rows, trailer);
      return { id: r.id, ok: true, rows: rows.length, ...(trailer ? { trailer } : {}) };
    }
    case 'page':
      if (r.resource === 'products') return { ...writeProducts(r.bytes, r.where), id: r.id };
      return stageRmas(r.id, r.bytes, r.where);
    case 'pageLines': {
      const jsonb = Buffer.from(r.jsonb.buffer, r.jsonb.byteOffset, r.jsonb.byteLength);
      staged(() => stageRmaPage(db, jsonb, 'lines'));
      return { id: r.id, ok: true };
    }
    case 'copy':
      await copyStagedRmas(db, COPY_CHUNK_ROWS, undefined, part === 'rmas');
      return { id: r.id, ok: true };
    case 'finish': {
      await copyStagedRmas(db, COPY_CHUNK_ROWS);
      restoreDeferredIndexes(db);
      // Everything so far went to disk without a sync; it must be there before the cursor says it is.
      makeBulkLoadDurable(db, data.dbFile);
      finishBulkLoad(db, r.rmaCursor);
      return { id: r.id, ok: true };
    }
  }
}

port.on('message', (raw: unknown) => {
  const parsed = BulkRequest.safeParse(raw);
  if (!parsed.success) {
    const id = unreadableRequestId(raw);
    port.postMessage({ id, ok: false, kind: 'storage', message: `unreadable request: ${parsed.error.message}` } satisfies BulkReply);
    return;
  }
  // One request at a time, in order: the finish awaits between its chunks, and a page that arrives meanwhile waits.
  queue = queue.then(async () => {
    let reply: BulkReply | null;
    try {
      reply = await handle(parsed.data);
    } catch (err) {
      reply = { id: parsed.data.id, ok: false, kind: err instanceof Malformed ? 'malformed' : 'storage', message: err instanceof Error ? err.message : String(err) };
      // A malformed batch ends the load: what came before it stays marked as unfinished (no cursor).
      failed = reply;
    }
    if (reply) port.postMessage(reply);
  });
});

let queue: Promise<void> = Promise.resolve();

port.on('close', () => {
  staging.close();
  closeDb(db);
});

function closeDb(d: Db): void {
  if (d.open) d.close();
}
