// Issue 17: inbound manifests of consolidated totes, pulled by cursor from the demo WMS over HTTP; a malformed
// page is refused with its own sync error and nothing of it is kept, then the fixed page is taken.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { findManifest, getManifestCursor, manifestBags } from '../../db/repositories/totes.js';
import { ManifestPageError, pullManifests } from '../../core/sync/manifestPull.js';
import { createSyncEngine, syncErrorKey } from '../../core/sync/syncEngine.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { demoTotes } from '../../fixtures/demo-data/manifests.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';

const TOKEN = 'test-token-manifests';
const data = generateDemoData({ seed: 42, rmas: 200, now: '2026-11-01T00:00:00.000Z' });
const manifests = demoTotes(data).map((t) => t.manifest);

describe('inbound manifests from the WMS', () => {
  let dir: string;
  let wms: DemoWms;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sync-manifests-'));
    wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: TOKEN, seed: { products: data.products, rmas: data.rmas, manifests } });
    db = openDatabase(join(dir, 'station.sqlite'));
  });

  afterEach(async () => {
    db.close();
    await wms.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => createWmsClient({ baseUrl: wms.url, token: TOKEN, timeoutMs: 2000 });
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('are pulled by cursor in pages with the sync cycle, after the RMAs, and only changes next time', async () => {
    const engine = createSyncEngine({ db, client: client(), stationId: 'BENCH-T', intervalMs: 60_000, batchSize: 5, wmsIsDemo: true });
    const st = await engine.flushNow();
    expect(st.lastError).toBeNull();
    expect(count('inbound_manifests')).toBe(manifests.length);
    expect(count('manifest_bags')).toBe(manifests.reduce((n, m) => n + m.bags.length, 0));
    const first = manifests[0]!;
    expect(findManifest(db, first.toteId)).toMatchObject({ origin: first.origin, originName: first.originName, container: first.container });
    expect(manifestBags(db, first.toteId).map((b) => [b.bagCode, b.rmaNumber, b.rmaKnown])).toEqual(first.bags.map((b) => [b.bagCode, b.rmaNumber, true]));

    // The WMS moves a bag to a new manifest: the bench follows, and pulls only that manifest.
    const moved = first.bags[0]!;
    const later = { ...first, toteId: 'TOTE-X0001', bags: [moved, ...manifests[1]!.bags.slice(0, 4)], updatedAt: '2030-01-01T00:00:00.000Z' };
    wms.upsertManifest(later.toteId, later.updatedAt, later);
    expect(await pullManifests(db, client(), 3)).toBe(1);
    expect(manifestBags(db, 'TOTE-X0001')).toHaveLength(5);
    expect(manifestBags(db, first.toteId).map((b) => b.bagCode)).not.toContain(moved.bagCode);
    expect(getManifestCursor(db)).toEqual({ updatedSince: later.updatedAt, afterId: later.toteId });
  });

  it('a malformed page is refused with a clear sync error; nothing of it is kept and the next pull takes the fixed page', async () => {
    await pullManifests(db, client(), 4);
    const before = getManifestCursor(db);
    const held = count('manifest_bags');
    const good = { ...manifests[0]!, toteId: 'TOTE-Y0001', bags: [{ bagCode: 'BAG-7000000001', rmaNumber: data.rmas[0]!.rmaNumber }], updatedAt: '2030-01-01T00:00:00.000Z' };
    // Same page as a good manifest: a bag without its RMA number.
    wms.upsertManifest(good.toteId, good.updatedAt, good);
    wms.upsertManifest('TOTE-Y0002', '2030-01-01T00:00:01.000Z', { ...good, toteId: 'TOTE-Y0002', bags: [{ bagCode: 'BAG-7000000002' }], updatedAt: '2030-01-01T00:00:01.000Z' });

    const err = await pullManifests(db, client(), 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManifestPageError);
    expect(syncErrorKey(err, wms.url)).toEqual({ key: 'sync.error.manifestMalformed', params: { detail: expect.stringContaining('bags.0.rmaNumber') } });
    expect(getManifestCursor(db)).toEqual(before);
    expect(count('manifest_bags')).toBe(held);
    expect(findManifest(db, 'TOTE-Y0001')).toBeUndefined();

    // The sync bar says so in the operator's language; events and earlier data stay.
    const engine = createSyncEngine({ db, client: client(), stationId: 'BENCH-T', intervalMs: 60_000, batchSize: 5, wmsIsDemo: true });
    const st = await engine.flushNow();
    expect(st.lastErrorKey).toBe('sync.error.manifestMalformed');
    expect(st.lastError).toMatch(/tote manifest/);
    expect(count('rmas')).toBe(data.rmas.length);

    wms.upsertManifest('TOTE-Y0002', '2030-01-01T00:00:01.000Z', { ...good, toteId: 'TOTE-Y0002', bags: [{ bagCode: 'BAG-7000000002', rmaNumber: 'RMA-99000002' }], updatedAt: '2030-01-01T00:00:01.000Z' });
    expect((await engine.flushNow()).lastErrorKey).toBeNull();
    expect(findManifest(db, 'TOTE-Y0001')).toBeDefined();
    expect(manifestBags(db, 'TOTE-Y0002')).toEqual([expect.objectContaining({ bagCode: 'BAG-7000000002', rmaKnown: false })]);
  });

  it('a WMS or hub that offers no manifests (404) is not a sync error', async () => {
    const server: Server = createServer((req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no such endpoint: ${req.url ?? ''}` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await pullManifests(db, createWmsClient({ baseUrl: url, token: TOKEN, timeoutMs: 2000 }))).toBe(0);
      expect(count('inbound_manifests')).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
