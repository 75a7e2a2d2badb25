import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rma } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { appendEvent, listDeadLetters } from '../../db/repositories/outbox.js';
import { getLocalRma, listOpenRmaConflicts } from '../../db/repositories/referenceData.js';
import { lookupRmasForBlindReturn } from '../../core/sync/rmaLookup.js';
import { createSyncEngine } from '../../core/sync/syncEngine.js';
import { createWmsClient, WmsError } from '../../core/sync/wmsClient.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { itemGraded, makeProducts, makeRmas, parcelReceived } from './sync-helpers.js';
import { indexQueuedRmas } from '../../core/workflow/searchIndex.js';
import { rmasByTermPrefix } from '../../db/repositories/rmaSearch.js';
import { normalizePhone } from '../../domain/text/normalize.js';

const TOKEN = 'test-token-basic';

describe('sync with the demo WMS over HTTP', () => {
  let dir: string;
  let wms: DemoWms;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sync-basic-'));
    wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: TOKEN, seed: { products: makeProducts(30), rmas: makeRmas(40) } });
    db = openDatabase(join(dir, 'station.sqlite'));
  });

  afterEach(async () => {
    db.close();
    await wms.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const engineFor = (url: string, token = TOKEN) =>
    createSyncEngine({ db, client: createWmsClient({ baseUrl: url, token, timeoutMs: 2000 }), stationId: 'BENCH-T', intervalMs: 60_000, batchSize: 5, pageSize: 7, wmsIsDemo: true });

  const appendParcel = (parcelId: string, items: number): void => {
    db.transaction(() => {
      appendEvent(db, 'parcel', parcelId, parcelReceived(parcelId));
      for (let k = 1; k <= items; k++) appendEvent(db, 'parcel', parcelId, itemGraded(parcelId, k));
    })();
  };

  it('pulls products and RMAs by cursor in pages, and pulls only changes next time', async () => {
    const engine = engineFor(wms.url);
    const st = await engine.flushNow();
    expect(st.online).toBe(true);
    expect(st.lastError).toBeNull();
    expect((db.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number }).n).toBe(30);
    expect((db.prepare('SELECT COUNT(*) AS n FROM rmas').get() as { n: number }).n).toBe(40);
    expect((db.prepare('SELECT COUNT(*) AS n FROM rma_lines').get() as { n: number }).n).toBe(80);

    const changed = { ...makeRmas(1)[0]!, customerName: '佐藤 花子', updatedAt: '2025-02-01T00:00:00.000Z' };
    wms.upsertRma(changed);
    await engine.flushNow();
    expect(getLocalRma(db, changed.rmaNumber)?.customerName).toBe('佐藤 花子');
    expect(db.prepare("SELECT updated_since AS u, after_id AS a FROM sync_cursors WHERE resource = 'rmas'").get()).toEqual({ u: changed.updatedAt, a: changed.rmaNumber });
  });

  it('pulls the return channel and the customer declaration, and reads an older WMS payload without a channel as home pickup', async () => {
    const [first, second] = makeRmas(2, '2025-03-01T00:00:00.000Z');
    const declaration = { condition: 'unused_with_tags' as const, complete: true, text: '未使用です', photos: ['c'.repeat(64)] };
    wms.upsertRma({ ...first!, returnChannel: 'depot_locker', declaration });
    // What a WMS from before issue 17 sends: no channel at all.
    const { returnChannel: _none, ...older } = second!;
    wms.upsertRma(older as Rma);
    await engineFor(wms.url).flushNow();
    expect(getLocalRma(db, first!.rmaNumber)).toMatchObject({ returnChannel: 'depot_locker', declaration });
    expect(getLocalRma(db, second!.rmaNumber)?.returnChannel).toBe('home_pickup');
  });

  it('delivers appended events exactly once, in per-aggregate order', async () => {
    const engine = engineFor(wms.url);
    for (let p = 0; p < 4; p++) appendParcel(`P-${p}`, 3);
    const st = await engine.flushNow();
    expect(st.pending).toBe(0);
    expect(st.deadLetters).toBe(0);
    const s = wms.stats();
    expect(s).toMatchObject({ applied: 16, distinctKeys: 16, duplicated: 0, outOfOrder: 0 });
    const order = wms.db.prepare("SELECT sequence FROM events WHERE aggregate_id = 'P-2' ORDER BY seq").all() as { sequence: number }[];
    expect(order.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    await engine.flushNow();
    expect(wms.stats().applied).toBe(16);
  });

  it('keeps events pending while the WMS is down, says so plainly, and delivers all when it is back', async () => {
    const engine = engineFor(wms.url);
    appendParcel('P-A', 2);
    await engine.flushNow();
    const { port } = wms;
    const dbFile = join(dir, 'wms.sqlite');
    await wms.close();

    appendParcel('P-B', 4);
    appendParcel('P-A', 0);
    const down = await engine.flushNow();
    expect(down.online).toBe(false);
    expect(down.pending).toBe(6);
    expect(down.lastError).toMatch(/Cannot reach the WMS/);
    expect(down.oldestPendingAgeSec).not.toBeNull();

    wms = await startDemoWms({ dbFile, port, token: TOKEN });
    const up = await engine.flushNow();
    expect(up).toMatchObject({ online: true, pending: 0, deadLetters: 0, lastError: null });
    expect(wms.stats()).toMatchObject({ applied: 9, duplicated: 0, outOfOrder: 0 });
    const a = wms.db.prepare("SELECT sequence FROM events WHERE aggregate_id = 'P-A' ORDER BY seq").all() as { sequence: number }[];
    expect(a.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
  });

  it('flags an RMA the WMS changes while its parcel is open instead of overwriting it', async () => {
    const engine = engineFor(wms.url);
    await engine.flushNow();
    const rma = makeRmas(1)[0]!;
    db.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES ('op-1', 'B1', 'Op', 'staff', 'x')").run();
    db.prepare(
      "INSERT INTO parcels (id, rma_number, scanned_code, status, operator_id, station_id, received_at) VALUES ('PAR-1', ?, 'x', 'open', 'op-1', 'BENCH-T', '2025-01-02T00:00:00Z')",
    ).run(rma.rmaNumber);
    wms.upsertRma({ ...rma, status: 'cancelled', lines: [{ ...rma.lines[0]!, qty: 3 }], updatedAt: '2025-03-01T00:00:00.000Z' });
    await engine.flushNow();
    const local = getLocalRma(db, rma.rmaNumber)!;
    expect(local.status).toBe('open');
    expect(local.lines).toHaveLength(2);
    const conflicts = listOpenRmaConflicts(db);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ rmaNumber: rma.rmaNumber, parcelId: 'PAR-1', kind: 'cancelled' });
  });

  it('reports a refused token in plain words and sends nothing', async () => {
    const engine = engineFor(wms.url, 'wrong-token');
    appendParcel('P-X', 1);
    const st = await engine.flushNow();
    expect(st.online).toBe(false);
    expect(st.lastError).toMatch(/refused this station's access token/);
    expect(st.pending).toBe(2);
    expect(listDeadLetters(db)).toHaveLength(0);
    expect(wms.stats().applied).toBe(0);
  });

  it('answers 401 without a token and 400 with a JSON error for a body that breaks the contract', async () => {
    const noAuth = await fetch(`${wms.url}/api/v1/health`);
    expect(noAuth.status).toBe(401);
    const bad = await fetch(`${wms.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stationId: 'X', events: [{ idempotencyKey: 'not-a-uuid' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/contract/);
    const overLimit = await fetch(`${wms.url}/api/v1/products?limit=5000`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(overLimit.status).toBe(400);
  });

  it('looks up RMAs online for blind returns by order number, phone or name', async () => {
    const client = createWmsClient({ baseUrl: wms.url, token: TOKEN });
    expect((await client.lookupRmas('ORD-000007')).items.map((r) => r.rmaNumber)).toEqual(['RMA-000007']);
    expect((await client.lookupRmas('09012340012')).items.map((r) => r.rmaNumber)).toEqual(['RMA-000012']);
    expect((await client.lookupRmas('山田 3')).items.map((r) => r.rmaNumber)).toContain('RMA-000003');
    await expect(client.lookupRmas('x')).rejects.toMatchObject({ kind: 'http', status: 400, retryable: false });
  });

  it('looks up online when the WMS answers and falls back to the local copy when it does not', async () => {
    const client = createWmsClient({ baseUrl: wms.url, token: TOKEN, timeoutMs: 2000 });
    const online = await lookupRmasForBlindReturn(db, client, 'ORD-000021');
    expect(online.source).toBe('wms');
    expect(online.rmas.map((r) => r.rmaNumber)).toEqual(['RMA-000021']);
    // What the WMS returned is now local: with the WMS down the lookup adds nothing, and the station's own
    // search (through its index, which the stored RMA was queued for) finds it.
    wms.setFaults({ down: true });
    const local = await lookupRmasForBlindReturn(db, client, '090-1234-0021');
    expect(local.source).toBe('local');
    expect(local.fallbackReason).toMatch(/WMS lookup unavailable/);
    expect(local.rmas).toEqual([]);
    indexQueuedRmas(db, 1_000);
    expect(rmasByTermPrefix(db, 'phone', normalizePhone('090-1234-0021'), 5).map((m) => m.rmaNumber)).toContain('RMA-000021');
  });

  it('switches faults through the admin endpoint, validating the body', async () => {
    const post = (body: unknown) =>
      fetch(`${wms.url}/__admin/faults`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
    expect((await post({ failRate: 2 })).status).toBe(400);
    expect(await (await post({ failRate: 1, retryAfterSec: 7 })).json()).toMatchObject({ failRate: 1, retryAfterSec: 7, down: false });
    const client = createWmsClient({ baseUrl: wms.url, token: TOKEN });
    await expect(client.health()).rejects.toMatchObject({ kind: 'http', status: 503, retryable: true, retryAfterMs: 7000 });
    await post({ failRate: 0, down: true });
    await expect(client.health()).rejects.toMatchObject({ kind: 'network', retryable: true });
    await post({ down: false });
    expect(await client.health()).toEqual({ status: 'ok', demo: true, version: 'demo-wms/1' });
  });

  it('applies a partial fault patch to the fields it names only', async () => {
    const post = async (body: unknown): Promise<unknown> =>
      (await fetch(`${wms.url}/__admin/faults`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) })).json();
    try {
      await post({ failRate: 0.25, retryAfterSec: 3, duplicateRate: 0.5 });
      // Before: `.partial()` of the defaulted schema filled failRate/retryAfterSec/duplicateRate back to 0.
      expect(await post({ slowMs: 5 })).toEqual({ down: false, slowMs: 5, failRate: 0.25, retryAfterSec: 3, dropAfterCommitRate: 0, duplicateRate: 0.5 });
      expect(wms.faults()).toMatchObject({ failRate: 0.25, retryAfterSec: 3, duplicateRate: 0.5, slowMs: 5 });
    } finally {
      await post({ slowMs: 0, failRate: 0, retryAfterSec: 0, duplicateRate: 0 });
    }
  });

  it('turns a malformed WMS answer into a typed, retryable error', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": "nope"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = createWmsClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' });
      const err = await client.products(null, 10).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WmsError);
      expect(err).toMatchObject({ kind: 'malformed', retryable: true });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
