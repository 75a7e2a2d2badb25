// The site hub's figures (issue 14, speed). Reports, never fails on speed. Dev tool: not in the hub's image.
//
//   npm run bench:hub                               throughput: 50 benches × 20 batches × 200 events
//     1. ingest: simulated benches deliver over HTTP (enrolled, authenticated, one transaction per batch with
//        its relay rows), beside a raw batched INSERT of the same rows into a copy of the events table (same
//        keys) in the same PostgreSQL, in the same run;
//     2. relay: the hub restarted on that database with the demo WMS (a process of its own) reachable relays
//        every accepted event; counted in the WMS's own database.
//   npm run bench:hub -- --minutes 10               steady load: 50 benches, one returned item every 2 s each
//     (its parcel.received and item.graded in one batch), the relay running: bench→hub acknowledgement and
//     relay lag (accepted at the hub → acknowledged by the WMS) percentiles.
//
// In the throughput run the simulated benches are a process of their own (hub/benchIngestClients.ts): real benches
// are other machines, so their HTTP client must not run on the hub's event loop nor count as the hub's CPU time.
// They still share this machine's two cores with the hub and PostgreSQL, so they slow both figures as they would
// not in a site; their CPU seconds are printed beside the hub's and PostgreSQL's. Their request bodies are made
// before the clock starts (a real bench serialises on its own machine). In the steady-load run they stay in this
// process (it measures latency at a low rate, not throughput).
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { WmsEvent } from '../contract/index.js';
import { createPool } from './db.js';
import { startEmbeddedPostgres } from './postgres.js';
import { BenchCredential, EnrolmentCode, HUB_PATHS } from './protocol.js';
import { startHub, type Hub } from './server.js';
import { postJson, startChild, stopChild } from './site.js';

const { values } = parseArgs({
  options: {
    benches: { type: 'string', default: '50' },
    batches: { type: 'string', default: '20' },
    batch: { type: 'string', default: '200' },
    /** Steady-load run instead of the throughput runs. */
    minutes: { type: 'string' },
    /** Seconds between two items of one bench in the steady-load run. */
    every: { type: 'string', default: '2' },
    /** The relay's settings (hub/relay.ts), to compare: outbox rows per cycle, WMS batches in flight. */
    'relay-window': { type: 'string' },
    'relay-concurrency': { type: 'string' },
  },
});
const benches = Number(values.benches);
const relayTuning = {
  ...(values['relay-window'] ? { windowSize: Number(values['relay-window']) } : {}),
  ...(values['relay-concurrency'] ? { concurrency: Number(values['relay-concurrency']) } : {}),
};
const SITE = 'SITE-BENCH';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_WMS_MAIN = join(ROOT, 'fixtures', 'demo-wms', 'main.ts');
const CLIENTS_MAIN = join(ROOT, 'hub', 'benchIngestClients.ts');
const WMS_TOKEN = 'bench-hub-wms';

const fmt = (n: number): string => Math.round(n).toLocaleString('en');
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;

/** The 1-minute load average every 5 s while `work` runs: the machine's other work slows every figure. */
async function withLoad<T>(work: () => Promise<T>): Promise<{ result: T; load: { mean: number; max: number } }> {
  const samples: number[] = [loadavg()[0] ?? 0];
  const timer = setInterval(() => samples.push(loadavg()[0] ?? 0), 5000);
  try {
    const result = await work();
    samples.push(loadavg()[0] ?? 0);
    return { result, load: { mean: samples.reduce((a, b) => a + b, 0) / samples.length, max: Math.max(...samples) } };
  } finally {
    clearInterval(timer);
  }
}
const loadText = (l: { mean: number; max: number }): string => `load average ${l.mean.toFixed(1)} (max ${l.max.toFixed(1)}) on ${cpus().length} cores`;

/** CPU seconds of this process (the hub, and the raw run's client). */
const ownCpu = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** CPU seconds of the PostgreSQL server: its postmaster and every process it started (backends, WAL writer…), running or ended. */
function postgresCpu(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const tick = 100; // USER_HZ, 100 on Linux
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // The postmaster's own time, and (cutime, cstime) that of its children that have ended (the pools close idle connections).
      if (Number(d) === postmaster) sum += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / tick;
      else if (Number(f[1]) === postmaster) sum += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      // The process ended while the list was read.
    }
  }
  return sum;
}

