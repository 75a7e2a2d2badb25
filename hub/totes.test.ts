// Issue 17 at the site hub: the hub keeps the site's copy of the WMS's inbound manifests and serves it to its
// benches by the same cursor API, and relays the benches' tote events like any other.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBatchResult, ManifestPage, ProductPage, RmaPage, SITE_PATHS, SiteToteReceived, type InboundManifest, type WmsEvent } from '../contract/index.js';
import { generateDemoData } from '../fixtures/demo-data/generate.js';
import { demoTotes } from '../fixtures/demo-data/manifests.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { HUB_PATHS, type BenchCredential } from './protocol.js';
import { startHub, type Hub } from './server.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

const data = generateDemoData({ seed: 42, rmas: 200, now: '2026-11-01T00:00:00.000Z' });
const totes = demoTotes(data);
/** The WMS's cursor order: updatedAt, then tote id, both byte-wise. */
const inCursorOrder = [...totes.map((t) => t.manifest)].sort((a, b) => (a.updatedAt === b.updatedAt ? (a.toteId < b.toteId ? -1 : 1) : a.updatedAt < b.updatedAt ? -1 : 1));

let pgServer: TestPostgres;
let wms: DemoWms;
let hub: Hub;
let dir: string;
let bench: BenchCredential;

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(hub.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

/** Every row of a resource the hub serves, page by page as a bench pulls them (each page checked by `page`). */
async function pullPages<T>(resource: string, token: string, limit: number, page: (json: unknown) => { items: T[]; next: { updatedSince: string; afterId: string } | null }): Promise<{ pages: number; items: T[] }> {
  const items: T[] = [];
  let pages = 0;
  let path = `/api/v1/${resource}?limit=${limit}`;
  for (;;) {
    const r = await call('GET', path, token);
    expect(r.status).toBe(200);
    const p = page(r.json);
    pages++;
    items.push(...p.items);
    if (!p.next) return { pages, items };
    path = `/api/v1/${resource}?limit=${limit}&updated_since=${encodeURIComponent(p.next.updatedSince)}&after_id=${encodeURIComponent(p.next.afterId)}`;
  }
}

/** Every manifest the hub serves. */
const pullAll = (token: string, limit: number) => pullPages('inbound-manifests', token, limit, (json) => ManifestPage.parse(json));

/** How many rows of a reference resource the hub serves to a bench. */
const countAll = async (resource: 'products' | 'rmas', token: string): Promise<number> =>
  (await pullPages<unknown>(resource, token, 500, (json) => (resource === 'products' ? ProductPage : RmaPage).parse(json))).items.length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-totes-'));
  pgServer = await startTestPostgres();
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-hub-totes', seed: { products: data.products, rmas: data.rmas, manifests: totes.map((t) => t.manifest) } });
  hub = await startHub({
    siteId: 'SITE-TOTES',
    databaseUrl: pgServer.url,
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    log: () => undefined,
  });
  const code = await call('POST', HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-T' });
  bench = (await call('POST', HUB_PATHS.enrol, null, { code: (code.json as { code: string }).code })).json as BenchCredential;
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await wms?.close();
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('site hub: inbound manifests', () => {
  it('pulls every manifest once and serves them by the WMS cursor to enrolled benches, also while the WMS is down', async () => {
    expect(totes.length).toBeGreaterThan(3);
    // The hub pulled everything as it started; a pull asked for now runs after that one and finds nothing new.
    expect(await hub.reference.pullNow()).toEqual({ products: 0, rmas: 0, manifests: 0 });
    expect(await countAll('products', bench.token)).toBe(data.products.length);
    expect(await countAll('rmas', bench.token)).toBe(data.rmas.length);
    wms.setFaults({ down: true });
    try {
      const all = await pullAll(bench.token, 2);
      expect(all.pages).toBeGreaterThan(1);
      expect(all.items).toEqual(inCursorOrder);
    } finally {
      wms.setFaults({ down: false });
    }
    expect((await call('GET', '/api/v1/inbound-manifests?limit=2', null)).status).toBe(401);
    expect((await call('GET', '/api/v1/inbound-manifests?limit=2', 'rsb_made-up')).status).toBe(401);
  });

  it('pulls a changed manifest again, and only it', async () => {
    const first = totes[0]!.manifest;
    const changed: InboundManifest = { ...first, originName: '渋谷店（再送）', updatedAt: '2026-11-02T00:00:00.000Z' };
    wms.upsertManifest(changed.toteId, changed.updatedAt, changed);
    expect(await hub.reference.pullNow()).toEqual({ products: 0, rmas: 0, manifests: 1 });
    const all = await pullAll(bench.token, 100);
    expect(all.items).toHaveLength(totes.length);
    expect(all.items.at(-1)).toEqual(changed);
  });

  it('answers a pull asked for while one runs with a pull that starts after it, shared by everyone who asks meanwhile', async () => {
    const running = hub.reference.pullNow();
    const second = totes[2]!.manifest;
    const changed: InboundManifest = { ...second, originName: '新宿店（再送）', updatedAt: '2026-11-02T12:00:00.000Z' };
    wms.upsertManifest(changed.toteId, changed.updatedAt, changed);
    const next = hub.reference.pullNow();
    expect(next).not.toBe(running);
    expect(hub.reference.pullNow()).toBe(next);
    const [a, b] = await Promise.all([running, next]);
    // Whichever read it, the change was pulled once, and the pull asked for after it did not miss it.
    expect(a.manifests + b.manifests).toBe(1);
    expect((await pullAll(bench.token, 100)).items.at(-1)).toEqual(changed);
  });

  it('keeps a page holding a malformed manifest out whole, and its cursor where it was', async () => {
    const before = await pullAll(bench.token, 100);
    const good = totes[1]!.manifest;
    const doubled = { ...good, bags: [...good.bags, good.bags[0]!], updatedAt: '2026-11-03T00:00:00.000Z' };
    wms.upsertManifest(good.toteId, doubled.updatedAt, doubled);
    await expect(hub.reference.pullNow()).rejects.toThrow(/inbound-manifests/);
    expect(hub.reference.lastError()).toMatch(/does not match the contract/);
    expect((await pullAll(bench.token, 100)).items).toEqual(before.items);
    // The WMS sends it right: the same page is asked for again and taken.
    const fixed = { ...good, updatedAt: '2026-11-03T00:00:00.000Z' };
    wms.upsertManifest(good.toteId, fixed.updatedAt, fixed);
    expect(await hub.reference.pullNow()).toEqual({ products: 0, rmas: 0, manifests: 1 });
    expect(hub.reference.lastError()).toBeNull();
    expect((await pullAll(bench.token, 100)).items.at(-1)).toEqual(fixed);
  });
});

describe('site hub: a WMS from before totes', () => {
  it('reads a 404 on the manifest path as no manifests, and still pulls RMAs and products', async () => {
    // Serves one RMA-less, product-less site and nothing else, as a WMS that never heard of manifests.
    const old = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const empty = path === '/api/v1/products' || path === '/api/v1/rmas';
      res.writeHead(empty ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(empty ? { items: [], next: null } : { error: 'not_found', message: `no ${path}` }));
    });
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    const oldHub = await startHub({
      siteId: 'SITE-OLD-WMS',
      databaseUrl: pgServer.url,
      wms: { url: `http://127.0.0.1:${(old.address() as AddressInfo).port}`, token: 'wms-token-old', timeoutMs: 2000 },
      relay: { intervalMs: 60_000 },
      reference: { intervalMs: 60_000 },
      log: () => undefined,
    });
    try {
      expect(await oldHub.reference.pullNow()).toEqual({ products: 0, rmas: 0, manifests: 0 });
      expect(oldHub.reference.lastError()).toBeNull();
    } finally {
      await oldHub.close();
      await new Promise((resolve) => old.close(resolve));
    }
  });
});

