// PostgreSQL restarts under a running hub: requests in between fail plainly (the bench keeps its
// events and sends again), the hub reconnects by itself, and nothing is lost or doubled.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBatchResult, WmsEvent } from '../contract/index.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { itemGraded, parcelReceived } from '../tests/integration/sync-helpers.js';
import { HUB_PATHS, type BenchCredential } from './protocol.js';
import { startHub, type Hub } from './server.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

let pgServer: TestPostgres;
let wms: DemoWms;
let hub: Hub;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-pgrestart-'));
  pgServer = await startTestPostgres();
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-pgrestart' });
  hub = await startHub({ siteId: 'SITE-P', databaseUrl: pgServer.url, wms: { url: wms.url, token: wms.token, timeoutMs: 2000 }, relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 }, log: () => undefined });
});
afterAll(async () => {
  await hub?.close();
  await wms?.close();
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const postJson = (path: string, body: unknown, token?: string) =>
  fetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('a PostgreSQL restart under the hub', () => {
  it('loses nothing and doubles nothing; the hub comes back by itself', async () => {
    const { code } = (await (await postJson(HUB_PATHS.adminCodes, { stationId: 'BENCH-T' }, hub.adminToken)).json()) as { code: string };
    const cred = (await (await postJson(HUB_PATHS.enrol, { code })).json()) as BenchCredential;
    const parcel = (id: string): WmsEvent[] =>
      [parcelReceived(id), itemGraded(id, 1)].map((b, i) => ({ idempotencyKey: randomUUID(), aggregateType: 'parcel', aggregateId: id, sequence: i + 1, occurredAt: new Date().toISOString(), ...b }) as WmsEvent);
    const first = parcel('PG-1');
    const second = parcel('PG-2');
    /** As a bench does: until every event is acknowledged; returns how many attempts failed. */
    const deliver = async (events: WmsEvent[]): Promise<{ failed: number; statuses: string[] }> => {
      for (let failed = 0; failed < 100; failed++) {
        try {
          const res = await postJson('/api/v1/events', { stationId: 'BENCH-T', events }, cred.token);
          if (res.ok) return { failed, statuses: ((await res.json()) as EventBatchResult).results.map((a) => a.status) };
          expect(res.status).toBeGreaterThanOrEqual(500);
        } catch {
          // connection refused while the hub itself is fine is not expected, but retrying is what a bench does
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the hub never came back');
    };

    expect((await deliver(first)).statuses).toEqual(['applied', 'applied']);
    await pgServer.restart();
    expect((await deliver(second)).statuses).toEqual(['applied', 'applied']);
    expect((await deliver(first)).statuses).toEqual(['duplicate', 'duplicate']);
    expect((await fetch(hub.url + HUB_PATHS.readyz)).status).toBe(200);

    await hub.relay.drain();
    if (wms.stats().applied < 4) await hub.relay.drain();
    expect(wms.stats()).toMatchObject({ applied: 4, distinctKeys: 4, duplicated: 0, outOfOrder: 0 });
  });
});
