// Bootstrap from a site hub's prepared reference file (contract/snapshotFile.ts): the file is downloaded next
// to the station's database (streamed to disk, its size and sha256 checked against the hub's headers), its
// shape checked, then copied into the station's tables by one worker while a second checks every row against
// the contract. The cursors are set only when both are done and the check passed; a refused file leaves
// nothing behind, and the caller (snapshot.ts) loads the NDJSON stream instead.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Worker } from 'node:worker_threads';
import { HUB_SNAPSHOT_FILE_PATH, Sha256, SNAPSHOT_FILE_ERRORS, SNAPSHOT_FILE_HEADERS, type SnapshotFileMeta } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { createPacedWriteStream } from '../pacedWriteStream.js';
import { workerEntry, type WorkerEntry } from '../workerEntry.js';
import { checkSnapshotParts, type SnapshotPartSummary } from './snapshotFileCheck.js';
import { SnapshotFileReply, type SnapshotCopyRequest, type SnapshotFileWorkerData } from './snapshotFileMessages.js';
import { openHubDownload } from './hubDownload.js';
import { WmsError } from './wmsClient.js';

export type SnapshotFileErrorKey = (typeof SNAPSHOT_FILE_ERRORS)[keyof typeof SNAPSHOT_FILE_ERRORS];

/** A refused file: a WmsError whose code is the i18n key saying why (the sync bar shows it if the fallback fails too). */
export function refusedFile(key: SnapshotFileErrorKey, message: string): WmsError {
  return new WmsError('malformed', message, true, undefined, undefined, key);
}

export const isFileRefusal = (err: unknown): err is WmsError =>
  err instanceof WmsError && err.code !== undefined && (Object.values(SNAPSHOT_FILE_ERRORS) as string[]).includes(err.code);

/** Downloads the hub's file to `target`; null when the hub has none (none ready yet, or a hub from before files). */
export type DownloadSnapshotFile = (target: string) => Promise<{ sha256: string; size: number } | null>;

export function snapshotFileDownloader(options: { baseUrl: string; token: string; fetch?: typeof fetch; connectTimeoutMs?: number; idleTimeoutMs?: number }): DownloadSnapshotFile {
  const idleMs = options.idleTimeoutMs ?? 30_000;
  return async (target) => {
    const res = await openHubDownload(options, HUB_SNAPSHOT_FILE_PATH, 'application/vnd.sqlite3', 'the reference file');
    if (!res) return null;
    let timer: NodeJS.Timeout | undefined;
    const sha = Sha256.safeParse(res.headers.get(SNAPSHOT_FILE_HEADERS.sha256));
    const size = Number(res.headers.get(SNAPSHOT_FILE_HEADERS.size));
    if (!sha.success || !Number.isSafeInteger(size) || size <= 0) {
      await res.body.cancel();
      throw refusedFile(SNAPSHOT_FILE_ERRORS.checksum, 'the hub sent the reference file without its sha256 and size');
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    const idle = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => body.destroy(new WmsError('timeout', `the reference file stalled for ${Math.round(idleMs / 1000)} s`, true)), idleMs);
    };
    idle();
    const tap = new Transform({
      transform(piece: Buffer, _enc, done) {
        idle();
        hash.update(piece);
        bytes += piece.length;
        done(null, piece);
      },
    });
    try {
      await pipeline(body, tap, createPacedWriteStream(target));
    } catch (err) {
      if (err instanceof WmsError) throw err;
      throw new WmsError('network', `the reference file was cut off (${err instanceof Error ? err.message : String(err)})`, true);
    } finally {
      clearTimeout(timer);
    }
    const got = hash.digest('hex');
    if (bytes !== size || got !== sha.data) {
      throw refusedFile(SNAPSHOT_FILE_ERRORS.checksum, `the reference file arrived with ${bytes} bytes and sha256 ${got.slice(0, 12)}…; the hub announced ${size} bytes and ${sha.data.slice(0, 12)}…`);
    }
    return { sha256: got, size };
  };
}

export interface SnapshotFileOptions {
  /** better-sqlite3 binary for the workers' connections (Electron's ABI build). */
  nativeBinding?: string;
  entry?: WorkerEntry;
  /** Rows per copy transaction (each holds the station's write lock briefly). */
  chunkRows?: number;
  /** Workers checking the rows, each a part of the file (default: defaultCheckers()). */
  checkers?: number;
  /** Called with each worker once it runs (tests stop them midway). */
  onWorker?: (worker: Worker, role: 'copy' | 'check') => void;
}

/**
 * The copy and its index builds are one thread's work and the longer path; the check splits into parts. On two
 * cores one checker: a second only took CPU from the copy (1M RMAs: 17–20 s with one, 21–25 s with two). With
 * more cores, two.
 */
export const defaultCheckers = (cores: number = availableParallelism()): number => (cores <= 2 ? 1 : 2);

export type SnapshotFileOutcome =
  | { loaded: { products: number; rmas: number; ms: number; downloadMs: number } }
  /** No file at the hub, or a station that is no longer empty: nothing was changed. */
  | { skipped: 'no-file' | 'not-empty' };