describe('site hub: tote events', () => {
  it('accepts tote.opened and tote.closed from a bench and relays each to the WMS once, in order', async () => {
    const tote = totes.find((t) => t.strays.length === 0)!;
    const { toteId } = tote.manifest;
    const at = new Date().toISOString();
    const base = { aggregateType: 'tote' as const, aggregateId: `${toteId}@BENCH-T`, occurredAt: at };
    const events: WmsEvent[] = [
      { ...base, idempotencyKey: randomUUID(), sequence: 1, type: 'tote.opened', payload: { toteId, expectedBags: tote.manifest.bags.map((b) => b.bagCode), operatorId: 'OP-1001', stationId: 'BENCH-T', openedAt: at } },
      {
        ...base,
        idempotencyKey: randomUUID(),
        sequence: 2,
        type: 'tote.closed',
        payload: {
          toteId,
          received: tote.manifest.bags.slice(1).map((b) => ({ bagCode: b.bagCode, rmaNumber: b.rmaNumber, parcelId: null })),
          missing: [{ bagCode: tote.manifest.bags[0]!.bagCode, rmaNumber: tote.manifest.bags[0]!.rmaNumber }],
          strays: [],
          unmanifested: [],
          operatorId: 'OP-1001',
          stationId: 'BENCH-T',
          closedAt: at,
        },
      },
    ];
    const first = await call('POST', '/api/v1/events', bench.token, { stationId: 'BENCH-T', events });
    expect(first.status).toBe(200);
    expect(EventBatchResult.parse(first.json).results.map((a) => a.status)).toEqual(['applied', 'applied']);
    // A bench that never saw the answer sends the batch again: nothing is taken twice.
    const again = await call('POST', '/api/v1/events', bench.token, { stationId: 'BENCH-T', events });
    expect(EventBatchResult.parse(again.json).results.map((a) => a.status)).toEqual(['duplicate', 'duplicate']);
    await hub.relay.drain();
    await hub.relay.drain();
    const atWms = wms.db.prepare("SELECT idempotency_key AS k, aggregate_id AS a, sequence, type, station_id AS s FROM events WHERE aggregate_type = 'tote' ORDER BY seq").all() as {
      k: string;
      a: string;
      sequence: number;
      type: string;
      s: string;
    }[];
    expect(atWms).toEqual(events.map((e) => ({ k: e.idempotencyKey, a: e.aggregateId, sequence: e.sequence, type: e.type, s: 'BENCH-T' })));
    expect(wms.stats()).toMatchObject({ duplicated: 0, outOfOrder: 0 });
    const pending = await hub.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM relay_outbox WHERE state <> 'delivered'");
    expect(pending.rows[0]!.n).toBe(0);
  });
});

