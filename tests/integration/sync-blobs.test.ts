import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOB_LIMITS, wmsBlobPath, type WmsEventBody } from '../../contract/index.js';
import { blobFileReader } from '../../core/sync/blobUpload.js';
import { createSyncEngine } from '../../core/sync/syncEngine.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { appendEvent, listDeadLetters } from '../../db/repositories/outbox.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { itemGraded, parcelReceived } from './sync-helpers.js';

const TOKEN = 'test-token-blobs';
const MB = BLOB_LIMITS.maxChunkBytes;

/** fetch as the station sees it, with switches for what the network does to blob chunks. */
function trackedFetch() {
  const log: string[] = [];
  const net = { putsBeforeOutage: Infinity, corruptNextPut: false, putBytes: 0 };
  let puts = 0;
  const f: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    if (method === 'PUT') {
      if (puts >= net.putsBeforeOutage) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
      puts++;
      const body = init?.body;
      if (body instanceof Uint8Array) {
        net.putBytes += body.byteLength;
        if (net.corruptNextPut) {
          net.corruptNextPut = false;
          const damaged = Uint8Array.from(body);
          damaged[0] = (damaged[0] ?? 0) ^ 0xff;
          init = { ...init, body: damaged };
        }
      }
    }
    log.push(`${method} ${url.pathname}`);
    return fetch(input, init);
  };
  return { fetch: f, log, net };
}

