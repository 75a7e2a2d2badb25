import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOB_LIMITS, type WmsEvent } from '../../contract/index.js';
import { WmsError, type WmsBlobClient } from './wmsClient.js';

/** The station's copy of a blob, or null when it has none. */
export type ReadBlob = (sha256: string) => Uint8Array | null;

/**
 * Reads blobs where core/workflow/photos.ts stores them: dataDir/blobs/ab/cdef… (sync may not import
 * workflow, so the layout is repeated here; the hash check on upload catches any drift).
 */
export function blobFileReader(dataDir: string): ReadBlob {
  return (sha256) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    try {
      return readFileSync(join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2)));
    } catch {
      return null;
    }
  };
}

/** The blobs an event names; the WMS must hold each of them before it receives the event. */
export function blobsReferencedBy(event: WmsEvent): string[] {
  return event.type === 'item.graded' ? [...new Set(event.payload.photos ?? [])] : [];
}

/**
 * A blob that can never be uploaded as things stand: the station lost it or holds other bytes under its
 * name, or the WMS refuses it for good. The event that names it goes to dead letters for a lead.
 */
export class BlobUnavailableError extends Error {
  constructor(readonly sha256: string, message: string) {
    super(message);
    this.name = 'BlobUnavailableError';
  }
}

export interface BlobUploadReport {
  /** Blobs this uploader completed. */
  uploaded: number;
  /** Blobs the WMS already held when asked. */
  alreadyThere: number;
  /** Bytes in chunks the WMS accepted (a resumed upload counts only what it sent; a refused chunk not at all). */
  bytesSent: number;
  chunks: number;
  /** Uploads started again from 0 because the WMS found the completed blob's hash wrong. */
  restarts: number;
}

export interface BlobUploaderOptions {
  client: WmsBlobClient;
  read: ReadBlob;
  chunkBytes?: number;
  /** Restarts from 0 after a hash mismatch before the call gives up (retryable, like an outage). */
  maxRestarts?: number;
}

export interface BlobUploader {
  /** Makes sure the WMS holds every blob; throws WmsError (retry later) or BlobUnavailableError (dead letter). */
  ensure(hashes: readonly string[]): Promise<void>;
  readonly report: BlobUploadReport;
}

const MAX_REMEMBERED = 10_000;

export function createBlobUploader(options: BlobUploaderOptions): BlobUploader {
  const chunkBytes = Math.min(options.chunkBytes ?? BLOB_LIMITS.maxChunkBytes, BLOB_LIMITS.maxChunkBytes);
  const maxRestarts = options.maxRestarts ?? 2;
  const report: BlobUploadReport = { uploaded: 0, alreadyThere: 0, bytesSent: 0, chunks: 0, restarts: 0 };
  // Blobs the WMS confirmed complete in this process: content-addressed, so they cannot become incomplete.
  // Nothing else is remembered locally: after a restart the WMS's offset is asked again, it is the truth.
  const complete = new Set<string>();

  async function upload(sha256: string): Promise<void> {
    const data = options.read(sha256);
    if (!data) throw new BlobUnavailableError(sha256, `photo ${sha256.slice(0, 12)}… is missing at this station`);
    if (createHash('sha256').update(data).digest('hex') !== sha256) {
      throw new BlobUnavailableError(sha256, `photo ${sha256.slice(0, 12)}… at this station does not match its hash (damaged file)`);
    }
    if (data.byteLength === 0 || data.byteLength > BLOB_LIMITS.maxBlobBytes) {
      throw new BlobUnavailableError(sha256, `photo ${sha256.slice(0, 12)}… is ${data.byteLength} bytes; the WMS takes 1..${BLOB_LIMITS.maxBlobBytes}`);
    }

    let restarts = 0;
    let conflicts = 0;
    let state = await options.client.headBlob(sha256);
    if (state?.complete) {
      report.alreadyThere++;
      return;
    }
    // A partial upload of another length is not this blob's: start over, which the WMS treats as a reset.
    let offset = state && state.length === data.byteLength ? state.offset : 0;
    for (;;) {
      const chunk = data.subarray(offset, Math.min(offset + chunkBytes, data.byteLength));
      try {
        state = await options.client.putBlobChunk(sha256, offset, data.byteLength, chunk);
      } catch (err) {
        if (!(err instanceof WmsError) || err.kind !== 'http') throw err;
        if (err.status === 409 && conflicts++ < 3) {
          // Someone (an earlier attempt whose answer was lost) moved the offset: ask where it stands.
          const now = await options.client.headBlob(sha256);
          if (now?.complete) return;
          offset = now && now.length === data.byteLength ? now.offset : 0;
          continue;
        }
        if (err.status === 400 && offset + chunk.byteLength === data.byteLength) {
          // The WMS hashed the completed blob and refused it (bytes damaged on the way); it dropped the
          // partial copy, so send it all again. Our own copy was verified above.
          report.restarts++;
          if (restarts++ < maxRestarts) {
            offset = 0;
            continue;
          }
          throw new WmsError('http', `the WMS kept refusing photo ${sha256.slice(0, 12)}… as damaged: ${err.message}`, true, err.status);
        }
        if (!err.retryable) throw new BlobUnavailableError(sha256, `the WMS refused photo ${sha256.slice(0, 12)}…: ${err.message}`);
        throw err;
      }
      report.bytesSent += chunk.byteLength;
      report.chunks++;
      if (state.complete) {
        report.uploaded++;
        return;
      }
      if (state.offset <= offset || state.offset > data.byteLength) {
        throw new WmsError('malformed', `the WMS answered a chunk of photo ${sha256.slice(0, 12)}… with offset ${state.offset}`, true);
      }
      offset = state.offset;
    }
  }

  return {
    report,
    async ensure(hashes) {
      for (const sha256 of hashes) {
        if (complete.has(sha256)) continue;
        await upload(sha256);
        if (complete.size >= MAX_REMEMBERED) complete.clear();
        complete.add(sha256);
      }
    },
  };
}