describe('site hub: a tote received across benches', () => {
  /** A bench's tote.closed for `toteId`, naming the bags it received. */
  const closedBy = (stationId: string, toteId: string, received: string[], closedAt: string): WmsEvent => ({
    idempotencyKey: randomUUID(),
    aggregateType: 'tote',
    aggregateId: `${toteId}@${stationId}`,
    sequence: 1,
    occurredAt: closedAt,
    type: 'tote.closed',
    payload: { toteId, received: received.map((bagCode) => ({ bagCode, rmaNumber: null, parcelId: null })), missing: [], strays: [], unmanifested: [], operatorId: 'OP-1001', stationId, closedAt },
  });

  it('answers the bags every bench of the site received, with the bench; never another site’s; a bad tote id is a 400', async () => {
    const tote = totes.at(-1)!.manifest;
    const bags = tote.bags.map((b) => b.bagCode);
    expect(bags.length).toBeGreaterThan(2);
    const path = SITE_PATHS.toteReceived.replace(':toteId', tote.toteId);
    // Nothing delivered yet: nothing received.
    expect((await call('GET', path, bench.token)).json).toEqual({ toteId: tote.toteId, bags: [] });

    const r = await call('POST', '/api/v1/events', bench.token, { stationId: 'BENCH-T', events: [closedBy('BENCH-T', tote.toteId, [bags[0]!], '2026-11-05T10:00:00.000Z')] });
    expect(EventBatchResult.parse(r.json).results.map((a) => a.status)).toEqual(['applied']);

    // Another site on the same PostgreSQL, whose bench says it received every bag of the same tote id.
    const other = await startHub({
      siteId: 'SITE-TOTES-OTHER',
      databaseUrl: pgServer.url,
      wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
      relay: { intervalMs: 60_000 },
      reference: { intervalMs: 60_000 },
      log: () => undefined,
    });
    try {
      const code = await fetch(other.url + HUB_PATHS.adminCodes, {
        method: 'POST',
        headers: { authorization: `Bearer ${other.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ stationId: 'BENCH-X' }),
      });
      const enrol = await fetch(other.url + HUB_PATHS.enrol, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: ((await code.json()) as { code: string }).code }) });
      const otherBench = (await enrol.json()) as BenchCredential;
      const sent = await fetch(other.url + '/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${otherBench.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ stationId: 'BENCH-X', events: [closedBy('BENCH-X', tote.toteId, bags, '2026-11-05T09:00:00.000Z')] }),
      });
      expect(EventBatchResult.parse(await sent.json()).results.map((a) => a.status)).toEqual(['applied']);
      const atOther = SiteToteReceived.parse(await (await fetch(other.url + path, { headers: { authorization: `Bearer ${otherBench.token}` } })).json());
      expect(atOther.bags.map((b) => b.stationId)).toEqual(bags.map(() => 'BENCH-X'));
      // This site's bench never sees the other site's bench.
      expect(await call('GET', path, bench.token)).toEqual({ status: 200, json: { toteId: tote.toteId, bags: [{ bagCode: bags[0], stationId: 'BENCH-T', closedAt: '2026-11-05T10:00:00.000Z' }] } });
      // Nor does a credential of the other site open this site's answer.
      expect((await call('GET', path, otherBench.token)).status).toBe(401);
    } finally {
      await other.close();
    }

    for (const bad of ['TOTE-a', 'BAG-12345678', 'TOTE-1%27%20OR%201%3D1', 'x'.repeat(40)]) {
      const answer = await call('GET', SITE_PATHS.toteReceived.replace(':toteId', bad), bench.token);
      expect(answer.status, bad).toBe(400);
    }
    expect((await call('GET', path, null)).status).toBe(401);
  });
});
