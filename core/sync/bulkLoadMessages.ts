import { z } from 'zod';
import { PullCursor, SnapshotTrailer } from '../../contract/index.js';

/** What the station hands the bulk-load worker when it starts it; checked on the worker's side. */
export const BulkWorkerData = z.object({
  dbFile: z.string().min(1),
  nativeBinding: z.string().optional(),
  /**
   * What a first pull's RMA pages stage here (db/repositories/bulkReference.ts stageRmaPage): the RMAs (the worker
   * that also writes products, builds the indexes and sets the cursor), or their lines and photo hashes (a second
   * worker, so the two sort and copy their shares at the finish at the same time).
   */
  part: z.enum(['rmas', 'lines']).optional(),
});
export type BulkWorkerData = z.input<typeof BulkWorkerData>;

const Resource = z.enum(['products', 'rmas']);
const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes');

/**
 * One request to the bulk-load worker; checked on the worker's side. Rows travel as text (NDJSON lines of a
 * snapshot, or a pull page's body) and are parsed and checked against the contract in the worker, so the
 * station's thread only moves strings.
 */
export const BulkRequest = z.discriminatedUnion('kind', [
  z.object({ id: z.number().int(), kind: z.literal('begin') }),
  /** Snapshot lines; a line with `end` is the stream's trailer, and nothing after it is read. */
  z.object({ id: z.number().int(), kind: z.literal('lines'), resource: Resource, lines: z.array(z.string()), firstRow: z.number().int().min(1) }),
  /** A piece of a snapshot stream as it came off the wire (transferred, not copied); `end`: the stream is over. */
  z.object({ id: z.number().int(), kind: z.literal('bytes'), resource: Resource, bytes: Bytes, end: z.boolean() }),
  /** A pull page's body as the WMS sent it (`{ items, next }`, transferred); `where` names it in errors. */
  z.object({ id: z.number().int(), kind: z.literal('page'), resource: Resource, bytes: Bytes, where: z.string() }),
  /**
   * To the `lines` worker: an RMA page's lines and photo hashes, from the page as the `rmas` worker read it into
   * SQLite's binary JSON (its page reply's `jsonb`), so the page's text is parsed once.
   */
  z.object({ id: z.number().int(), kind: z.literal('pageLines'), jsonb: Bytes, where: z.string() }),
  /** Sorts what this worker staged and copies it into the station's tables (the finish does it too, if not done). */
  z.object({ id: z.number().int(), kind: z.literal('copy') }),
  z.object({ id: z.number().int(), kind: z.literal('finish'), rmaCursor: PullCursor.nullable() }),
]);
export type BulkRequest = z.input<typeof BulkRequest>;

export const BulkReply = z.discriminatedUnion('ok', [
  z.object({
    id: z.number().int(),
    ok: z.literal(true),
    /** begin: whether the station could take a bulk load (false: nothing was changed). */
    started: z.boolean().optional(),
    /** Rows checked in this request. */
    rows: z.number().int().optional(),
    /** lines, bytes: the trailer, when it was among them. */
    trailer: SnapshotTrailer.optional(),
    /** page: the cursor after its last row, and whether the WMS said more pages follow. */
    after: PullCursor.nullable().optional(),
    more: z.boolean().optional(),
    /** An RMA page of a first pull: the page in SQLite's binary JSON, for the `lines` worker (pageLines). */
    jsonb: Bytes.optional(),
  }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    /** malformed: the data broke the contract (nothing of its batch was written); storage: SQLite refused. */
    kind: z.enum(['malformed', 'storage']),
    message: z.string(),
  }),
]);
export type BulkReply = z.infer<typeof BulkReply>;

/** An RMA page for the validator (bulkValidateWorker.ts): its body as the WMS sent it, `where` names it in errors. */
export const PageCheckRequest = z.object({ id: z.number().int(), bytes: Bytes, where: z.string() });
export type PageCheckRequest = z.input<typeof PageCheckRequest>;

export const PageCheckReply = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), rows: z.number().int() }),
  /** malformed: the page broke the contract; otherwise the validator itself failed. */
  z.object({ id: z.number().int(), ok: z.literal(false), malformed: z.boolean(), message: z.string() }),
]);
export type PageCheckReply = z.infer<typeof PageCheckReply>;
