// Snapshot bootstrap: a new or wiped bench behind a site hub loads the hub's whole reference copy as one
// NDJSON stream per resource (GET /hub/v1/reference/:resource/snapshot), then follows by cursor from the
// stream's trailer. A cursor pull of 1M RMAs takes minutes page by page; one stream and bulk commits do not.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { HUB_BENCH_ERRORS, hubSnapshotPath, Product, Rma, SnapshotTrailer, type SnapshotResource } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { bulkLoadEligible } from '../../db/repositories/bulkReference.js';
import { deferRmaIndexes, restoreDeferredIndexes } from '../../db/repositories/deferredIndexes.js';
import { upsertProducts, upsertRmaBatch } from '../../db/repositories/referenceData.js';
import { getCursor, setCursor } from '../../db/repositories/syncCursors.js';
import { withLargePageCache } from '../../db/tuning.js';
import { startBulkLoader, type BulkLoader, type BulkOptions } from './bulkLoad.js';
import { checkpointBetweenSlices } from './slices.js';
import { isFileRefusal, loadSnapshotFile, snapshotFileDownloader, type DownloadSnapshotFile, type SnapshotFileOptions } from './snapshotFile.js';
import { openHubDownload } from './hubDownload.js';
import { WmsError } from './wmsClient.js';

export interface SnapshotSourceOptions {
  baseUrl: string;
  token: string;
  /** Until the hub starts answering. */
  connectTimeoutMs?: number;
  /** Longest silence inside the stream; a whole 1M-row stream takes far longer than any one gap. */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** Where the snapshot comes from: the stream's lines, or null when the upstream has none (a WMS, not a hub). */
export interface SnapshotSource {
  open(resource: SnapshotResource): Promise<AsyncIterable<string> | Iterable<string> | null>;
  /**
   * The same stream as it comes off the wire, not decoded or split into lines: the bulk load hands it to its
   * worker as it is. Optional: a source without it is read by lines.
   */
  openBytes?(resource: SnapshotResource): Promise<AsyncIterable<Uint8Array> | null>;
  /** The hub's prepared reference file (snapshotFile.ts), tried first by an empty station; null: the hub has none. */
  downloadFile?: DownloadSnapshotFile;
}

export function createSnapshotSource(options: SnapshotSourceOptions): SnapshotSource {
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const connect = async (resource: SnapshotResource): Promise<Readable | null> => {
    const res = await openHubDownload(options, hubSnapshotPath(resource), 'application/x-ndjson', 'the snapshot');
    if (!res) return null;
    let timer: NodeJS.Timeout | undefined;
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    const idle = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => body.destroy(new WmsError('timeout', `the snapshot stream stalled for ${Math.round(idleMs / 1000)} s`, true)), idleMs);
    };
    idle();
    body.on('data', idle);
    body.on('close', () => clearTimeout(timer));
    return body;
  };
  return {
    async open(resource) {
      const body = await connect(resource);
      return body ? createInterface({ input: body, crlfDelay: Infinity }) : null;
    },
    openBytes: connect,
    downloadFile: snapshotFileDownloader(options),
  };
}

export interface SnapshotReport {
  products: number;
  rmas: number;
  ms: number;
  /** file: the hub's prepared reference file; stream: the NDJSON snapshot. */
  via: 'file' | 'stream';
  /** Why the prepared file was not taken (its error key when it was refused), when the stream was loaded instead. */
  fileRefused?: { key?: string; message: string };
  /** via file: how long the download took (the rest is the copy and check). */
  downloadMs?: number;
}

/**
 * A bench with no RMA cursor has never pulled (new), was wiped, or lost its last snapshot midway: it bootstraps
 * from a snapshot. The products' cursor is not asked: it is set first, so a load cut short in the RMAs has one.
 */
export function needsSnapshot(db: Db): boolean {
  return getCursor(db, 'rmas') === null;
}

export interface SnapshotOptions {
  /** Rows per transaction (and per hand-over to the bulk-load worker, for a source read by lines). */
  commitRows?: number;
  /** Bytes per hand-over to the bulk-load worker, for a source read as bytes. */
  bytesPerMessage?: number;
  /** The bulk load (bulkLoad.ts) for a station with no RMAs yet; false keeps the row-by-row upserts. */
  bulk?: BulkOptions | false;
  /** The prepared reference file, tried before the stream by an empty station (with `bulk`'s native binding); false: the stream only. */
  file?: Omit<SnapshotFileOptions, 'nativeBinding'> | false;
}

