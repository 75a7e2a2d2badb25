import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { customerPhotosOf } from '../../db/repositories/customerPhotos.js';
import { createSyncEngine } from '../../core/sync/syncEngine.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { PhotoService, storeFetchedPhoto } from '../../core/workflow/photos.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { makeProducts, makeRmas } from './sync-helpers.js';

const TOKEN = 'test-token-customer-photos';

function png(): Buffer {
  const image = new PNG({ width: 32, height: 32 });
  image.data.fill(200);
  return PNG.sync.write(image);
}

describe("customer's declaration photos", () => {
  let dir: string;
  let wms: DemoWms;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'customer-photos-'));
    wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: TOKEN, seed: { products: makeProducts(5), rmas: [] } });
    db = openDatabase(join(dir, 'station.sqlite'));
  });

  afterEach(async () => {
    db.close();
    await wms.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches them after the pull; one missing on the WMS and one not an image get their own status and stop nothing', async () => {
    const good = wms.putBlob(png());
    const notImage = wms.putBlob(Buffer.from('this is a text file, not a photo'));
    const missing = 'f'.repeat(64);
    const [rma] = makeRmas(1, '2025-03-01T00:00:00.000Z');
    wms.upsertRma({ ...rma!, declaration: { condition: 'unused_with_tags', complete: true, text: '', photos: [good, missing, notImage] } });

    const client = createWmsClient({ baseUrl: wms.url, token: TOKEN, timeoutMs: 2000 });
    const dataDir = join(dir, 'data');
    const engine = createSyncEngine({
      db,
      client,
      stationId: 'BENCH-T',
      intervalMs: 60_000,
      batchSize: 5,
      wmsIsDemo: true,
      customerPhotos: { getBlob: async (sha) => (await client.getBlob?.(sha)) ?? null, store: (sha, bytes) => storeFetchedPhoto(dataDir, sha, Buffer.from(bytes)) },
    });
    const status = await engine.flushNow();
    expect(status.online).toBe(true);
    expect(status.lastError).toBeNull();

    const photos = customerPhotosOf(db, rma!.rmaNumber);
    expect(photos.map((p) => [p.sha256, p.status])).toEqual([
      [good, 'stored'],
      [missing, 'failed'],
      [notImage, 'not_image'],
    ]);
    expect(photos[1]?.lastError).toMatch(/does not have/);
    // The stored one is served like a bench photo; the others are not.
    const service = new PhotoService({ db, dataDir });
    expect(service.get(good).mime).toBe('image/png');
    expect(() => service.get(notImage)).toThrow(/not stored/);

    // A photo that was not an image is not fetched again; a failed one is retried on the next cycle.
    await engine.flushNow();
    const again = db.prepare('SELECT sha256, attempts FROM customer_photos ORDER BY sha256').all() as { sha256: string; attempts: number }[];
    expect(Object.fromEntries(again.map((r) => [r.sha256, r.attempts]))).toEqual({ [good]: 1, [notImage]: 1, [missing]: 2 });
  });
});
