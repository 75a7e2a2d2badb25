// The hub as its own process, killed with SIGKILL again and again while a bench keeps sending batches:
// a batch is in PostgreSQL whole or not at all, the bench's retries are answered as duplicates, and
// the WMS ends with every event exactly once, in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBatchResult, WmsEvent } from '../contract/index.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { itemGraded, parcelReceived } from '../tests/integration/sync-helpers.js';
import { createPool, type Pool } from './db.js';
import { freePort } from './postgres.js';
import { HUB_PATHS } from './protocol.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const ADMIN = 'crash-test-admin-token-0123';
let pgServer: TestPostgres;
let wms: DemoWms;
let pool: Pool;
let dir: string;
let port: number;
let child: ChildProcess | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hubUrl = () => `http://127.0.0.1:${port}`;

async function startChild(): Promise<void> {
  // node itself (not the tsx wrapper), so SIGKILL hits the process that holds the connections.
  child = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts'], {
    cwd: repo,
    env: {
      ...process.env,
      RS_HUB_DATABASE_URL: pgServer.url,
      RS_HUB_PORT: String(port),
      RS_HUB_SITE_ID: 'SITE-K',
      RS_HUB_WMS_URL: wms.url,
      RS_HUB_WMS_TOKEN: wms.token,
      RS_HUB_ADMIN_TOKEN: ADMIN,
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(hubUrl() + HUB_PATHS.readyz)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error('the hub process did not become ready');
}

async function killChild(): Promise<void> {
  const c = child;
  if (!c || c.exitCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-crash-'));
  pgServer = await startTestPostgres();
  pool = createPool(pgServer.url);
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-crash' });
  port = await freePort();
  await startChild();
}, 60_000);
afterAll(async () => {
  await killChild();
  await pool?.end();
  await wms?.close();
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hub killed with SIGKILL mid-batch', () => {
  it('loses nothing and doubles nothing, at the hub or at the WMS', async () => {
    const post = async (path: string, body: unknown, token?: string): Promise<Response> =>
      fetch(hubUrl() + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const { code } = (await (await post(HUB_PATHS.adminCodes, { stationId: 'BENCH-T' }, ADMIN)).json()) as { code: string };
    const { token } = (await (await post(HUB_PATHS.enrol, { code })).json()) as { token: string };

    // 40 parcels of 5 events, sent as a bench does: in order, 8 events a batch, each batch until acknowledged.
    const events: WmsEvent[] = [];
    for (let p = 0; p < 40; p++) {
      const id = `K-${p}`;
      const bodies = [parcelReceived(id), ...[1, 2, 3, 4].map((k) => itemGraded(id, k))];
      bodies.forEach((b, i) => events.push({ idempotencyKey: randomUUID(), aggregateType: 'parcel', aggregateId: id, sequence: i + 1, occurredAt: new Date().toISOString(), ...b } as WmsEvent));
    }
    let retries = 0;
    const sender = (async () => {
      for (let i = 0; i < events.length; i += 8) {
        const batch = events.slice(i, i + 8);
        for (;;) {
          try {
            const res = await post('/api/v1/events', { stationId: 'BENCH-T', events: batch }, token);
            if (res.ok) {
              const { results } = (await res.json()) as EventBatchResult;
              if (results.every((a) => a.status === 'applied' || a.status === 'duplicate')) break;
            }
          } catch {
            // the hub is down: the bench keeps the batch and tries again
          }
          retries++;
          await sleep(30);
        }
        await sleep(40);
      }
    })();

    for (let k = 0; k < 3; k++) {
      await sleep(150 + k * 50);
      await killChild();
      await startChild();
    }
    await sender;
    expect(retries).toBeGreaterThan(0);

    const hubCounts = await pool.query<{ events: number; relay: number }>('SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM relay_outbox) AS relay');
    expect(hubCounts.rows[0]).toEqual({ events: events.length, relay: events.length });

    for (let i = 0; i < 200 && wms.stats().applied < events.length; i++) await sleep(100);
    expect(wms.stats()).toMatchObject({ applied: events.length, distinctKeys: events.length, duplicated: 0, outOfOrder: 0 });
  });

  it('stops on SIGTERM: exits 0 and leaves no event without its relay row', async () => {
    const { code } = (await (await fetch(hubUrl() + HUB_PATHS.adminCodes, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ stationId: 'BENCH-T' }) })).json()) as { code: string };
    const { token } = (await (await fetch(hubUrl() + HUB_PATHS.enrol, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json()) as { token: string };
    const big: WmsEvent[] = Array.from({ length: 1000 }, (_, i) => ({ idempotencyKey: randomUUID(), aggregateType: 'parcel', aggregateId: `TERM-${i}`, sequence: 1, occurredAt: new Date().toISOString(), ...parcelReceived(`TERM-${i}`) }) as WmsEvent);
    const c = child!;
    const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
    // A large batch in flight when the stop signal comes: it is answered, or it left nothing behind.
    const inFlight = fetch(hubUrl() + '/api/v1/events', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ stationId: 'BENCH-T', events: big }) }).then(
      (r) => r.status,
      () => null,
    );
    await sleep(20);
    c.kill('SIGTERM');
    const status = await inFlight;
    expect(await exited).toBe(0);
    const kept = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE aggregate_id LIKE 'TERM-%'");
    expect(status === 200 ? [1000] : [0, 1000]).toContain(kept.rows[0]!.n);
    await expect(fetch(hubUrl() + HUB_PATHS.healthz)).rejects.toThrow();
    const orphans = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM relay_outbox o WHERE o.site_id = e.site_id AND o.idempotency_key = e.idempotency_key)',
    );
    expect(orphans.rows[0]!.n).toBe(0);
  });
});
