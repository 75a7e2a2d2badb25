// An item's LPN scanned on the Review screen at the hub (or at a bench behind it): the hub finds any bench's item in
// the site's tables and says its state; and the bench-facing site call route answers in the call answer's shape, a
// call it does not know, a body it refused and its own failure included. One embedded PostgreSQL for the file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponse, siteCallPath, type ItemLookup, type OperatorSummary, type WmsEvent } from '../contract/index.js';
import type { DemoWms } from '../fixtures/demo-wms/server.js';
import { itemGraded } from '../tests/integration/sync-helpers.js';
import { HUB_PATHS, type BenchCredential } from './protocol.js';
import type { Hub } from './server.js';
import { startTestSite, type TestSite } from './testSite.test-helper.js';

let site: TestSite;
let wms: DemoWms;
let hub: Hub;
const logged: string[] = [];

beforeAll(async () => {
  site = await startTestSite({ siteId: 'SITE-L', wmsToken: 'wms-token-lookup', products: 3, rmas: 3, log: (line) => void logged.push(line) });
  ({ hub, wms } = site);
  await hub.reference.pullNow();
}, 120_000);
afterAll(async () => {
  await site?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the assertions say so
  }
  return { status: res.status, json };
}
const admin = (path: string, body: unknown) => post(path, body, { authorization: `Bearer ${hub.adminToken}` });

async function enrolBench(stationId: string): Promise<BenchCredential> {
  const code = (await admin(HUB_PATHS.adminCodes, { stationId })).json as { code: string };
  return (await post(HUB_PATHS.enrol, { code: code.code })).json as BenchCredential;
}