type Body = SnapshotCopyRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** A worker of one role; its requests are answered in order. */
function startWorker(data: SnapshotFileWorkerData, options: SnapshotFileOptions) {
  const entry = options.entry ?? workerEntry('snapshotFileWorker', import.meta.url);
  // The check makes a few short-lived arrays and objects per row, millions in all: a larger young generation
  // collects them in fewer scavenges (about a sixth less CPU for the check here).
  const resourceLimits = data.role === 'check' ? { resourceLimits: { maxYoungGenerationSizeMb: 96 } } : {};
  const worker = new Worker(entry.source, { workerData: data, eval: entry.eval, ...resourceLimits });
  options.onWorker?.(worker, data.role);
  const pending = new Map<number, { resolve: (r: SnapshotFileReply) => void; reject: (e: Error) => void }>();
  let gone: Error | null = null;
  let nextId = 0;
  const failAll = (err: Error): void => {
    gone ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (raw: unknown) => {
    const parsed = SnapshotFileReply.safeParse(raw);
    if (!parsed.success) return failAll(new Error(`the snapshot-file worker sent an unreadable message: ${parsed.error.message}`));
    const p = pending.get(parsed.data.id);
    pending.delete(parsed.data.id);
    p?.resolve(parsed.data);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the snapshot-file worker stopped (exit code ${code})`)));
  return {
    request(body: Body): Promise<SnapshotFileReply> {
      if (gone) return Promise.reject(gone);
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...body, id });
      });
    },
    async stop(): Promise<void> {
      failAll(new Error('stopped'));
      await worker.terminate();
    },
  };
}

const fail = (reply: SnapshotFileReply): Extract<SnapshotFileReply, { ok: false }> | null => (reply.ok ? null : reply);

function refusal(reply: Extract<SnapshotFileReply, { ok: false }>): Error {
  if (reply.kind === 'storage') return new Error(`the reference file could not be loaded: ${reply.message}`);
  return refusedFile(SNAPSHOT_FILE_ERRORS[reply.kind], reply.message);
}

/**
 * Loads the hub's prepared file into an empty station (the caller checked bulkLoadEligible). Throws a file
 * refusal (isFileRefusal) for a file that fails a check, having kept nothing of it; the download is deleted after.
 */
export async function loadSnapshotFile(db: Db, download: DownloadSnapshotFile, options: SnapshotFileOptions = {}): Promise<SnapshotFileOutcome> {
  const started = Date.now();
  // Beside the database: same disk, and the station's data folder is the one place it may write.
  const target = join(dirname(db.name), 'reference-snapshot.download');
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  let copy: ReturnType<typeof startWorker> | null = null;
  const checks: ReturnType<typeof startWorker>[] = [];
  try {
    // Started while the file downloads: their start-up (a connection, the contract's schemas) is then paid meanwhile.
    copy = startWorker({ role: 'copy', dbFile: db.name, snapFile: target, chunkRows: options.chunkRows ?? 20_000, ...binding }, options);
    for (let i = 0; i < (options.checkers ?? defaultCheckers()); i++) checks.push(startWorker({ role: 'check', snapFile: target, ...binding }, options));
    if (!(await download(target))) return { skipped: 'no-file' };
    const downloadMs = Date.now() - started;
    const opened = await copy.request({ kind: 'open' });
    const openFailed = fail(opened);
    if (openFailed) throw refusal(openFailed);
    const meta = (opened as { meta?: SnapshotFileMeta }).meta!;

    // The check is the longer half of the work: in parts, it runs on what the copy leaves of the machine.
    const checked = Promise.all(checks.map((c, part) => c.request({ kind: 'check', part, parts: checks.length }))).then((replies): SnapshotFileReply => {
      const failed = replies.find((r) => !r.ok);
      if (failed) return failed;
      try {
        checkSnapshotParts(
          replies.map((r) => (r as { summary?: SnapshotPartSummary }).summary!),
          meta,
        );
        return { id: 0, ok: true };
      } catch (err) {
        return { id: 0, ok: false, kind: 'row', message: err instanceof Error ? err.message : String(err) };
      }
    });
    const copying = copy.request({ kind: 'copy' });
    // A check that fails stops the copy at its next chunk rather than after the whole file.
    const copyWorker = copy;
    const abort = checked.then((r) => (r.ok ? null : copyWorker.request({ kind: 'abort' })));
    abort.catch(() => undefined);
    const copied = await copying;
    if (copied.ok && copied.started === false) return { skipped: 'not-empty' };
    const checkReply = await checked;
    const problem = fail(checkReply) ?? fail(copied);
    if (problem) {
      // Whatever was copied goes again; the load stays marked unfinished, with no cursor.
      await ((await abort) ?? copy.request({ kind: 'abort' }));
      throw refusal(problem);
    }
    const finished = await copy.request({ kind: 'finish', rmaCursor: meta.cursors.rmas, productCursor: meta.cursors.products });
    const finishFailed = fail(finished);
    if (finishFailed) throw refusal(finishFailed);
    return { loaded: { products: meta.counts.products, rmas: meta.counts.rmas, ms: Date.now() - started, downloadMs } };
  } finally {
    for (const c of checks) await c.stop();
    await copy?.stop();
    await rm(target, { force: true });
  }
}
