// Site hub → company database by PostgreSQL logical replication, on two embedded PostgreSQL servers:
// what the site accepts (and its relay state) appears in the company database; another site's rows in
// the same site database and the site's secrets do not.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WmsEvent, WmsEventBody } from '../contract/index.js';
import { startDemoWms, type DemoWms } from '../fixtures/demo-wms/server.js';
import { itemGraded, makeProducts, makeRmas, parcelReceived } from '../tests/integration/sync-helpers.js';
import { createPool, type Pool } from './db.js';
import { ingestBatch } from './ingest.js';
import { publicationName, subscribeToSite, subscriptionStatus, walLevel } from './replication.js';
import { startHub, type Hub } from './server.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

let sitePg: TestPostgres;
let companyPg: TestPostgres;
let company: Pool;
let wms: DemoWms;
let hub: Hub;
let wmsDir: string;

const event = (aggregateId: string, sequence: number, body: WmsEventBody, stationId: string): WmsEvent =>
  ({ idempotencyKey: randomUUID(), aggregateType: 'parcel', aggregateId, sequence, occurredAt: new Date().toISOString(), ...body, payload: { ...body.payload, stationId } }) as WmsEvent;

/** A parcel received and one item graded: two events of one aggregate. */
const parcelEvents = (parcelId: string, stationId: string): WmsEvent[] => [event(parcelId, 1, parcelReceived(parcelId), stationId), event(parcelId, 2, itemGraded(parcelId, 1), stationId)];

async function companyCount(sql: string, params: unknown[] = []): Promise<number> {
  const r = await company.query<{ n: number }>(sql, params);
  return r.rows[0]?.n ?? 0;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('the company database did not catch up in time');
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

beforeAll(async () => {
  [sitePg, companyPg] = await Promise.all([startTestPostgres('rs_site'), startTestPostgres('rs_company')]);
  wmsDir = mkdtempSync(join(tmpdir(), 'rs-repl-wms-'));
  wms = await startDemoWms({ dbFile: join(wmsDir, 'wms.sqlite'), token: 'wms-token-replication', seed: { products: makeProducts(5), rmas: makeRmas(5) } });
  hub = await startHub({
    siteId: 'SITE-A',
    databaseUrl: sitePg.url,
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000, backoffBaseMs: 10, backoffCapMs: 50 },
    reference: { intervalMs: 3_600_000 },
    log: () => undefined,
  });
  company = createPool(companyPg.url, 4);
}, 120_000);

afterAll(async () => {
  // The subscription goes first: it holds a replication slot at the site, which would keep the site's
  // server from stopping quickly.
  await company?.query('DROP SUBSCRIPTION IF EXISTS ' + publicationName('SITE-A')).catch(() => undefined);
  await company?.end();
  await hub?.close();
  await wms?.close();
  await Promise.all([sitePg?.stop(), companyPg?.stop()]);
  rmSync(wmsDir, { recursive: true, force: true });
}, 60_000);

describe('site hub → company database (logical replication)', () => {
  it('the embedded server runs with wal_level=logical and the hub publishes its site at start', async () => {
    expect(await walLevel(hub.pool)).toBe('logical');
    const pub = await hub.pool.query<{ tablename: string; rowfilter: string | null }>(
      'SELECT tablename, rowfilter FROM pg_publication_tables WHERE pubname = $1 ORDER BY tablename',
      [publicationName('SITE-A')],
    );
    expect(pub.rows.map((r) => r.tablename)).toEqual(['events', 'relay_outbox']);
    expect(pub.rows.every((r) => r.rowfilter?.includes("'SITE-A'"))).toBe(true);
  });

  it('copies what the site holds when subscribing, then streams what it accepts; the relay state follows', async () => {
    // Accepted before the company subscribes: the subscription's initial copy brings it.
    await ingestBatch(hub.pool, 'SITE-A', 'BENCH-1', parcelEvents('P-BEFORE', 'BENCH-1'));
    // A second site on the same PostgreSQL (sites may share one): not part of SITE-A's publication.
    await ingestBatch(hub.pool, 'SITE-B', 'BENCH-9', parcelEvents('P-OTHER-SITE', 'BENCH-9'));

    const sub = await subscribeToSite(company, { siteId: 'SITE-A', siteDatabaseUrl: sitePg.url });
    expect(sub.created).toBe(true);
    expect((await subscribeToSite(company, { siteId: 'SITE-A', siteDatabaseUrl: sitePg.url })).created).toBe(false);
    await waitFor(async () => (await companyCount('SELECT count(*)::int AS n FROM events')) === 2);

    for (let i = 0; i < 5; i++) await ingestBatch(hub.pool, 'SITE-A', `BENCH-${1 + (i % 2)}`, parcelEvents(`P-${i}`, `BENCH-${1 + (i % 2)}`));
    await waitFor(async () => (await companyCount('SELECT count(*)::int AS n FROM events')) === 12);
    expect(await companyCount("SELECT count(*)::int AS n FROM events WHERE site_id <> 'SITE-A'")).toBe(0);
    const graded = await company.query<{ station_id: string; n: number }>(
      "SELECT station_id, count(*)::int AS n FROM events WHERE type = 'item.graded' GROUP BY station_id ORDER BY station_id",
    );
    expect(graded.rows).toEqual([
      { station_id: 'BENCH-1', n: 4 },
      { station_id: 'BENCH-2', n: 2 },
    ]);

    // The relay delivers to the WMS; the company sees each event turn 'delivered' (updates replicate).
    hub.relay.notify();
    await hub.relay.drain();
    expect(wms.stats().applied).toBe(12);
    await waitFor(async () => (await companyCount("SELECT count(*)::int AS n FROM relay_outbox WHERE state = 'delivered'")) === 12);
    // Bench credentials stay at the site.
    expect(await companyCount('SELECT count(*)::int AS n FROM benches')).toBe(0);
    expect((await subscriptionStatus(company)).map((s) => s.subscription)).toEqual([publicationName('SITE-A')]);
  }, 90_000);

  it('keeps up with a burst of accepted events (measured, reported in docs/scale-out.md)', async () => {
    const before = await companyCount('SELECT count(*)::int AS n FROM events');
    const parcels = 1000;
    const started = Date.now();
    for (let b = 0; b < parcels / 50; b++) {
      const batch = Array.from({ length: 50 }, (_, k) => parcelEvents(`BURST-${b}-${k}`, 'BENCH-1')).flat();
      await ingestBatch(hub.pool, 'SITE-A', 'BENCH-1', batch);
    }
    const ingestMs = Date.now() - started;
    const catchUpMs = await waitFor(async () => (await companyCount('SELECT count(*)::int AS n FROM events')) === before + parcels * 2, 60_000);
    console.log(`logical replication: ${parcels * 2} events accepted at the site in ${ingestMs} ms; all at the company ${catchUpMs} ms after the last commit`);
    expect(await companyCount('SELECT count(DISTINCT idempotency_key)::int AS n FROM events')).toBe(before + parcels * 2);
  }, 120_000);
});