/** The simulated benches' process, ready to send the batches in `file`; `go()` sends them and resolves with its report. */
async function startClients(hubUrl: string, file: string): Promise<{ go: () => Promise<{ seconds: number; cpu: number }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENTS_MAIN, hubUrl, file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error('the simulated benches stopped');
    return String(r.value);
  };
  const first = await next();
  if (first !== 'ready') throw new Error(`the simulated benches said: ${first}`);
  return {
    go: async () => {
      child.stdin.end('go\n');
      const done = await next();
      const m = /^done (\S+) (\S+)$/.exec(done);
      if (!m) throw new Error(`the simulated benches: ${done}`);
      return { seconds: Number(m[1]), cpu: Number(m[2]) };
    },
  };
}

function parcelEvents(stationId: string, withGrade: boolean): WmsEvent[] {
  const at = new Date().toISOString();
  const parcelId = randomUUID();
  const received = {
    idempotencyKey: randomUUID(),
    aggregateType: 'parcel',
    aggregateId: parcelId,
    sequence: 1,
    occurredAt: at,
    type: 'parcel.received',
    payload: { parcelId, rmaNumber: `RMA-${parcelId.slice(0, 8)}`, scannedCode: parcelId, operatorId: 'op-bench', stationId, receivedAt: at },
  } as WmsEvent;
  if (!withGrade) return [received];
  const graded = {
    idempotencyKey: randomUUID(),
    aggregateType: 'parcel',
    aggregateId: parcelId,
    sequence: 2,
    occurredAt: at,
    type: 'item.graded',
    payload: {
      itemId: randomUUID(),
      lpn: `LPN-${parcelId.slice(0, 8)}`,
      parcelId,
      rmaNumber: `RMA-${parcelId.slice(0, 8)}`,
      lineId: `RMA-${parcelId.slice(0, 8)}-L1`,
      sku: 'SKU-00001',
      grade: 'A',
      disposition: 'restock',
      destination: 'A-01',
      ruleId: 'R1',
      ruleSetVersion: 1,
      operatorId: 'op-bench',
      stationId,
      gradedAt: at,
    },
  } as WmsEvent;
  return [received, graded];
}

async function enrolBenches(hub: Hub, n: number): Promise<BenchCredential[]> {
  const creds: BenchCredential[] = [];
  for (let i = 0; i < n; i++) {
    const stationId = `BENCH-${String(i + 1).padStart(2, '0')}`;
    const { code } = EnrolmentCode.parse(await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId }));
    creds.push(BenchCredential.parse(await postJson(hub.url + HUB_PATHS.enrol, null, { code })));
  }
  return creds;
}

async function deliver(hub: Hub, c: BenchCredential, body: string): Promise<void> {
  const res = await fetch(hub.url + '/api/v1/events', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` }, body });
  if (!res.ok) throw new Error(`ingest refused: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

async function startWms(dir: string): Promise<{ url: string; db: string; stop: () => Promise<void> }> {
  const db = join(dir, 'wms.sqlite');
  const c = startChild('demo-wms', DEMO_WMS_MAIN, ['--db', db, '--port', '0', '--token', WMS_TOKEN, '--rmas', '20', '--products', '20'], { ...process.env }, () => undefined);
  const url = (await c.firstLine(/listening on (http:\/\/\S+)/, 120_000))[1] ?? '';
  return { url, db, stop: () => stopChild(c.child) };
}

function wmsEventCount(dbFile: string): { applied: number; duplicated: number } {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string): number => (db.prepare(sql).get() as { n: number | null }).n ?? 0;
    return {
      applied: one('SELECT count(*) AS n FROM events'),
      duplicated: one('SELECT count(*) - count(DISTINCT idempotency_key) AS n FROM events'),
    };
  } finally {
    db.close();
  }
}

