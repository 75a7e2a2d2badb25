import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBatchResult, WmsEvent, WmsEventBody } from '../contract/index.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { itemGraded, makeProducts, makeRmas, parcelReceived } from '../tests/integration/sync-helpers.js';
import { HUB_ERRORS, HUB_PATHS, type BenchCredential } from './protocol.js';
import { startHub, type Hub } from './server.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

let pgServer: TestPostgres;
let wms: DemoWms;
let hub: Hub;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-test-'));
  pgServer = await startTestPostgres();
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-hub', seed: { products: makeProducts(5), rmas: makeRmas(5) } });
  hub = await startHub({
    siteId: 'SITE-T',
    databaseUrl: pgServer.url,
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    log: () => undefined,
  });
});
afterAll(async () => {
  await hub?.close();
  await wms?.close();
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(hub.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // metrics and empty answers are not JSON
  }
  return { status: res.status, json, headers: res.headers };
}

async function enrol(stationId: string): Promise<BenchCredential> {
  const code = await call('POST', HUB_PATHS.adminCodes, hub.adminToken, { stationId });
  expect(code.status).toBe(200);
  const cred = await call('POST', HUB_PATHS.enrol, null, { code: (code.json as { code: string }).code });
  expect(cred.status).toBe(200);
  return cred.json as BenchCredential;
}

const sequences = new Map<string, number>();
function event(aggregateId: string, body: WmsEventBody, aggregateType: WmsEvent['aggregateType'] = 'parcel'): WmsEvent {
  const sequence = (sequences.get(aggregateId) ?? 0) + 1;
  sequences.set(aggregateId, sequence);
  return { idempotencyKey: randomUUID(), aggregateType, aggregateId, sequence, occurredAt: new Date().toISOString(), ...body } as WmsEvent;
}
const forStation = (body: WmsEventBody, stationId: string): WmsEventBody => ({ ...body, payload: { ...body.payload, stationId } }) as WmsEventBody;

async function counts(): Promise<Record<string, number>> {
  const r = await hub.pool.query<{ events: string; relay: string; heads: string; sum: string }>(
    'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM relay_outbox) AS relay, (SELECT count(*) FROM aggregate_heads WHERE last_sequence > 0) AS heads, (SELECT coalesce(sum(last_sequence), 0) FROM aggregate_heads) AS sum',
  );
  const row = r.rows[0]!;
  return { events: Number(row.events), relay: Number(row.relay), heads: Number(row.heads), sum: Number(row.sum) };
}

const post = (cred: BenchCredential, events: WmsEvent[], stationId = cred.stationId) => call('POST', '/api/v1/events', cred.token, { stationId, events });
const acksOf = (r: { json: unknown }) => (r.json as EventBatchResult).results.map((a) => a.status);

describe('site hub: operations', () => {
  it('answers /healthz, /readyz and /metrics in Prometheus text', async () => {
    expect((await call('GET', HUB_PATHS.healthz, null)).status).toBe(200);
    expect(await call('GET', HUB_PATHS.readyz, null)).toMatchObject({ status: 200, json: { status: 'ready' } });
    const m = await call('GET', HUB_PATHS.metrics, null);
    expect(m.headers.get('content-type')).toContain('text/plain');
    for (const name of ['rs_hub_events_accepted_total', 'rs_hub_relay_lag_seconds', 'rs_hub_dead_letters', 'rs_hub_bench_last_contact_seconds']) {
      expect(m.json).toContain(`# TYPE ${name}`);
    }
  });
});

describe('site hub: enrolment', () => {
  it('exchanges a one-time code for a credential, and refuses the code a second time', async () => {
    const code = await call('POST', HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-E' });
    const { code: c } = code.json as { code: string };
    const first = await call('POST', HUB_PATHS.enrol, null, { code: c.toLowerCase() });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ stationId: 'BENCH-E', siteId: 'SITE-T' });
    const stored = await hub.pool.query<{ token_hash: Buffer }>("SELECT token_hash FROM benches WHERE station_id = 'BENCH-E'");
    const token = (first.json as BenchCredential).token;
    expect(stored.rows[0]!.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    expect(await call('POST', HUB_PATHS.enrol, null, { code: c })).toMatchObject({ status: 401, json: { error: HUB_ERRORS.badEnrolmentCode } });
    expect(await call('POST', HUB_PATHS.enrol, null, { code: 'NOT-A-REAL-CODE' })).toMatchObject({ status: 401 });
  });

  it('keeps admin calls to the admin token', async () => {
    const bench = await enrol('BENCH-X');
    expect(await call('POST', HUB_PATHS.adminCodes, bench.token, { stationId: 'BENCH-Y' })).toMatchObject({ status: 401, json: { error: HUB_ERRORS.adminOnly } });
    expect(await call('POST', HUB_PATHS.adminCodes, null, { stationId: 'BENCH-Y' })).toMatchObject({ status: 401 });
  });
});

describe('site hub: ingest over the WMS contract', () => {
  let bench: BenchCredential;
  let other: BenchCredential;
  beforeAll(async () => {
    bench = await enrol('BENCH-T');
    other = await enrol('BENCH-U');
  });

  it('accepts a batch: every accepted event has its relay row', async () => {
    const batch = [event('P-1', parcelReceived('P-1')), event('P-1', itemGraded('P-1', 1)), event('P-1', itemGraded('P-1', 2))];
    const r = await post(bench, batch);
    expect(r.status).toBe(200);
    expect(acksOf(r)).toEqual(['applied', 'applied', 'applied']);
    const rows = await hub.pool.query<{ k: string; r: string | null }>(
      'SELECT e.idempotency_key AS k, o.idempotency_key AS r FROM events e LEFT JOIN relay_outbox o USING (site_id, idempotency_key) WHERE e.aggregate_id = $1',
      ['P-1'],
    );
    expect(rows.rows).toHaveLength(3);
    expect(rows.rows.every((x) => x.r === x.k)).toBe(true);
  });

  it('acknowledges a replayed batch as duplicate and changes nothing', async () => {
    const batch = [event('P-2', parcelReceived('P-2')), event('P-2', itemGraded('P-2', 1))];
    expect(acksOf(await post(bench, batch))).toEqual(['applied', 'applied']);
    const before = await counts();
    const again = await post(bench, batch);
    expect(again.status).toBe(200);
    expect(acksOf(again)).toEqual(['duplicate', 'duplicate']);
    expect(await counts()).toEqual(before);
  });

  it('refuses malformed, non-JSON and oversized bodies with a clear code and changes nothing', async () => {
    const before = await counts();
    const noKey = { stationId: 'BENCH-T', events: [{ ...event('P-3', parcelReceived('P-3')), idempotencyKey: 'not-a-uuid' }] };
    expect(await call('POST', '/api/v1/events', bench.token, noKey)).toMatchObject({ status: 400, json: { error: HUB_ERRORS.malformed } });
    expect(await call('POST', '/api/v1/events', bench.token, { stationId: 'BENCH-T', events: [] })).toMatchObject({ status: 400, json: { error: HUB_ERRORS.malformed } });
    expect(await call('POST', '/api/v1/events', bench.token, '{"stationId": "BENCH-T", "events": [', { 'content-type': 'application/json' })).toMatchObject({
      status: 400,
      json: { error: HUB_ERRORS.malformed },
    });
    const huge = JSON.stringify({ stationId: 'BENCH-T', events: [event('P-3', parcelReceived('P-3'))], pad: 'x'.repeat(9 * 1024 * 1024) });
    expect(await call('POST', '/api/v1/events', bench.token, huge, { 'content-type': 'application/json' })).toMatchObject({ status: 413, json: { error: HUB_ERRORS.tooLarge } });
    expect(await counts()).toEqual(before);
    sequences.delete('P-3');
  });

  it('refuses a batch sent in another bench’s name, and an event naming another station', async () => {
    const before = await counts();
    const asOther = await post(bench, [event('P-4', forStation(parcelReceived('P-4'), 'BENCH-U'))], 'BENCH-U');
    expect(asOther).toMatchObject({ status: 403, json: { error: HUB_ERRORS.foreignBench } });
    expect(await counts()).toEqual(before);
    // BENCH-U's own credential, but the event says it was made at BENCH-T.
    const r = await post(other, [event('P-5', parcelReceived('P-5'))]);
    expect(acksOf(r)).toEqual(['rejected']);
    expect((r.json as EventBatchResult).results[0]!.error).toContain('error.hub.eventOfAnotherBench');
    expect(await counts()).toEqual(before);
    sequences.delete('P-4');
    sequences.delete('P-5');
  });

  it('answers a sequence gap as out of order and keeps nothing of it', async () => {
    const before = await counts();
    event('P-6', parcelReceived('P-6'));
    const second = event('P-6', itemGraded('P-6', 1));
    const r = await post(bench, [second]);
    expect(acksOf(r)).toEqual(['out_of_order']);
    expect((r.json as EventBatchResult).results[0]!.error).toContain('error.hub.sequenceGap');
    expect(await counts()).toEqual(before);
  });

  it('refuses a revoked bench at once', async () => {
    const bench2 = await enrol('BENCH-R');
    const ok = await post(bench2, [event('R-1', forStation(parcelReceived('R-1'), 'BENCH-R'))]);
    expect(acksOf(ok)).toEqual(['applied']);
    expect((await call('POST', HUB_PATHS.adminRevoke.replace(':stationId', 'BENCH-R'), hub.adminToken, {})).status).toBe(200);
    const before = await counts();
    const refused = await post(bench2, [event('R-1', forStation(itemGraded('R-1', 1), 'BENCH-R'))]);
    expect(refused).toMatchObject({ status: 401, json: { error: HUB_ERRORS.unauthenticated } });
    expect((await call('GET', '/api/v1/health', bench2.token)).status).toBe(401);
    expect(await counts()).toEqual(before);
    expect((await call('GET', '/api/v1/health', 'rsb_made-up')).status).toBe(401);
  });

  it('serves RMAs and products from the site copy by the WMS cursor, also while the WMS is down', async () => {
    await hub.reference.pullNow();
    const changed = { ...makeRmas(1)[0]!, customerName: '佐藤 花子', updatedAt: '2025-03-01T00:00:00.000Z' };
    wms.upsertRma(changed);
    expect(await hub.reference.pullNow()).toEqual({ products: 0, rmas: 1, manifests: 0 });
    wms.setFaults({ down: true });
    try {
      const pages: { items: { rmaNumber: string; customerName: string }[]; next: { updatedSince: string; afterId: string } | null }[] = [];
      let path = '/api/v1/rmas?limit=2';
      for (;;) {
        const page = await call('GET', path, bench.token);
        expect(page.status).toBe(200);
        const body = page.json as (typeof pages)[number];
        pages.push(body);
        if (!body.next) break;
        path = `/api/v1/rmas?limit=2&updated_since=${encodeURIComponent(body.next.updatedSince)}&after_id=${encodeURIComponent(body.next.afterId)}`;
      }
      const all = pages.flatMap((p) => p.items);
      expect(all.map((r) => r.rmaNumber)).toEqual(['RMA-000001', 'RMA-000002', 'RMA-000003', 'RMA-000004', 'RMA-000000']);
      expect(all.at(-1)!.customerName).toBe('佐藤 花子');
      const products = await call('GET', '/api/v1/products?limit=10', bench.token);
      expect((products.json as { items: unknown[] }).items).toHaveLength(5);
    } finally {
      wms.setFaults({ down: false });
    }
    expect((await call('GET', '/api/v1/rmas?limit=2', null)).status).toBe(401);
  });
});

describe('site hub: relay to the WMS through the PostgreSQL outbox', () => {
  let t: BenchCredential;
  let u: BenchCredential;
  beforeAll(async () => {
    await hub.relay.drain();
    t = await enrol('BENCH-T');
    u = await enrol('BENCH-U');
  });

  const wmsOrder = (aggregateId: string) =>
    wms.db.prepare('SELECT sequence, station_id AS station, idempotency_key AS key FROM events WHERE aggregate_id = ? ORDER BY seq').all(aggregateId) as { sequence: number; station: string; key: string }[];

  it('delivers each accepted event once, with the bench’s key and station, in order across two benches', async () => {
    const a1 = event('RMA-SHARED', parcelReceived('X-1'), 'rma');
    const a2 = event('RMA-SHARED', forStation(parcelReceived('X-2'), 'BENCH-U'), 'rma');
    const a3 = event('RMA-SHARED', parcelReceived('X-3'), 'rma');
    expect(acksOf(await post(t, [a1]))).toEqual(['applied']);
    expect(acksOf(await post(u, [a2]))).toEqual(['applied']);
    expect(acksOf(await post(t, [a3]))).toEqual(['applied']);
    await hub.relay.drain();
    expect(wmsOrder('RMA-SHARED')).toEqual([
      { sequence: 1, station: 'BENCH-T', key: a1.idempotencyKey },
      { sequence: 2, station: 'BENCH-U', key: a2.idempotencyKey },
      { sequence: 3, station: 'BENCH-T', key: a3.idempotencyKey },
    ]);
    const pending = await hub.pool.query("SELECT count(*)::int AS n FROM relay_outbox WHERE state <> 'delivered'");
    expect(pending.rows[0]).toEqual({ n: 0 });
    expect(wms.stats()).toMatchObject({ duplicated: 0, outOfOrder: 0 });
  });

  it('keeps events while the WMS is down, shows the lag, honours Retry-After, and delivers once when it is back', async () => {
    wms.setFaults({ down: true });
    const batch = [event('P-DOWN', parcelReceived('P-DOWN')), event('P-DOWN', itemGraded('P-DOWN', 1))];
    expect(acksOf(await post(t, batch))).toEqual(['applied', 'applied']);
    await hub.relay.drain();
    expect(hub.relay.stats().lastError).toMatch(/cannot reach the WMS/);
    await new Promise((r) => setTimeout(r, 20));
    const metrics = (await call('GET', HUB_PATHS.metrics, null)).json as string;
    expect(Number(/rs_hub_relay_pending\{[^}]*\} (\S+)/.exec(metrics)?.[1])).toBe(2);
    expect(Number(/rs_hub_relay_lag_seconds\{[^}]*\} (\S+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/rs_hub_relay_wms_reachable\{[^}]*\} 0/);

    wms.setFaults({ down: false, failRate: 1, retryAfterSec: 30 });
    const before = Date.now();
    await hub.relay.drain();
    expect(hub.relay.stats().backoffUntil).toBeGreaterThanOrEqual(before + 29_000);
    wms.setFaults({ failRate: 0, retryAfterSec: 0 });
    await hub.relay.drain();
    expect(wmsOrder('P-DOWN').map((e) => e.key)).toEqual(batch.map((e) => e.idempotencyKey));
    expect(wms.stats()).toMatchObject({ duplicated: 0, outOfOrder: 0 });
  });

  it('dead-letters an event the WMS rejects and holds the rest of its aggregate behind it', async () => {
    // The WMS already holds sequence 1 of D-1 under another key, so it rejects the hub's.
    const { applyEvents } = await import('../fixtures/demo-wms/store.js');
    applyEvents(wms.db, 'BENCH-Z', [{ ...event('D-1', parcelReceived('D-1')), idempotencyKey: randomUUID() }]);
    sequences.delete('D-1');
    expect(acksOf(await post(t, [event('D-1', parcelReceived('D-1'))]))).toEqual(['applied']);
    await hub.relay.drain();
    expect(acksOf(await post(t, [event('D-1', itemGraded('D-1', 1))]))).toEqual(['applied']);
    await hub.relay.drain();
    const rows = await hub.pool.query<{ state: string; last_error: string | null }>(
      "SELECT state, last_error FROM relay_outbox WHERE aggregate_id = 'D-1' ORDER BY id",
    );
    expect(rows.rows.map((r) => r.state)).toEqual(['dead', 'pending']);
    expect(rows.rows[0]!.last_error).toMatch(/rejected by the WMS/);
    const metrics = (await call('GET', HUB_PATHS.metrics, null)).json as string;
    expect(Number(/rs_hub_dead_letters\{[^}]*\} (\S+)/.exec(metrics)?.[1])).toBe(1);
    expect(wmsOrder('D-1').map((e) => e.station)).toEqual(['BENCH-Z']);
  });

  it('is not held up by a long run of dead letters ahead of other aggregates', async () => {
    await hub.pool.query(`
      WITH k AS (SELECT gen_random_uuid() AS key, 'DEAD-' || n AS agg FROM generate_series(1, 1500) AS n),
      e AS (INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, type, payload, occurred_at)
            SELECT 'SITE-T', key, 'BENCH-T', 'parcel', agg, 1, 'parcel.received', '{}'::jsonb, '2025-01-01T00:00:00Z' FROM k RETURNING idempotency_key, aggregate_id)
      INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, state, last_error)
      SELECT 'SITE-T', idempotency_key, 'BENCH-T', 'parcel', aggregate_id, 'dead', 'test' FROM e`);
    const fresh = event('AFTER-DEAD', parcelReceived('AFTER-DEAD'));
    expect(acksOf(await post(t, [fresh]))).toEqual(['applied']);
    await hub.relay.drain();
    expect(wmsOrder('AFTER-DEAD').map((e) => e.key)).toEqual([fresh.idempotencyKey]);
  });

  it('takes photos over the resumable blob endpoint and hands them to the WMS before the event', async () => {
    const photo = Buffer.alloc(3000, 7);
    photo.write('hub photo');
    const sha = createHash('sha256').update(photo).digest('hex');
    const put = (start: number, end: number) =>
      call('PUT', `/api/v1/blobs/${sha}`, t.token, photo.subarray(start, end + 1), { 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${end}/${photo.length}` });
    expect((await call('HEAD', `/api/v1/blobs/${sha}`, t.token)).status).toBe(404);
    expect(await put(0, 1999)).toMatchObject({ status: 200, json: { offset: 2000, complete: false } });
    const head = await call('HEAD', `/api/v1/blobs/${sha}`, t.token);
    expect(head.headers.get('upload-offset')).toBe('2000');
    expect(await put(1000, 2999)).toMatchObject({ status: 409, json: { error: HUB_ERRORS.blobOffset } });
    expect(await put(2000, 2999)).toMatchObject({ status: 200, json: { complete: true } });

    const withPhoto = itemGraded('PH-1', 1) as Extract<WmsEventBody, { type: 'item.graded' }>;
    const good = event('PH-1', { ...withPhoto, payload: { ...withPhoto.payload, photos: [sha] } });
    const missing = event('PH-2', { ...withPhoto, payload: { ...withPhoto.payload, photos: ['f'.repeat(64)] } });
    const r = await post(t, [good, missing]);
    expect(acksOf(r)).toEqual(['applied', 'rejected']);
    expect((r.json as EventBatchResult).results[1]!.error).toContain('error.hub.photoNotUploaded');
    await hub.relay.drain();
    expect(wms.blob(sha)).toMatchObject({ complete: true, length: 3000 });
    expect(wms.blobBytes(sha)?.equals(photo)).toBe(true);
    expect(wms.eventsWithMissingBlobs()).toBe(0);
    expect(wmsOrder('PH-1')).toHaveLength(1);
  });
});
