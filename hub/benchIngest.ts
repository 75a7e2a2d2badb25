// `npm run bench:hub -- --benches 50 --batches 20 --batch 200`: the hub's ingest from simulated benches over
// HTTP (enrolled, authenticated, one transaction per batch with its relay rows), beside a raw batched INSERT of
// the same rows into a copy of the events table in the same PostgreSQL, in the same run. Reports, never fails
// on speed. Dev tool: not in the hub's image.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventBatch, WmsEvent } from '../contract/index.js';
import { createPool } from './db.js';
import { startEmbeddedPostgres } from './postgres.js';
import { BenchCredential, EnrolmentCode, HUB_PATHS } from './protocol.js';
import { startHub } from './server.js';
import { postJson } from './site.js';

const { values } = parseArgs({
  options: {
    benches: { type: 'string', default: '50' },
    batches: { type: 'string', default: '20' },
    batch: { type: 'string', default: '200' },
  },
});
const benches = Number(values.benches);
const batches = Number(values.batches);
const batchSize = Number(values.batch);

function eventsFor(stationId: string, n: number): WmsEvent[] {
  const at = new Date().toISOString();
  return Array.from({ length: n }, () => {
    const parcelId = randomUUID();
    return {
      idempotencyKey: randomUUID(),
      aggregateType: 'parcel',
      aggregateId: parcelId,
      sequence: 1,
      occurredAt: at,
      type: 'parcel.received',
      payload: { parcelId, rmaNumber: `RMA-${parcelId.slice(0, 8)}`, scannedCode: parcelId, operatorId: 'op-bench', stationId, receivedAt: at },
    } as WmsEvent;
  });
}

const dir = mkdtempSync(join(tmpdir(), 'rs-hub-bench-'));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'rs_hub' });
// The WMS is not reachable: this measures acceptance only (the relay backs off quietly).
const hub = await startHub({ siteId: 'SITE-BENCH', databaseUrl: pg.url, wms: { url: 'http://127.0.0.1:1', token: 'none', timeoutMs: 500 }, relay: { intervalMs: 3_600_000, backoffBaseMs: 3_600_000 }, log: () => undefined });
try {
  const creds: BenchCredential[] = [];
  for (let i = 0; i < benches; i++) {
    const stationId = `BENCH-${String(i + 1).padStart(2, '0')}`;
    const { code } = EnrolmentCode.parse(await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId }));
    creds.push(BenchCredential.parse(await postJson(hub.url + HUB_PATHS.enrol, null, { code })));
  }
  const plan = creds.map((c) => ({ c, batches: Array.from({ length: batches }, () => eventsFor(c.stationId, batchSize)) }));
  const total = benches * batches * batchSize;

  const t0 = performance.now();
  await Promise.all(
    plan.map(async ({ c, batches: bs }) => {
      for (const events of bs) {
        const res = await fetch(hub.url + '/api/v1/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
          body: JSON.stringify({ stationId: c.stationId, events } satisfies EventBatch),
        });
        if (!res.ok) throw new Error(`ingest refused: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  const ingestS = (performance.now() - t0) / 1000;

  // The same rows, raw: batched multi-row INSERTs into a copy of the events table (same keys and indexes).
  const raw = createPool(pg.url, 10);
  await raw.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
  const t1 = performance.now();
  await Promise.all(
    plan.map(async ({ c, batches: bs }) => {
      for (const events of bs) {
        await raw.query(
          `INSERT INTO raw_events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, previous_sequence, type, payload, occurred_at)
           SELECT 'SITE-BENCH', k, $1, t, a, s, NULL, ty, p, o FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::jsonb[], $8::text[]) AS x(k, t, a, s, ty, p, o)`,
          [
            c.stationId,
            events.map((e) => e.idempotencyKey),
            events.map((e) => e.aggregateType),
            events.map((e) => e.aggregateId),
            events.map((e) => e.sequence),
            events.map((e) => e.type),
            events.map((e) => JSON.stringify(e.payload)),
            events.map((e) => e.occurredAt),
          ],
        );
      }
    }),
  );
  const rawS = (performance.now() - t1) / 1000;
  await raw.end();

  const accepted = await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  const ingestRate = total / ingestS;
  const rawRate = total / rawS;
  console.log(`hub ingest: ${benches} benches × ${batches} batches × ${batchSize} events = ${total.toLocaleString('en')} events (${accepted.rows[0]?.n ?? 0} accepted) in ${ingestS.toFixed(1)} s: ${Math.round(ingestRate).toLocaleString('en')} events/s`);
  console.log(`raw batched INSERT of the same rows: ${rawS.toFixed(1)} s: ${Math.round(rawRate).toLocaleString('en')} events/s`);
  console.log(`ratio hub / raw: ${(ingestRate / rawRate).toFixed(2)}`);
} finally {
  await hub.close();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
