// The closing bench's question to its hub must fail fast and loudly (the caller then reconciles locally).
import { describe, expect, it } from 'vitest';
import { createSiteToteLookup } from './siteTotes.js';

const answer = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the site tote lookup', () => {
  it('asks the hub with the bench credential and returns its checked answer', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const lookup = createSiteToteLookup({
      baseUrl: 'http://hub.test:8090/',
      token: 'rsb_bench-token',
      fetch: async (url, init) => {
        seen.push({ url: String(url), auth: new Headers(init?.headers).get('authorization') });
        return answer(200, { toteId: 'TOTE-C0001', bags: [{ bagCode: 'BAG-00000001', stationId: 'BENCH-02', closedAt: '2026-11-01T00:00:00.000Z' }] });
      },
    });
    expect((await lookup('TOTE-C0001')).bags).toEqual([{ bagCode: 'BAG-00000001', stationId: 'BENCH-02', closedAt: '2026-11-01T00:00:00.000Z' }]);
    expect(seen).toEqual([{ url: 'http://hub.test:8090/hub/v1/totes/TOTE-C0001/received', auth: 'Bearer rsb_bench-token' }]);
  });

  it('rejects a refusal, a malformed answer, an answer about another tote, and a hub that does not answer in time', async () => {
    const make = (f: typeof fetch) => createSiteToteLookup({ baseUrl: 'http://hub.test', token: 't', timeoutMs: 50, fetch: f });
    await expect(make(async () => answer(503, { error: 'error.hub.shuttingDown' }))('TOTE-C0001')).rejects.toThrow(/503/);
    await expect(make(async () => answer(200, { toteId: 'TOTE-C0001', bags: [{ bagCode: 1 }] }))('TOTE-C0001')).rejects.toThrow();
    await expect(make(async () => answer(200, { toteId: 'TOTE-C0002', bags: [] }))('TOTE-C0001')).rejects.toThrow(/TOTE-C0002/);
    const silent: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason ?? new Error('aborted'))));
    const started = Date.now();
    await expect(make(silent)('TOTE-C0001')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