/** A hub UI tab signed in as `badge`. */
async function signedIn(badge: string, pin: string) {
  const session = randomUUID();
  let cookie = '';
  const call = async (name: string, input: unknown = {}): Promise<ApiResponse> => {
    const res = await fetch(`${hub.url}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-station-session': session, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(input),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return ApiResponse.parse(await res.json());
  };
  expect((await call('session.signIn', { badge, pin })).ok).toBe(true);
  return call;
}

const valueOf = (r: ApiResponse): ItemLookup => {
  if (!r.ok) throw new Error(`${r.error.messageKey}: ${r.error.message}`);
  return r.value as ItemLookup;
};
const errorOf = (body: unknown) => {
  const parsed = ApiResponse.safeParse(body);
  expect(parsed.success, JSON.stringify(body)).toBe(true);
  return parsed.success && !parsed.data.ok ? parsed.data.error : null;
};

function graded(stationId: string, k: number, held: boolean): WmsEvent {
  const body = itemGraded(`P-${stationId}-${k}`, k);
  const itemId = randomUUID();
  return {
    idempotencyKey: randomUUID(),
    aggregateType: 'item',
    aggregateId: itemId,
    sequence: 1,
    occurredAt: '2026-03-01T09:00:00.000Z',
    type: 'item.graded',
    payload: {
      ...body.payload,
      itemId,
      lpn: `LPN-${stationId.replace(/[^A-Z0-9]/g, '')}-${String(k).padStart(7, '0')}`,
      sku: 'SKU-00001',
      stationId,
      operatorId: 'op-grader',
      gradedAt: '2026-03-01T09:00:00.000Z',
      flags: held ? ['high_value'] : [],
      heldForReview: held,
    },
  } as WmsEvent;
}

describe('item.lookup at the site hub: any bench’s item by its LPN', () => {
  let b1: BenchCredential;
  let b2: BenchCredential;
  let sup: OperatorSummary;
  const items: Record<'held2' | 'plain1' | 'decided1', WmsEvent> = {} as never;
  const itemIdOf = (e: WmsEvent): string => (e.payload as { itemId: string }).itemId;

  beforeAll(async () => {
    sup = (await admin('/admin/v1/operators', { badge: 'SUP-L', name: 'Lookup Sup', role: 'supervisor', pin: '2468' })).json as OperatorSummary;
    await admin('/admin/v1/operators', { badge: 'STAFF-L', name: 'Lookup Staff', role: 'staff', pin: '1357' });
    b1 = await enrolBench('BENCH-01');
    b2 = await enrolBench('BENCH-02');
    items.held2 = graded('BENCH-02', 1, true);
    items.plain1 = graded('BENCH-01', 1, false);
    items.decided1 = graded('BENCH-01', 2, true);
    const closed: WmsEvent = {
      idempotencyKey: randomUUID(),
      aggregateType: 'parcel',
      aggregateId: 'P-BENCH-01-1',
      sequence: 1,
      occurredAt: '2026-03-01T09:05:00.000Z',
      type: 'parcel.closed',
      payload: { parcelId: 'P-BENCH-01-1', rmaNumber: 'RMA-000000', blindReturn: false, outcomes: [], operatorId: 'op-grader', stationId: 'BENCH-01', closedAt: '2026-03-01T09:05:00.000Z' },
    } as WmsEvent;
    for (const [cred, events] of [
      [b1, [items.plain1, items.decided1, closed]],
      [b2, [items.held2]],
    ] as const) {
      const r = await post('/api/v1/events', { stationId: cred.stationId, events }, { authorization: `Bearer ${cred.token}` });
      expect((r.json as { results: { status: string }[] }).results.every((a) => a.status === 'applied'), JSON.stringify(r.json)).toBe(true);
    }
  });

  it('finds a held item of another bench (the LPN in any case), with its bench and names, for the site queue to open', async () => {
    const call = await signedIn('SUP-L', '2468');
    const found = valueOf(await call('item.lookup', { lpn: ' lpn-bench02-0000001 ' }));
    expect(found).toMatchObject({
      itemId: itemIdOf(items.held2),
      lpn: 'LPN-BENCH02-0000001',
      stationId: 'BENCH-02',
      reviewStatus: 'pending',
      grade: 'A',
      sku: 'SKU-00001',
      name: expect.any(String),
      parcelStatus: 'open',
      rmaNumber: 'RMA-000000',
      gradedAt: '2026-03-01T09:00:00.000Z',
      labelPrinted: false,
    });
    // The same item is the one the site queue opens.
    const detail = await call('review.get', { itemId: found.itemId });
    expect(detail.ok && (detail.value as { lpn: string }).lpn).toBe('LPN-BENCH02-0000001');
  });

  it('says an item was not held (review "none") and that its parcel is closed', async () => {
    const call = await signedIn('SUP-L', '2468');
    expect(valueOf(await call('item.lookup', { lpn: 'LPN-BENCH01-0000001' }))).toMatchObject({ itemId: itemIdOf(items.plain1), stationId: 'BENCH-01', reviewStatus: 'none', parcelStatus: 'closed' });
  });

  it('says a decided item was decided, by whom (by name) and when', async () => {
    const call = await signedIn('SUP-L', '2468');
    expect((await call('review.approve', { itemId: itemIdOf(items.decided1) })).ok).toBe(true);
    const found = valueOf(await call('item.lookup', { lpn: 'LPN-BENCH01-0000002' }));
    expect(found).toMatchObject({ reviewStatus: 'approved', reviewedBy: 'Lookup Sup', reviewedAt: expect.any(String) });
    expect(sup.id).toBeTruthy();
  });

  it('refuses an LPN no bench of this site graded, and text that is no LPN, with error.site.noItemForLpn', async () => {
    const call = await signedIn('SUP-L', '2468');
    for (const [lpn, said] of [
      ['LPN-BENCH01-0000099', 'LPN-BENCH01-0000099'],
      // The LPN of a bench this site does not have.
      ['LPN-BENCH09-0000001', 'LPN-BENCH09-0000001'],
      ['hello', 'hello'],
    ] as const) {
      const r = await call('item.lookup', { lpn });
      expect(r.ok ? null : r.error, lpn).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.site.noItemForLpn', params: { lpn: said } });
    }
  });

  it('answers a bench’s site call for it, for any operator the roster knows', async () => {
    const r = await post(siteCallPath('item.lookup'), { operatorId: sup.id, input: { lpn: 'LPN-BENCH02-0000001' } }, { authorization: `Bearer ${b1.token}` });
    expect(r.status).toBe(200);
    expect(valueOf(ApiResponse.parse(r.json))).toMatchObject({ itemId: itemIdOf(items.held2), stationId: 'BENCH-02' });
  });
});

describe('the bench-facing site call route answers in the call answer’s shape', () => {
  let bench: BenchCredential;
  let sup: OperatorSummary;
  beforeAll(async () => {
    bench = await enrolBench('BENCH-SHAPE');
    sup = (await admin('/admin/v1/operators', { badge: 'SUP-SHAPE', name: 'Shape Sup', role: 'supervisor', pin: '9753' })).json as OperatorSummary;
  });
  const asBench = (name: string, body: unknown) => post(siteCallPath(name), body, { authorization: `Bearer ${bench.token}` });

  it('a call the hub does not know: 404 error.unknownCall', async () => {
    for (const name of ['nope.call', 'review.nope']) {
      const r = await asBench(name, { operatorId: sup.id, input: {} });
      expect(r.status, name).toBe(404);
      expect(errorOf(r.json), name).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.unknownCall', params: { call: name } });
    }
  });

  it('a call the hub does not answer for benches, and an input the call refuses, in the same shape', async () => {
    expect(errorOf((await asBench('session.signIn', { operatorId: sup.id, input: {} })).json)).toMatchObject({ messageKey: 'error.site.notAtHub' });
    expect(errorOf((await asBench('review.list', { operatorId: sup.id, input: { pageSize: 'many' } })).json)).toMatchObject({ code: 'INVALID_INPUT', messageKey: 'error.invalidInput' });
  });

  it('a body that is no site call request (no operator, not JSON): 400 error.invalidInput', async () => {
    for (const body of [{ input: {} }, { operatorId: sup.id, input: {}, extra: 1 }, 'not json']) {
      const r = await asBench('review.list', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(r.json), JSON.stringify(body)).toMatchObject({ code: 'INVALID_INPUT', messageKey: 'error.invalidInput' });
    }
  });

  it('a failure inside the hub: 500 error.site.hubFailed with the request id of the hub’s log line, nothing internal', async () => {
    await hub.pool.query('ALTER TABLE operators RENAME TO operators_away');
    let r: { status: number; json: unknown };
    try {
      r = await asBench('review.list', { operatorId: sup.id, input: {} });
    } finally {
      await hub.pool.query('ALTER TABLE operators_away RENAME TO operators');
    }
    expect(r.status).toBe(500);
    const error = errorOf(r.json);
    expect(error).toMatchObject({ code: 'INTERNAL', messageKey: 'error.site.hubFailed', params: { requestId: expect.any(String) } });
    expect(JSON.stringify(r.json)).not.toMatch(/operators|relation|does not exist/);
    expect(logged.find((l) => l.includes(`request ${String(error?.params.requestId)}`))).toMatch(/site call review\.list failed.*operators/s);
    // And answers again once the table is back.
    expect(ApiResponse.parse((await asBench('review.list', { operatorId: sup.id, input: {} })).json).ok).toBe(true);
  });

  it('a refused credential keeps the bench contract’s shape (the bench answers from its own copy)', async () => {
    const r = await post(siteCallPath('review.list'), { operatorId: sup.id, input: {} }, { authorization: 'Bearer not-a-bench' });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ error: 'error.hub.unauthenticated' });
  });
});
