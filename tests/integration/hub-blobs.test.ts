// Customers' declaration photos through the site hub: the bench's blob client (core/sync/wmsClient.ts getBlob,
// used by the customer-photo fetch after each pull) asks its hub, which serves a photo it holds itself and
// fetches any other from the WMS.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmsBlobPath } from '../../contract/index.js';
import { createWmsClient, WmsError, type WmsBlobClient } from '../../core/sync/wmsClient.js';
import { demoCustomerPhotos } from '../../fixtures/demo-data/customerPhotos.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { BenchCredential, EnrolmentCode, HUB_PATHS } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';

let dir: string;
let wms: DemoWms;
let hub: Hub;
let client: Required<WmsBlobClient>;
const photos = demoCustomerPhotos();

async function post(url: string, token: string | null, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-blobs-'));
  chmodSync(dir, 0o755);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-blobs', seed: { products: [], rmas: [], blobs: photos.map((p) => p.bytes) } });
  hub = await startHub({ siteId: 'SITE-B', dataDir: join(dir, 'hub'), wms: { url: wms.url, token: wms.token, timeoutMs: 2000 }, relay: { intervalMs: 60_000 }, log: () => undefined });
  const { code } = EnrolmentCode.parse(await post(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-B1' }));
  const cred = BenchCredential.parse(await post(hub.url + HUB_PATHS.enrol, null, { code }));
  client = createWmsClient({ baseUrl: hub.url, token: cred.token, timeoutMs: 5000 }) as Required<WmsBlobClient>;
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('photos through the site hub', () => {
  it("passes a customer's photo on from the WMS, byte for byte", async () => {
    const photo = photos[0]!;
    const bytes = await client.getBlob(photo.sha256);
    expect(bytes).not.toBeNull();
    expect(createHash('sha256').update(bytes!).digest('hex')).toBe(photo.sha256);
  });

  it('answers a photo nobody has as absent', async () => {
    expect(await client.getBlob('0'.repeat(64))).toBeNull();
  });

  it('is refused without a bench credential', async () => {
    const res = await fetch(hub.url + wmsBlobPath(photos[0]!.sha256));
    expect(res.status).toBe(401);
  });

  it('serves a photo a bench uploaded from its own copy, even while the WMS is down', async () => {
    const bytes = randomBytes(3000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await client.putBlobChunk(sha, 0, bytes.length, bytes)).toMatchObject({ complete: true });
    wms.setFaults({ down: true });
    try {
      expect(Buffer.from((await client.getBlob(sha))!).equals(bytes)).toBe(true);
      // One the hub does not hold needs the WMS: a retryable refusal with the hub's key, not "no such photo".
      const err = await client.getBlob(photos[1]!.sha256).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WmsError);
      expect((err as WmsError).retryable).toBe(true);
      expect((err as WmsError).status).toBe(503);
    } finally {
      wms.setFaults({ down: false });
    }
  });
});
