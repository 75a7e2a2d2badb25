import { afterEach, describe, expect, it, vi } from 'vitest';
import { StationCallError } from '../../../contract/index.js';
import { createI18n } from '../i18n/index.js';
import { describeError } from '../ui/describe.js';
import { createHttpClient, type HttpStationClient } from './httpClient.js';

class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const operator = { id: 'op-1', name: '佐藤 花子', role: 'staff' };
let client: HttpStationClient | undefined;

afterEach(() => {
  client?.close();
  FakeSocket.all = [];
  vi.useRealTimers();
});

function make(fetchImpl: typeof fetch, extra: { onConnection?: (c: boolean) => void } = {}) {
  client = createHttpClient({
    origin: 'http://127.0.0.1:4000',
    sessionId: 'tab-12345678',
    fetch: fetchImpl,
    openSocket: (url) => new FakeSocket(url),
    minBackoffMs: 100,
    maxBackoffMs: 400,
    ...extra,
  });
  return client;
}

describe('HTTP station client', () => {
  it('posts the input with the session header and returns the validated output', async () => {
    const fetchImpl = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => jsonResponse({ ok: true, value: operator }));
    const c = make(fetchImpl as unknown as typeof fetch);
    await expect(c.call('session.signIn', { badge: 'B-0001', pin: '1234' })).resolves.toEqual(operator);
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(url).toBe('http://127.0.0.1:4000/api/call/session.signIn');
    expect(init?.credentials).toBe('same-origin');
    expect((init?.headers as Record<string, string>)['x-station-session']).toBe('tab-12345678');
    expect(JSON.parse(String(init?.body))).toEqual({ badge: 'B-0001', pin: '1234' });
  });

  it('throws the station error with its message key', async () => {
    const error = { code: 'NOT_FOUND', messageKey: 'error.noRmaForCode', params: { code: 'X1' }, message: 'No return matches this code.' };
    const c = make((async () => jsonResponse({ ok: false, error })) as unknown as typeof fetch);
    const err = await c.call('parcel.open', { code: 'X1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StationCallError);
    expect((err as StationCallError).error).toEqual(error);
  });

  it('turns a payload that breaks the contract into an error, not a value', async () => {
    const c = make((async () => jsonResponse({ ok: true, value: { id: 'op-1', role: 'emperor' } })) as unknown as typeof fetch);
    const err = await c.call('session.current', {}).catch((e: unknown) => e);
    expect((err as StationCallError).error.messageKey).toBe('error.badResponse');
  });

  it('turns a network failure into error.network', async () => {
    const c = make((async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch);
    const err = await c.call('system.info', {}).catch((e: unknown) => e);
    expect((err as StationCallError).error.messageKey).toBe('error.network');
  });

  // The site hub's answers when the call is not what failed (hub/siteUi.ts, tested over HTTP in hub/siteCallErrors.test.ts).
  describe('the site hub failing or stopping', () => {
    const failed = { code: 'INTERNAL', messageKey: 'error.site.hubFailed', params: { requestId: '0a1b2c3d' }, message: 'Something went wrong inside the site hub. Try again (reference 0a1b2c3d).' };
    const stopping = { code: 'INTERNAL', messageKey: 'error.site.hubStopping', params: {}, message: 'The site hub is stopping. Wait a moment, then try again.' };
    const said = (error: StationCallError['error']) =>
      (['ja', 'en'] as const).map((lang) => {
        const i18n = createI18n(lang);
        return describeError(i18n.t, (k) => i18n.exists(k), error);
      });

    it('reads a 500 in the call answer’s shape as the hub’s keyed error, said in both languages with the reference', async () => {
      const c = make((async () => jsonResponse({ ok: false, error: failed }, 500)) as unknown as typeof fetch);
      const err = await c.call('review.list', {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StationCallError);
      expect((err as StationCallError).error).toEqual(failed);
      const [ja, en] = said((err as StationCallError).error);
      expect(ja).toEqual({ text: 'サイトハブ内部でエラーが起きました。もう一度お試しください。繰り返す場合は、参照番号 0a1b2c3d を IT 担当に伝えてください。', detail: null });
      expect(en).toEqual({ text: 'Something went wrong inside the site hub. Try again; if it happens again, tell IT the reference 0a1b2c3d.', detail: null });
    });

    it('reads a 503 in the call answer’s shape as the hub stopping, said in both languages', async () => {
      const c = make((async () => jsonResponse({ ok: false, error: stopping }, 503)) as unknown as typeof fetch);
      const err = await c.call('review.list', {}).catch((e: unknown) => e);
      expect((err as StationCallError).error.messageKey).toBe('error.site.hubStopping');
      const [ja, en] = said((err as StationCallError).error);
      expect(ja?.text).toBe('サイトハブが停止処理中です（再起動または更新）。少し待ってから、もう一度お試しください。');
      expect(en?.text).toBe('The site hub is stopping (a restart or an update). Wait a moment, then try again.');
    });

    it('could only call the hub’s older answer shape unexpected (why the hub answers in the call’s shape)', async () => {
      const c = make((async () => jsonResponse({ error: 'error.hub.internal', details: { message: 'the hub failed on this request' } }, 500)) as unknown as typeof fetch);
      const err = await c.call('review.list', {}).catch((e: unknown) => e);
      expect((err as StationCallError).error.messageKey).toBe('error.badResponse');
    });
  });

  it('delivers valid events, drops malformed ones, and reconnects with backoff', async () => {
    vi.useFakeTimers();
    const states: boolean[] = [];
    const c = make((async () => jsonResponse({ ok: true, value: null })) as unknown as typeof fetch, { onConnection: (s) => states.push(s) });
    const first = FakeSocket.all[0];
    expect(first?.url).toBe('ws://127.0.0.1:4000/api/events?session=tab-12345678');
    const seen: unknown[] = [];
    c.on('device.scan', (p) => seen.push(p));
    first?.onopen?.({});
    const scan = { text: '4901', symbology: 'ean-13', aim: ']E0', gs1: false, source: 'hidpos:0c2e:0b8f', at: 1 };
    first?.onmessage?.({ data: JSON.stringify({ event: 'device.scan', payload: scan }) });
    first?.onmessage?.({ data: JSON.stringify({ event: 'device.scan', payload: { text: 42 } }) });
    first?.onmessage?.({ data: 'not json' });
    expect(seen).toEqual([scan]);

    first?.onclose?.({});
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]?.onclose?.({});
    vi.advanceTimersByTime(150);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(60);
    expect(FakeSocket.all).toHaveLength(3);
    expect(states).toEqual([true, false, false]);
  });
});