async function throughput(pgUrl: string, dir: string): Promise<void> {
  const batches = Number(values.batches);
  const batchSize = Number(values.batch);
  const total = benches * batches * batchSize;
  // The WMS is not reachable here: this measures acceptance only (the relay backs off quietly).
  const hub = await startHub({ siteId: SITE, databaseUrl: pgUrl, wms: { url: 'http://127.0.0.1:1', token: 'none', timeoutMs: 500 }, relay: { intervalMs: 3_600_000, backoffBaseMs: 3_600_000 }, log: () => undefined });
  const pgDir = join(dir, 'pg');
  type Run = { seconds: number; load: { mean: number; max: number }; hubCpu: number; pgCpu: number; clientsCpu: number };
  let raw: Run;
  let ingest: Run;
  try {
    const creds = await enrolBenches(hub, benches);
    const plan = creds.map((c) => ({ c, events: Array.from({ length: batches }, () => Array.from({ length: batchSize }, () => parcelEvents(c.stationId, false)[0]!)) }));
    const file = join(dir, 'batches.jsonl');
    writeFileSync(file, plan.flatMap(({ c, events }) => events.map((e) => JSON.stringify({ token: c.token, body: JSON.stringify({ stationId: c.stationId, events: e }) }) + '\n')).join(''));
    const clients = await startClients(hub.url, file);

    const cpu0 = { hub: ownCpu(), pg: postgresCpu(pgDir) };
    const i = await withLoad(() => clients.go());
    ingest = { seconds: i.result.seconds, load: i.load, hubCpu: ownCpu() - cpu0.hub, pgCpu: postgresCpu(pgDir) - cpu0.pg, clientsCpu: i.result.cpu };
    const accepted = await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE site_id = $1', [SITE]);
    if (accepted.rows[0]?.n !== total) throw new Error(`the hub accepted ${accepted.rows[0]?.n} events of ${total}`);

    // The same rows, raw: batched multi-row INSERTs into a copy of the events table (same keys and indexes),
    // from as many connections as the hub's pool has.
    const rawPool = createPool(pgUrl, 10);
    try {
      await rawPool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
      const params = plan.flatMap(({ c, events }) =>
        events.map((es) => [
          c.stationId,
          es.map((e) => e.idempotencyKey),
          es.map((e) => e.aggregateType),
          es.map((e) => e.aggregateId),
          es.map((e) => e.sequence),
          es.map((e) => e.type),
          es.map((e) => JSON.stringify(e.payload)),
          es.map((e) => e.occurredAt),
        ]),
      );
      const cpu1 = { own: ownCpu(), pg: postgresCpu(pgDir) };
      const r = await withLoad(async () => {
        const t1 = performance.now();
        let next = 0;
        await Promise.all(
          Array.from({ length: benches }, async () => {
            for (let k = next++; k < params.length; k = next++) {
              await rawPool.query(
                `INSERT INTO raw_events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, previous_sequence, type, payload, occurred_at)
                 SELECT '${SITE}', k, $1, t, a, s, NULL, ty, p::jsonb, o FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[]) AS x(k, t, a, s, ty, p, o)`,
                params[k],
              );
            }
          }),
        );
        return (performance.now() - t1) / 1000;
      });
      raw = { seconds: r.result, load: r.load, hubCpu: ownCpu() - cpu1.own, pgCpu: postgresCpu(pgDir) - cpu1.pg, clientsCpu: 0 };
      await rawPool.query('DROP TABLE raw_events');
    } finally {
      await rawPool.end();
    }
  } finally {
    await hub.close();
  }
  const ingestRate = total / ingest.seconds;
  const rawRate = total / raw.seconds;
  console.log(
    `hub ingest: ${benches} benches × ${batches} batches × ${batchSize} events = ${fmt(total)} events accepted in ${ingest.seconds.toFixed(1)} s: ${fmt(ingestRate)} events/s (${loadText(ingest.load)}); CPU s: hub ${ingest.hubCpu.toFixed(1)}, PostgreSQL ${ingest.pgCpu.toFixed(1)}, simulated benches ${ingest.clientsCpu.toFixed(1)}`,
  );
  console.log(`raw batched INSERT of the same rows: ${raw.seconds.toFixed(1)} s: ${fmt(rawRate)} events/s (${loadText(raw.load)}); CPU s: client ${raw.hubCpu.toFixed(1)}, PostgreSQL ${raw.pgCpu.toFixed(1)}`);
  console.log(`ratio hub / raw: ${(ingestRate / rawRate).toFixed(2)}`);

  // Relay: the same database, now with the WMS reachable; the hub relays at its start.
  const wms = await startWms(dir);
  try {
    const r = await withLoad(async () => {
      const t0 = performance.now();
      const hub2 = await startHub({ siteId: SITE, databaseUrl: pgUrl, wms: { url: wms.url, token: WMS_TOKEN, timeoutMs: 30_000 }, relay: { intervalMs: 3_600_000, ...relayTuning }, log: () => undefined });
      try {
        for (;;) {
          await hub2.relay.drain();
          const open = await hub2.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM relay_outbox WHERE site_id = $1 AND state <> 'delivered'", [SITE]);
          if (open.rows[0]?.n === 0) break;
          if (hub2.relay.stats().lastError) throw new Error(`relay: ${hub2.relay.stats().lastError}`);
        }
        return { seconds: (performance.now() - t0) / 1000, batches: hub2.relay.stats().batches };
      } finally {
        await hub2.close();
      }
    });
    const atWms = wmsEventCount(wms.db);
    console.log(
      `relay to the demo WMS: ${fmt(total)} events in ${r.result.seconds.toFixed(1)} s (${r.result.batches} WMS batches): ${fmt(total / r.result.seconds)} events/s; at the WMS: ${fmt(atWms.applied)} applied, ${atWms.duplicated} duplicated (${loadText(r.load)})`,
    );
  } finally {
    await wms.stop();
  }
}

