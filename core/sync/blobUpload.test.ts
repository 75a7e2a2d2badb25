import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlobState } from '../../contract/index.js';
import { BlobUnavailableError, blobsReferencedBy, createBlobUploader } from './blobUpload.js';
import { WmsError, type WmsBlobClient } from './wmsClient.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** An in-memory WMS blob endpoint with the contract's rules (offset, reset at 0, hash on completion). */
function fakeWms(options: { corruptFirstUpload?: boolean; downAfterPuts?: number } = {}) {
  const held = new Map<string, { bytes: number[]; length: number; complete: boolean }>();
  let puts = 0;
  let corrupt = options.corruptFirstUpload ?? false;
  const client: WmsBlobClient = {
    async headBlob(s) {
      const h = held.get(s);
      return h && h.bytes.length > 0 ? { sha256: s, offset: h.bytes.length, length: h.length, complete: h.complete } : null;
    },
    async putBlobChunk(s, start, total, chunk): Promise<BlobState> {
      if (options.downAfterPuts !== undefined && puts >= options.downAfterPuts) throw new WmsError('network', 'cannot reach the WMS', true);
      puts++;
      let h = held.get(s);
      if (h?.complete) return { sha256: s, offset: h.length, length: h.length, complete: true };
      if (start === 0 || !h) held.set(s, (h = { bytes: [], length: total, complete: false }));
      if (start !== h.bytes.length) throw new WmsError('http', 'HTTP 409', false, 409);
      h.bytes.push(...chunk);
      if (corrupt) {
        corrupt = false;
        h.bytes[0] = (h.bytes[0] ?? 0) ^ 1;
      }
      if (h.bytes.length < total) return { sha256: s, offset: h.bytes.length, length: total, complete: false };
      if (sha(Uint8Array.from(h.bytes)) !== s) {
        held.delete(s);
        throw new WmsError('http', 'HTTP 400: hash mismatch', false, 400);
      }
      h.complete = true;
      return { sha256: s, offset: total, length: total, complete: true };
    },
  };
  return { client, held, reopen: () => (options.downAfterPuts = undefined) };
}

const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);
const hash = sha(data);

describe('blob uploader', () => {
  it('resumes from the offset the WMS reports, not from 0, with a fresh uploader (as after a restart)', async () => {
    const wms = fakeWms({ downAfterPuts: 2 });
    const first = createBlobUploader({ client: wms.client, read: () => data, chunkBytes: 300 });
    await expect(first.ensure([hash])).rejects.toMatchObject({ kind: 'network' });
    expect(first.report.bytesSent).toBe(600);
    wms.reopen();
    const second = createBlobUploader({ client: wms.client, read: () => data, chunkBytes: 300 });
    await second.ensure([hash]);
    expect(second.report).toMatchObject({ bytesSent: 400, chunks: 2, uploaded: 1 });
    expect(wms.held.get(hash)?.complete).toBe(true);
  });

  it('starts again from 0 when the WMS refuses the completed blob as damaged', async () => {
    const wms = fakeWms({ corruptFirstUpload: true });
    const up = createBlobUploader({ client: wms.client, read: () => data, chunkBytes: 400 });
    await up.ensure([hash]);
    // 800 accepted before the refused last chunk, then all 1000 again.
    expect(up.report).toMatchObject({ restarts: 1, bytesSent: 1800, uploaded: 1 });
    expect(Uint8Array.from(wms.held.get(hash)?.bytes ?? []).every((b, i) => b === data[i])).toBe(true);
  });

  it('asks nothing more of a blob it saw complete, and counts one the WMS already had', async () => {
    const wms = fakeWms();
    await createBlobUploader({ client: wms.client, read: () => data }).ensure([hash]);
    const up = createBlobUploader({ client: wms.client, read: () => data });
    await up.ensure([hash, hash]);
    expect(up.report).toMatchObject({ alreadyThere: 1, bytesSent: 0 });
  });

  it('gives up for good on a blob the station lost or holds damaged', async () => {
    const wms = fakeWms();
    await expect(createBlobUploader({ client: wms.client, read: () => null }).ensure([hash])).rejects.toBeInstanceOf(BlobUnavailableError);
    const other = Uint8Array.from(data).fill(9, 0, 1);
    await expect(createBlobUploader({ client: wms.client, read: () => other }).ensure([hash])).rejects.toThrow(/does not match its hash/);
    expect(wms.held.size).toBe(0);
  });

  it('finds the photos of an item.graded event only', () => {
    const base = { idempotencyKey: crypto.randomUUID(), aggregateType: 'item' as const, aggregateId: 'I1', sequence: 1, occurredAt: 'x' };
    expect(blobsReferencedBy({ ...base, type: 'item.approved', payload: { itemId: 'I1', lpn: 'L', operatorId: 'o', stationId: 's', reviewedAt: 'x' } })).toEqual([]);
    const graded = {
      ...base,
      type: 'item.graded' as const,
      payload: {
        itemId: 'I1', lpn: 'L', parcelId: 'P', rmaNumber: null, lineId: null, sku: 'S', grade: 'A' as const, disposition: 'restock' as const,
        destination: 'D', ruleId: 'R', ruleSetVersion: 1, operatorId: 'o', stationId: 's', gradedAt: 'x', photos: [hash, hash],
      },
    };
    expect(blobsReferencedBy(graded)).toEqual([hash]);
  });
});
