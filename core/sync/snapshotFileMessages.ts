// What the station's thread and the snapshot-file workers (snapshotFileWorker.ts) say to each other; checked on arrival.
import { z } from 'zod';
import { PullCursor, SnapshotFileMeta } from '../../contract/index.js';

/**
 * One worker copies the file into the station's tables; the other reads it beside the copy and checks every row.
 * Both start while the file downloads (their start-up is not free), so the file is named before it is complete.
 */
export const SnapshotFileWorkerData = z.discriminatedUnion('role', [
  z.object({ role: z.literal('copy'), dbFile: z.string().min(1), snapFile: z.string().min(1), chunkRows: z.number().int().min(1), nativeBinding: z.string().optional() }),
  z.object({ role: z.literal('check'), snapFile: z.string().min(1), nativeBinding: z.string().optional() }),
]);
export type SnapshotFileWorkerData = z.input<typeof SnapshotFileWorkerData>;

export const SnapshotCopyRequest = z.discriminatedUnion('kind', [
  /** Attach the file and check its shape; nothing is written. */
  z.object({ id: z.number().int(), kind: z.literal('open') }),
  /** Begin the bulk load and copy the RMAs, lines and photo hashes, then build the deferred indexes. */
  z.object({ id: z.number().int(), kind: z.literal('copy') }),
  /** The check passed: copy the products, make the load durable and set the cursors. */
  z.object({ id: z.number().int(), kind: z.literal('finish'), rmaCursor: PullCursor.nullable(), productCursor: PullCursor.nullable() }),
  /** The check failed: stop copying and drop what was copied (the load stays unfinished, without a cursor). */
  z.object({ id: z.number().int(), kind: z.literal('abort') }),
  /** To a check worker: check every row of part `part` of `parts` against the contract (its one request). */
  z.object({ id: z.number().int(), kind: z.literal('check'), part: z.number().int().min(0), parts: z.number().int().min(1) }),
]);
export type SnapshotCopyRequest = z.infer<typeof SnapshotCopyRequest>;

export const SnapshotFileReply = z.discriminatedUnion('ok', [
  z.object({
    id: z.number().int(),
    ok: z.literal(true),
    /** open: the file's meta. */
    meta: SnapshotFileMeta.optional(),
    /** copy: false when the station was not empty (nothing was changed). */
    started: z.boolean().optional(),
    /** check: what the part held, for the parts to be put together (snapshotFileCheck.ts). */
    summary: z
      .object({
        counts: SnapshotFileMeta.shape.counts,
        cursors: SnapshotFileMeta.shape.cursors,
        firstRma: z.string().nullable(),
        lastRma: z.string().nullable(),
      })
      .optional(),
  }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    /** notSqlite, shape: refused before anything was copied; row: the check refused a row; storage: SQLite failed. */
    kind: z.enum(['notSqlite', 'shape', 'row', 'storage']),
    message: z.string(),
  }),
]);
export type SnapshotFileReply = z.infer<typeof SnapshotFileReply>;