/**
 * Loads the products, then the RMAs snapshot. Rows commit in groups of `commitRows`; the cursor commits with
 * the last group only once the trailer has arrived, so a stream cut short leaves no cursor and the next attempt
 * loads the snapshot again (over the rows already in, or, after a bulk load, in place of them). Returns null
 * when the upstream has no snapshot. A station with no RMAs yet is loaded by the bulk loader, in a worker.
 */
export async function loadSnapshot(db: Db, source: SnapshotSource, options: SnapshotOptions = {}): Promise<SnapshotReport | null> {
  const started = Date.now();
  let fileRefused: SnapshotReport['fileRefused'];
  if (options.bulk !== false && !db.memory && bulkLoadEligible(db)) {
    if (options.file !== false && source.downloadFile) {
      try {
        const outcome = await loadSnapshotFile(db, source.downloadFile, { ...options.file, ...(options.bulk?.nativeBinding ? { nativeBinding: options.bulk.nativeBinding } : {}) });
        if ('loaded' in outcome) return { ...outcome.loaded, via: 'file' };
      } catch (err) {
        // A credential the hub refuses, or a certificate the bench does not trust, fails the stream alike.
        if (err instanceof WmsError && (err.kind === 'auth' || err.code === HUB_BENCH_ERRORS.certificateNotTrusted)) throw err;
        // Anything else (a refused file, a download cut off): the stream is loaded instead, now.
        fileRefused = { ...(isFileRefusal(err) ? { key: err.code } : {}), message: err instanceof Error ? err.message : String(err) };
      }
    }
    const report = await loadSnapshotBulk(db, source, { rows: options.commitRows ?? 2000, bytes: options.bytesPerMessage ?? BYTES_PER_MESSAGE }, options.bulk ?? {}, started);
    if (report !== 'not-empty') return report && { ...report, ...(fileRefused ? { fileRefused } : {}) };
  }
  const commitRows = options.commitRows ?? 5000;
  return withLargePageCache(db, async () => {
    const products = await loadResource(db, source, 'products', commitRows, (rows) => upsertProducts(db, rows.map((r) => Product.parse(r))));
    if (products === null) return null;
    restoreDeferredIndexes(db);
    // The RMA indexes are built once at the end rather than row by row (see deferRmaIndexes).
    deferRmaIndexes(db);
    try {
      // A group at a time: which RMAs exist or have a parcel open is asked once per group, not probed per row.
      const rmas = await loadResource(db, source, 'rmas', commitRows, (rows) => {
        upsertRmaBatch(db, rows.map((r) => Rma.parse(r)));
      });
      return { products, rmas: rmas ?? 0, ms: Date.now() - started, via: 'stream' as const, ...(fileRefused ? { fileRefused } : {}) };
    } finally {
      restoreDeferredIndexes(db);
    }
  });
}

/** Snapshot lines handed to the worker at once; more wait while it writes (the stream pauses beyond). */
const LINES_IN_FLIGHT = 4;

async function loadSnapshotBulk(db: Db, source: SnapshotSource, chunk: { rows: number; bytes: number }, bulk: BulkOptions, started: number): Promise<SnapshotReport | null | 'not-empty'> {
  const loader = startBulkLoader({ dbFile: db.name, ...bulk });
  try {
    if (!(await loader.begin())) return 'not-empty';
    // As bytes when the source has them: the worker decodes and splits them, the station's thread only passes them on.
    const stream = async (resource: SnapshotResource): Promise<SnapshotTrailer | null> => {
      if (source.openBytes) {
        const bytes = await source.openBytes(resource);
        return bytes ? streamBytes(loader, resource, bytes, chunk.bytes) : null;
      }
      const lines = await source.open(resource);
      return lines ? streamLines(loader, resource, lines, chunk.rows) : null;
    };
    const productTrailer = await stream('products');
    if (!productTrailer) {
      // An upstream without a snapshot (a WMS, not a hub): the empty load ends as it began.
      await loader.finish(null);
      return null;
    }
    const rmaTrailer = await stream('rmas');
    await loader.finish(rmaTrailer?.cursor ?? null);
    return { products: productTrailer.rows, rmas: rmaTrailer?.rows ?? 0, ms: Date.now() - started, via: 'stream' };
  } finally {
    // After a failure the worker stops where it is: the load stays marked unfinished, without a cursor.
    await loader.close();
  }
}

/** Bytes handed to the worker at once (the network's pieces are about 64 KB; fewer, larger messages cost less). */
const BYTES_PER_MESSAGE = 1 << 20;

