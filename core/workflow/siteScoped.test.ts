// A bench behind its hub: what it does with each kind of answer the hub gives to a site-scoped call, and its item
// lookup (its own item first, the site's item of another bench from the hub). The hub is a fake fetch here; the real
// route is tested in hub/siteItemLookup.test.ts and, bench and hub together, in tests/integration/site-roster.test.ts.
import { describe, expect, it } from 'vitest';
import type { ApiResponse, ItemLookup } from '../../contract/index.js';
import type { CallContext, Handlers } from './dispatch.js';
import { StationError } from './errors.js';
import { siteScopedHandlers } from './siteScoped.js';

const lead: CallContext = { sessionKey: 's', operator: { id: 'op-lead', name: 'Lead', role: 'lead' } };

const ownItem: ItemLookup = {
  itemId: 'own-1',
  lpn: 'LPN-BENCH01-0000001',
  sku: 'SKU-1',
  name: 'Shirt',
  nameJa: 'シャツ',
  kind: 'expected',
  grade: 'A',
  disposition: 'restock',
  destination: 'A-01',
  parcelId: 'P1',
  parcelStatus: 'open',
  rmaNumber: 'RMA-00000001',
  reviewStatus: 'pending',
  reviewedBy: null,
  reviewedAt: null,
  gradedAt: '2026-03-01T09:00:00.000Z',
  operatorId: 'op-1',
  operatorName: 'Grader',
  labelPrinted: true,
};
const siteItem: ItemLookup = { ...ownItem, itemId: 'site-2', lpn: 'LPN-BENCH02-0000001', labelPrinted: false, stationId: 'BENCH-02' };

/** This bench's own handlers: one item, an empty queue. */
const local = {
  'item.lookup': (_ctx: CallContext, input: { lpn: string }) => {
    if (input.lpn.toUpperCase() === ownItem.lpn) return ownItem;
    throw new StationError('NOT_FOUND', 'error.noItemForLpn', `No item with the label ${input.lpn} was graded at this station.`, { lpn: input.lpn });
  },
  'review.list': () => ({ items: [], total: 0, page: 1, pageSize: 200 }),
  'review.get': () => ({ itemId: 'own' }),
} as unknown as Handlers;

type Reply = { status: number; body: unknown } | 'down';

/** A hub that answers each request with the next reply (the last one repeats); records what was asked. */
function fakeHub(...replies: Reply[]) {
  const asked: string[] = [];
  const fetch = (async (url: string | URL | Request) => {
    asked.push(String(url));
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    if (reply === 'down') throw new TypeError('fetch failed');
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const handlers = siteScopedHandlers(local, { baseUrl: 'http://hub.test', token: 't', fetch, log: () => undefined });
  const call = (name: keyof Handlers, input: unknown): Promise<unknown> => Promise.resolve((handlers[name] as (ctx: CallContext, input: unknown) => unknown)(lead, input));
  return { asked, call };
}

const refusal = (code: string, messageKey: string, params: Record<string, string> = {}): ApiResponse => ({ ok: false, error: { code, messageKey, message: messageKey, params } }) as ApiResponse;
const keyOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'answered',
    (err: unknown) => (err instanceof StationError ? err.messageKey : `not a StationError: ${String(err)}`),
  );

describe('a bench’s site-scoped call: what the hub’s answer becomes', () => {
  it('a failure inside the hub (500 in the call answer’s shape) is the screen’s to say, with the reference; the hub is not marked away', async () => {
    const hub = fakeHub({ status: 500, body: refusal('INTERNAL', 'error.site.hubFailed', { requestId: 'req-42' }) }, { status: 200, body: { ok: true, value: { items: [], total: 3, page: 1, pageSize: 200 } } });
    const err = await hub.call('review.list', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StationError);
    expect(err).toMatchObject({ code: 'INTERNAL', messageKey: 'error.site.hubFailed', params: { requestId: 'req-42' } });
    // The next call asks the hub again (a failure it answered is not an outage) and shows the site.
    expect(await hub.call('review.list', {})).toMatchObject({ total: 3, scope: 'site' });
    expect(hub.asked).toHaveLength(2);
  });

  it('a call the hub does not know (404 error.unknownCall) is answered from this bench’s copy, and says so; the hub is asked again next time', async () => {
    const hub = fakeHub({ status: 404, body: refusal('NOT_FOUND', 'error.unknownCall', { call: 'review.list' }) }, { status: 200, body: { ok: true, value: { items: [], total: 5, page: 1, pageSize: 200 } } });
    expect(await hub.call('review.list', {})).toMatchObject({ total: 0, scope: 'bench' });
    expect(await hub.call('review.list', {})).toMatchObject({ total: 5, scope: 'site' });
  });

  it('an answer that is no call answer (an older hub’s 404, a refused credential) or no answer: this bench’s copy', async () => {
    for (const reply of [{ status: 404, body: { error: 'error.unknownCall', details: { message: 'Unknown call' } } }, { status: 401, body: { error: 'error.hub.unauthenticated' } }, 'down'] as const) {
      expect(await fakeHub(reply).call('review.list', {}), JSON.stringify(reply)).toMatchObject({ total: 0, scope: 'bench' });
    }
    // The hub stopping (its 503, even in the call answer's shape) is an outage too.
    expect(await fakeHub({ status: 503, body: refusal('INTERNAL', 'error.site.hubStopping') }).call('review.list', {})).toMatchObject({ scope: 'bench' });
  });
});

describe('item.lookup at a bench behind its hub', () => {
  it('answers this bench’s own item itself (its label job is here), without asking the hub', async () => {
    const hub = fakeHub({ status: 200, body: { ok: true, value: siteItem } });
    expect(await hub.call('item.lookup', { lpn: 'lpn-bench01-0000001' })).toEqual(ownItem);
    expect(hub.asked).toEqual([]);
  });

  it('finds another bench’s item at the hub', async () => {
    const hub = fakeHub({ status: 200, body: { ok: true, value: siteItem } });
    expect(await hub.call('item.lookup', { lpn: 'LPN-BENCH02-0000001' })).toEqual(siteItem);
    expect(hub.asked).toEqual(['http://hub.test/hub/v1/site/call/item.lookup']);
  });

  it('says the site has no such item when the hub says so, this bench’s own words when the hub is away or cannot answer', async () => {
    expect(await keyOf(fakeHub({ status: 200, body: refusal('NOT_FOUND', 'error.site.noItemForLpn', { lpn: 'LPN-X-0000001' }) }).call('item.lookup', { lpn: 'LPN-X-0000001' }))).toBe('error.site.noItemForLpn');
    expect(await keyOf(fakeHub('down').call('item.lookup', { lpn: 'LPN-X-0000001' }))).toBe('error.noItemForLpn');
    expect(await keyOf(fakeHub({ status: 404, body: refusal('NOT_FOUND', 'error.unknownCall') }).call('item.lookup', { lpn: 'LPN-X-0000001' }))).toBe('error.noItemForLpn');
    expect(await keyOf(fakeHub({ status: 500, body: refusal('INTERNAL', 'error.site.hubFailed', { requestId: 'r1' }) }).call('item.lookup', { lpn: 'LPN-X-0000001' }))).toBe('error.site.hubFailed');
  });
});
