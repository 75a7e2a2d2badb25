// The blind search's index of names, readings and phone numbers (migration 015): each RMA the pull, a snapshot,
// a WMS lookup or a lead's conflict decision wrote is queued by a trigger, and its terms are written here,
// normalised as domain/text/normalize.ts scores them.
import type { Db } from '../../db/connection.js';
import { queuedForSearchCount, queuedRmasForSearch, writeSearchDocuments, type QueuedRmaForSearch, type RmaSearchDocument } from '../../db/repositories/rmaSearch.js';
import { nameSearchTerms, normalizePhone, reversedDigits } from '../../domain/text/normalize.js';

/** RMAs indexed per transaction: about 4 ms of work (~50 µs each at 1M), so a scan arriving meanwhile waits at most that. */
const RMAS_PER_SLICE = 80;

export function searchDocumentOf(r: QueuedRmaForSearch): RmaSearchDocument {
  const digits = normalizePhone(r.customerPhone);
  return {
    rmaNumber: r.rmaNumber,
    terms: {
      name: nameSearchTerms(r.customerName),
      kana: nameSearchTerms(r.customerKana),
      phone: digits ? [digits] : [],
      phone_reversed: digits ? [reversedDigits(digits)] : [],
    },
  };
}

/** One transaction's worth: reads up to `max` queued RMAs and writes the documents of those still as read. */
function indexQueuedSlice(db: Db, max: number): number {
  const batch = queuedRmasForSearch(db, max);
  if (batch.length > 0) writeSearchDocuments(db, batch.map((from) => ({ made: searchDocumentOf(from), from })));
  return batch.length;
}

/** Indexes up to `max` queued RMAs now, in slices of one transaction each; returns how many are still queued. */
export function indexQueuedRmas(db: Db, max: number): number {
  for (let done = 0; done < max; ) {
    const read = indexQueuedSlice(db, Math.min(RMAS_PER_SLICE, max - done));
    if (read === 0) return 0;
    done += read;
  }
  return queuedForSearchCount(db);
}

export interface SearchIndexer {
  /** Something may have been queued (a pull round ended, the station started): index it in the background. */
  kick(): void;
  /** Resolves when the background run (if any) has ended. */
  settled(): Promise<void>;
  stop(): void;
}

/**
 * Works through the queue on the station's thread, one slice at a time with the loop yielded between them: after a
 * first pull of a million RMAs that is about a minute of CPU, which must not hold a scan up. The WAL it writes is
 * checkpointed by the sync timer's tick, which runs every few seconds whatever else runs.
 * Not in a worker thread on a connection of its own: tried (2026-12-07), the station's commits then waited for the
 * worker's write lock (SQLite has one writer, and its busy handler polls by sleeping): a one-row commit every 20 ms
 * took p99 84–840 ms against 15 ms here, at load 10–13. Off the station's thread would need the index in a file of
 * its own (docs/architecture-notes.md, item 18).
 */
export function createSearchIndexer(db: Db, log: (message: string, err?: unknown) => void = () => undefined): SearchIndexer {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = async (): Promise<void> => {
    do {
      again = false;
      while (!stopped && db.open) {
        if (indexQueuedSlice(db, RMAS_PER_SLICE) === 0) break;
        // setImmediate, not a resolved promise: a scan's message waiting on I/O runs before the next slice.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } while (again && !stopped);
  };
  return {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = run()
        .catch((err: unknown) => log('The search index could not be brought up to date; the next sync round tries again', err))
        .finally(() => {
          running = null;
        });
    },
    settled: () => running ?? Promise.resolve(),
    stop() {
      stopped = true;
    },
  };
}