describe('photos upload to the WMS before the events that name them', () => {
  let dir: string;
  let wms: DemoWms;
  let db: Db;
  let photo: Buffer;
  let sha: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sync-blobs-'));
    wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: TOKEN });
    db = openDatabase(join(dir, 'station.sqlite'));
    // 2.5 chunks: a resume is visible in bytes.
    photo = randomBytes(2 * MB + MB / 2);
    sha = createHash('sha256').update(photo).digest('hex');
    const at = join(dir, 'station-data', 'blobs', sha.slice(0, 2));
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, sha.slice(2)), photo);
  });

  afterEach(async () => {
    db.close();
    await wms.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const engineFor = (url: string, f: typeof fetch) =>
    createSyncEngine({
      db,
      client: createWmsClient({ baseUrl: url, token: TOKEN, timeoutMs: 5000 }),
      blobs: { client: createWmsClient({ baseUrl: url, token: TOKEN, timeoutMs: 5000, fetch: f }), read: blobFileReader(join(dir, 'station-data')) },
      stationId: 'BENCH-T',
      intervalMs: 60_000,
      batchSize: 10,
      pull: false,
      backoffBaseMs: 1,
      backoffCapMs: 1,
    });

  const gradedWithPhoto = (parcelId: string, photos: string[]): WmsEventBody => {
    const e = itemGraded(parcelId, 1);
    if (e.type !== 'item.graded') throw new Error('helper changed');
    return { type: 'item.graded', payload: { ...e.payload, photos } };
  };

  const appendParcel = (parcelId: string, photos: string[] = [sha]): void => {
    db.transaction(() => {
      appendEvent(db, 'parcel', parcelId, parcelReceived(parcelId));
      appendEvent(db, 'parcel', parcelId, gradedWithPhoto(parcelId, photos));
    })();
  };

  it('uploads the photo in chunks, then the event; the WMS holds the same bytes', async () => {
    const t = trackedFetch();
    appendParcel('P-1');
    const st = await engineFor(wms.url, t.fetch).flushNow();
    expect(st).toMatchObject({ online: true, pending: 0, deadLetters: 0 });
    expect(wms.blob(sha)).toMatchObject({ complete: true, length: photo.length, bytesReceived: photo.length, mismatches: 0 });
    expect(wms.blobBytes(sha)?.equals(photo)).toBe(true);
    expect(wms.stats()).toMatchObject({ applied: 2, duplicated: 0, outOfOrder: 0 });
    expect(wms.eventsWithMissingBlobs()).toBe(0);
    expect(t.log).toEqual([`HEAD ${wmsBlobPath(sha)}`, ...Array(3).fill(`PUT ${wmsBlobPath(sha)}`)]);

    // The same photo on another item: one HEAD, no bytes.
    appendParcel('P-2');
    t.log.length = 0;
    const again = await engineFor(wms.url, t.fetch).flushNow();
    expect(again.pending).toBe(0);
    expect(t.log).toEqual([`HEAD ${wmsBlobPath(sha)}`]);
    expect(wms.blob(sha)?.bytesReceived).toBe(photo.length);
  });

  it('resumes an interrupted upload from the WMS offset after both sides restart, and holds the event until then', async () => {
    const t = trackedFetch();
    t.net.putsBeforeOutage = 1;
    appendParcel('P-1');
    const cut = await engineFor(wms.url, t.fetch).flushNow();
    expect(cut.online).toBe(false);
    expect(cut.pending).toBe(1);
    expect(cut.lastError).toMatch(/Cannot reach the WMS/);
    // The parcel event before it went; the graded event waits for its photo.
    expect(wms.stats().applied).toBe(1);
    expect(wms.blob(sha)).toMatchObject({ complete: false, bytesReceived: MB });
    expect(listDeadLetters(db)).toHaveLength(0);

    // Restart the WMS on the same files and port, and the station's engine (nothing kept in memory).
    const port = wms.port;
    await wms.close();
    wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: TOKEN, port });
    const t2 = trackedFetch();
    const engine = engineFor(wms.url, t2.fetch);
    // fetch's pool may still hold a connection to the WMS that just went away: one retryable failure, no bytes lost.
    let st = await engine.flushNow();
    for (let i = 0; i < 2 && !st.online; i++) st = await engine.flushNow();
    expect(st).toMatchObject({ online: true, pending: 0, deadLetters: 0 });
    expect(t2.net.putBytes).toBe(photo.length - MB);
    expect(wms.blob(sha)).toMatchObject({ complete: true, bytesReceived: photo.length });
    expect(wms.blobBytes(sha)?.equals(photo)).toBe(true);
    expect(wms.stats()).toMatchObject({ applied: 2, duplicated: 0, outOfOrder: 0 });
    expect(wms.eventsWithMissingBlobs()).toBe(0);
  });

  it('refuses a blob damaged on the way (hash mismatch) and takes the upload sent again', async () => {
    const t = trackedFetch();
    t.net.corruptNextPut = true;
    appendParcel('P-1');
    const st = await engineFor(wms.url, t.fetch).flushNow();
    expect(st).toMatchObject({ online: true, pending: 0, deadLetters: 0 });
    expect(wms.blob(sha)).toMatchObject({ complete: true, mismatches: 1, bytesReceived: 2 * photo.length });
    expect(wms.blobBytes(sha)?.equals(photo)).toBe(true);
    expect(wms.stats().applied).toBe(2);
    expect(wms.eventsWithMissingBlobs()).toBe(0);
  });

  it('keeps photo and event while the WMS is down and delivers each exactly once when it is back', async () => {
    const t = trackedFetch();
    const engine = engineFor(wms.url, t.fetch);
    wms.setFaults({ down: true });
    appendParcel('P-1');
    const down = await engine.flushNow();
    expect(down).toMatchObject({ online: false, pending: 2, deadLetters: 0 });
    expect(wms.blob(sha)).toBeNull();

    wms.setFaults({ down: false });
    const up = await engine.flushNow();
    expect(up).toMatchObject({ online: true, pending: 0, deadLetters: 0 });
    await engine.flushNow();
    expect(wms.blob(sha)).toMatchObject({ complete: true, bytesReceived: photo.length });
    expect(wms.stats()).toMatchObject({ applied: 2, distinctKeys: 2, duplicated: 0, outOfOrder: 0 });
    expect(wms.eventsWithMissingBlobs()).toBe(0);
  });

  it('dead-letters an event whose photo this station no longer has, with the reason', async () => {
    const lost = 'ab'.repeat(32);
    appendParcel('P-1', [lost]);
    const st = await engineFor(wms.url, trackedFetch().fetch).flushNow();
    expect(st).toMatchObject({ online: true, pending: 0, deadLetters: 1 });
    expect(listDeadLetters(db)[0]?.lastError).toMatch(/missing at this station/);
    expect(wms.stats().applied).toBe(1);
  });

  describe('the blob endpoint', () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const put = (start: number, body: Buffer, total = photo.length) =>
      fetch(wms.url + wmsBlobPath(sha), { method: 'PUT', headers: { ...auth, 'content-range': `bytes ${start}-${start + body.length - 1}/${total}` }, body });

    it('answers 404 for an unknown blob, 409 with the offset for a gap, and treats a repeat of a complete blob as a no-op', async () => {
      expect((await fetch(wms.url + wmsBlobPath(sha), { method: 'HEAD', headers: auth })).status).toBe(404);
      expect((await put(0, photo.subarray(0, MB))).status).toBe(200);
      const head = await fetch(wms.url + wmsBlobPath(sha), { method: 'HEAD', headers: auth });
      expect([head.status, head.headers.get('upload-offset'), head.headers.get('upload-length')]).toEqual([200, String(MB), String(photo.length)]);
      const gap = await put(2 * MB, photo.subarray(2 * MB));
      expect([gap.status, gap.headers.get('upload-offset')]).toEqual([409, String(MB)]);
      expect((await put(MB, photo.subarray(MB, 2 * MB))).status).toBe(200);
      const last = await put(2 * MB, photo.subarray(2 * MB));
      expect(await last.json()).toEqual({ sha256: sha, offset: photo.length, length: photo.length, complete: true });
      const repeat = await put(0, photo.subarray(0, MB));
      expect(await repeat.json()).toMatchObject({ complete: true });
      expect(wms.blob(sha)?.bytesReceived).toBe(photo.length);
    });

    it('refuses chunks over the limit, a bad Content-Range and a missing token', async () => {
      expect((await put(0, Buffer.alloc(MB + 1), 2 * MB + 1)).status).toBe(400);
      const noRange = await fetch(wms.url + wmsBlobPath(sha), { method: 'PUT', headers: auth, body: photo.subarray(0, 10) });
      expect(noRange.status).toBe(400);
      expect((await fetch(wms.url + wmsBlobPath(sha), { method: 'HEAD' })).status).toBe(401);
      expect((await fetch(wms.url + wmsBlobPath('XYZ'), { method: 'HEAD', headers: auth })).status).toBe(400);
    });
  });
});