/** Forwards a byte stream to the worker in pieces of about BYTES_PER_MESSAGE, a few ahead of it; returns the trailer. */
async function streamBytes(loader: BulkLoader, resource: SnapshotResource, body: AsyncIterable<Uint8Array>, perMessage: number): Promise<SnapshotTrailer> {
  const inFlight: Promise<{ trailer?: SnapshotTrailer }>[] = [];
  let trailer: SnapshotTrailer | undefined;
  let pieces: Uint8Array[] = [];
  let size = 0;
  const send = (end: boolean): void => {
    // A buffer of its own, so that it can be moved to the worker rather than copied.
    const p = loader.bytes(resource, Buffer.concat(pieces, size), end);
    p.catch(() => undefined);
    inFlight.push(p);
    pieces = [];
    size = 0;
  };
  const settleOldest = async (): Promise<void> => {
    const answer = await inFlight.shift();
    if (answer?.trailer) trailer = answer.trailer;
  };
  for await (const piece of body) {
    pieces.push(piece);
    size += piece.byteLength;
    if (size >= perMessage) {
      send(false);
      if (inFlight.length >= LINES_IN_FLIGHT) await settleOldest();
    }
  }
  send(true);
  while (inFlight.length > 0) await settleOldest();
  if (!trailer) throw new WmsError('network', `the ${resource} snapshot ended before its trailer`, true);
  return trailer;
}

/** Forwards a stream's lines to the worker in chunks, a few chunks ahead of it; returns the trailer. */
async function streamLines(loader: BulkLoader, resource: SnapshotResource, lines: AsyncIterable<string> | Iterable<string>, chunkRows: number): Promise<SnapshotTrailer> {
  const inFlight: Promise<{ trailer?: SnapshotTrailer }>[] = [];
  let trailer: SnapshotTrailer | undefined;
  let row = 1;
  let chunk: string[] = [];
  const send = (): void => {
    const p = loader.lines(resource, chunk, row);
    // Awaited in order below; a rejection before its turn is not unhandled.
    p.catch(() => undefined);
    inFlight.push(p);
    row += chunk.length;
    chunk = [];
  };
  const settleOldest = async (): Promise<void> => {
    const answer = await inFlight.shift();
    if (answer?.trailer) trailer = answer.trailer;
  };
  for await (const line of lines) {
    chunk.push(line);
    if (chunk.length >= chunkRows) {
      send();
      if (inFlight.length >= LINES_IN_FLIGHT) await settleOldest();
    }
    if (trailer) break;
  }
  if (chunk.length > 0) send();
  while (inFlight.length > 0) await settleOldest();
  if (!trailer) throw new WmsError('network', `the ${resource} snapshot ended before its trailer`, true);
  return trailer;
}

async function loadResource(db: Db, source: SnapshotSource, resource: SnapshotResource, commitRows: number, apply: (rows: unknown[]) => void): Promise<number | null> {
  const lines = await source.open(resource);
  if (!lines) return null;
  let batch: unknown[] = [];
  let trailer: SnapshotTrailer | null = null;
  for await (const line of lines) {
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new WmsError('malformed', `the ${resource} snapshot has a line that is not JSON`, true);
    }
    // Only a line with `end` can be the trailer: a failed parse per row (a million of them) is not free.
    const end = typeof value === 'object' && value !== null && 'end' in value ? SnapshotTrailer.safeParse(value) : null;
    if (end?.success) {
      trailer = end.data;
      break;
    }
    batch.push(value);
    if (batch.length >= commitRows) {
      const rows = batch;
      batch = [];
      db.transaction(() => apply(rows))();
      // The station's connection never checkpoints on commit; without this a million RMAs left a WAL of
      // several GB, every page read walked its index, and the load slowed as it went.
      await checkpointBetweenSlices(db);
    }
  }
  if (!trailer) throw new WmsError('network', `the ${resource} snapshot ended before its trailer`, true);
  const cursor = trailer.cursor;
  db.transaction(() => {
    if (batch.length > 0) apply(batch);
    // A cursor already there (a pull ran meanwhile) is not moved back.
    if (cursor && getCursor(db, resource) === null) setCursor(db, resource, cursor);
  })();
  return trailer.rows;
}

/**
 * The sync engine's bootstrap step: loads the snapshot when the bench has no reference data, at most once
 * per start (an upstream without a snapshot, or an empty site, is not asked every cycle). A failed load is
 * thrown (the sync bar shows it) and tried again on the next cycle.
 */
export function createSnapshotBootstrap(
  db: Db,
  source: SnapshotSource,
  onLoaded?: (report: SnapshotReport) => void,
  options: SnapshotOptions = {},
): () => Promise<SnapshotReport | null> {
  let settled = false;
  return async () => {
    if (settled || !needsSnapshot(db)) {
      settled = true;
      return null;
    }
    const report = await loadSnapshot(db, source, options);
    settled = true;
    if (report) onLoaded?.(report);
    return report;
  };
}
