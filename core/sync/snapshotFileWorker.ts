// Worker-thread entry of the prepared-file bootstrap (snapshotFile.ts starts two, one per role). 'copy': on a
// connection of its own, attaches the downloaded file and copies it into the station's tables on the bulk
// loader's terms (beginBulkLoad's marker, deferred indexes, chunks of one transaction, finishBulkLoad sets the
// cursor last). 'check': reads a part of the same file read-only and checks its rows against the contract meanwhile.
// The station's thread only passes messages, so it keeps answering scans.
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/connection.js';
import { beginBulkLoad, finishBulkLoad } from '../../db/repositories/bulkReference.js';
import { restoreDeferredIndexesStepwise } from '../../db/repositories/deferredIndexes.js';
import {
  attachAndInspectSnapshotFile,
  copySnapshotProducts,
  copySnapshotRows,
  detachSnapshotFile,
  dropUnfinishedRmas,
  openSnapshotFileReader,
} from '../../db/repositories/snapshotFile.js';
import { getCursor, setCursor } from '../../db/repositories/syncCursors.js';
import { makeBulkLoadDurable, tuneForBulkLoad } from '../../db/tuning.js';
import type { SnapshotFileMeta } from '../../contract/index.js';
import { checkSnapshotPart, SnapshotRowRefused } from './snapshotFileCheck.js';
import { SnapshotCopyRequest, SnapshotFileWorkerData, type SnapshotFileReply } from './snapshotFileMessages.js';
import { lowerThisThreadsPriority } from '../threadPriority.js';

const port = parentPort;
if (!port) throw new Error('snapshotFileWorker.ts runs only as a worker thread');
const data = SnapshotFileWorkerData.parse(workerData);
// Below the station's thread, as the bulk loader's threads (threadPriority.ts).
lowerThisThreadsPriority();
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

if (data.role === 'check') {
  const checkData = data;
  // One request: the answer is the whole check.
  port.once('message', (raw: unknown) => {
    const request = SnapshotCopyRequest.safeParse(raw);
    let reply: SnapshotFileReply;
    if (!request.success || request.data.kind !== 'check') {
      reply = { id: -1, ok: false, kind: 'storage', message: 'the check worker was asked something else than a check' };
    } else {
      try {
        const reader = openSnapshotFileReader(checkData.snapFile, checkData.nativeBinding, { part: request.data.part, parts: request.data.parts });
        try {
          reply = { id: request.data.id, ok: true, summary: checkSnapshotPart(reader) };
        } finally {
          reader.close();
        }
      } catch (err) {
        reply = { id: request.data.id, ok: false, kind: err instanceof SnapshotRowRefused ? 'row' : 'storage', message: message(err) };
      }
    }
    port.postMessage(reply);
  });
} else {
  const copyData = data;
  // The station's thread opened (and migrated) the database before it started this worker.
  const db = openDatabase(copyData.dbFile, { migrate: false, ...(copyData.nativeBinding ? { nativeBinding: copyData.nativeBinding } : {}) });
  tuneForBulkLoad(db);
  let meta: SnapshotFileMeta | null = null;
  /** Set by an abort as soon as it arrives: the copy stops at its next chunk. */
  let stopping = false;

  const copyAll = async (m: SnapshotFileMeta): Promise<void> => {
    const tables = [
      ['rmas', m.counts.rmas],
      ['rma_lines', m.counts.rmaLines],
      ['customer_photos', m.counts.customerPhotos],
    ] as const;
    for (const [table, rows] of tables) {
      for (let from = 1; from <= rows && !stopping; from += copyData.chunkRows) {
        copySnapshotRows(db, table, from, from + copyData.chunkRows - 1);
        // Lets an abort in, and the station's own writes take the lock between chunks.
        await yieldLoop();
      }
    }
    // Built now, while the check may still run: they do not depend on its answer.
    if (!stopping) await restoreDeferredIndexesStepwise(db, () => yieldLoop());
  };

  const handle = async (r: SnapshotCopyRequest): Promise<SnapshotFileReply> => {
    switch (r.kind) {
      case 'open': {
        const found = attachAndInspectSnapshotFile(db, copyData.snapFile);
        if ('problem' in found) return { id: r.id, ok: false, kind: found.problem, message: found.message };
        meta = found.meta;
        return { id: r.id, ok: true, meta: found.meta };
      }
      case 'copy': {
        if (!meta) throw new Error('copy before open');
        if (!beginBulkLoad(db)) return { id: r.id, ok: true, started: false };
        await copyAll(meta);
        return { id: r.id, ok: true, started: !stopping };
      }
      case 'finish': {
        db.transaction(() => {
          copySnapshotProducts(db);
          // A cursor already there (a pull ran meanwhile) is not moved back.
          if (r.productCursor && getCursor(db, 'products') === null) setCursor(db, 'products', r.productCursor);
        })();
        detachSnapshotFile(db);
        // Everything so far went to disk without a sync; it must be there before the cursor says it is.
        makeBulkLoadDurable(db, copyData.dbFile);
        finishBulkLoad(db, r.rmaCursor);
        return { id: r.id, ok: true };
      }
      case 'abort': {
        detachSnapshotFile(db);
        dropUnfinishedRmas(db);
        return { id: r.id, ok: true };
      }
      case 'check':
        throw new Error('the copy worker does not check');
    }
  };

  let queue: Promise<void> = Promise.resolve();
  port.on('message', (raw: unknown) => {
    const parsed = SnapshotCopyRequest.safeParse(raw);
    if (!parsed.success) {
      port.postMessage({ id: -1, ok: false, kind: 'storage', message: `unreadable request: ${parsed.error.message}` } satisfies SnapshotFileReply);
      return;
    }
    if (parsed.data.kind === 'abort') stopping = true;
    queue = queue.then(async () => {
      let reply: SnapshotFileReply;
      try {
        reply = await handle(parsed.data);
      } catch (err) {
        reply = { id: parsed.data.id, ok: false, kind: 'storage', message: message(err) };
      }
      port.postMessage(reply);
    });
  });
  port.on('close', () => {
    if (db.open) db.close();
  });
}