async function steady(pgUrl: string, dir: string, minutes: number): Promise<void> {
  const everyMs = Number(values.every) * 1000;
  const wms = await startWms(dir);
  const hub = await startHub({ siteId: SITE, databaseUrl: pgUrl, wms: { url: wms.url, token: WMS_TOKEN, timeoutMs: 10_000 }, relay: relayTuning, log: () => undefined });
  try {
    const creds = await enrolBenches(hub, benches);
    const acks: number[] = [];
    let failed = 0;
    const started = performance.now();
    const end = started + minutes * 60_000;
    const r = await withLoad(() =>
      Promise.all(
        creds.map(async (c, n) => {
          // The benches' items are spread over the interval, as independent operators' would be.
          for (let k = 0; ; k++) {
            const due = started + (n * everyMs) / creds.length + k * everyMs;
            if (due >= end) return;
            await new Promise((res) => setTimeout(res, Math.max(0, due - performance.now())));
            const body = JSON.stringify({ stationId: c.stationId, events: parcelEvents(c.stationId, true) });
            const t = performance.now();
            try {
              await deliver(hub, c, body);
              acks.push(performance.now() - t);
            } catch {
              failed++;
            }
          }
        }),
      ),
    );
    // What is still on its way is given a moment; its lag counts.
    for (let i = 0; i < 60; i++) {
      const open = await hub.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM relay_outbox WHERE site_id = $1 AND state <> 'delivered'", [SITE]);
      if (open.rows[0]?.n === 0) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    const lag = await hub.pool.query<{ n: number; open: number; p50: number; p99: number; max: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE state <> 'delivered')::int AS open,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - accepted_at))::float8 * 1000 AS p50,
              percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - accepted_at))::float8 * 1000 AS p99,
              max(extract(epoch FROM delivered_at - accepted_at))::float8 * 1000 AS max
       FROM relay_outbox WHERE site_id = $1`,
      [SITE],
    );
    const sorted = [...acks].sort((a, b) => a - b);
    const l = lag.rows[0]!;
    console.log(
      `steady load: ${benches} benches, one item (2 events) every ${everyMs / 1000} s each, ${minutes} min: ${fmt(acks.length)} batches acknowledged (${failed} failed), ${fmt(l.n)} events, ${l.open} not yet relayed at the end (${loadText(r.load)})`,
    );
    console.log(`bench→hub acknowledgement: p50 ${pct(sorted, 0.5).toFixed(1)} ms, p99 ${pct(sorted, 0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`);
    console.log(`relay lag (accepted at the hub → acknowledged by the WMS): p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms, max ${l.max.toFixed(0)} ms`);
    const atWms = wmsEventCount(wms.db);
    console.log(`at the WMS: ${fmt(atWms.applied)} applied, ${atWms.duplicated} duplicated`);
  } finally {
    await hub.close();
    await wms.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'rs-hub-bench-'));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'rs_hub' });
try {
  console.log(`bench:hub at ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at start`);
  if (values.minutes !== undefined) await steady(pg.url, dir, Number(values.minutes));
  else await throughput(pg.url, dir);
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
