// `npm run chaos:site -- --benches 5 --items 5000 --kills 20 --faults 0.3`: three tiers under faults. Benches
// (scripts/chaos-bench.ts: real stations driven through their dispatchers, as operators) grade returns through
// the site hub, which relays to a faulty demo WMS. Meanwhile benches and the hub are SIGKILLed at random and
// started again, PostgreSQL restarts once under the running hub, and the WMS goes down for a few windows.
// Then it counts in the demo WMS's own database. Every part is its own process, started by file path (the hub
// never imports bench code); only PostgreSQL runs in this process, so it can be restarted under the hub.
// Dev tool: not in the hub's image.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startEmbeddedPostgres, type EmbeddedCluster } from './postgres.js';
import { BenchCredential, EnrolmentCode, HUB_PATHS } from './protocol.js';
import { benchStationId, postJson, startChild, stopChild, type Child } from './site.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_WMS_MAIN = join(ROOT, 'fixtures', 'demo-wms', 'main.ts');
const HUB_MAIN = join(ROOT, 'hub', 'main.ts');
const BENCH_MAIN = join(ROOT, 'scripts', 'chaos-bench.ts');

export interface ChaosSiteOptions {
  benches: number;
  items: number;
  /** SIGKILLs in all, of benches and of the hub (about one in four is the hub). */
  kills: number;
  /** Share of WMS requests that fail: half as 503s, half as answers dropped after the WMS committed. */
  faults: number;
  /** An operator's time per return at each bench (default 0: as fast as the bench goes). */
  paceMs?: number;
  /** Windows in which the WMS is down (default 3). */
  wmsWindows?: number;
  seed?: number;
  /** Time allowed for the hub to relay the last events once every bench is done. */
  drainTimeoutMs?: number;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface ChaosSiteResult {
  /** Distinct events applied at the WMS. */
  delivered: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** Returns closed at the WMS (one parcel.closed each), of `items`. */
  itemsAtWms: number;
  benchKills: number;
  hubKills: number;
  postgresRestarts: number;
  wmsWindows: number;
  dir: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runChaosSite(options: ChaosSiteOptions): Promise<ChaosSiteResult> {
  const log = options.log ?? (() => undefined);
  let seed = options.seed ?? 7;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const dir = mkdtempSync(join(tmpdir(), 'chaos-site-'));
  // As root the embedded PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(dir, 0o755);
  const wmsDb = join(dir, 'wms.sqlite');
  // The benches stay up (delivering) until every fault has happened, so none is spent on a finished site.
  const holdFile = join(dir, 'release');
  const wmsToken = randomBytes(18).toString('base64url');
  const adminToken = randomBytes(24).toString('base64url');
  const siteId = 'SITE-CHAOS';
  const children = new Set<Child>();
  let stopping = false;
  const childLog = (line: string): void => log(line);

  let pg: EmbeddedCluster | null = null;
  let wms: Child | null = null;
  let hub: Child | null = null;
  let wmsPort = 0;
  let hubPort = 0;
  let wmsUrl = '';
  let hubUrl = '';

  const startWms = async (): Promise<void> => {
    const half = String(options.faults / 2);
    const c = startChild(
      'demo-wms',
      DEMO_WMS_MAIN,
      ['--db', wmsDb, '--port', String(wmsPort), '--token', wmsToken, '--rmas', String(options.items), '--fail-rate', half, '--drop-rate', half],
      { ...process.env },
      childLog,
    );
    wms = c.child;
    children.add(c.child);
    wmsUrl = (await c.firstLine(/listening on (http:\/\/\S+)/, 120_000))[1] ?? '';
    wmsPort = Number(new URL(wmsUrl).port);
  };

  const startHubChild = async (): Promise<void> => {
    if (!pg) throw new Error('PostgreSQL is not running');
    const c = startChild(
      'hub',
      HUB_MAIN,
      [],
      {
        ...process.env,
        RS_HUB_SITE_ID: siteId,
        RS_HUB_DATABASE_URL: pg.url,
        RS_HUB_PORT: String(hubPort),
        RS_HUB_WMS_URL: wmsUrl,
        RS_HUB_WMS_TOKEN: wmsToken,
        RS_HUB_ADMIN_TOKEN: adminToken,
        // The WMS windows are seconds long: a relay that backed off for a minute would only make the run slow.
        RS_HUB_RELAY_BACKOFF_CAP_MS: '1000',
      },
      childLog,
    );
    hub = c.child;
    children.add(c.child);
    const me = c.child;
    // A hub that stops without being killed is a finding of the run, not something to restart.
    void me.exited.then((code) => {
      if (!stopping && !killedOnPurpose.has(me)) crashed ??= new Error(`the hub stopped by itself (exit code ${code ?? me.proc.signalCode ?? '?'})`);
    });
    hubUrl = (await c.firstLine(/listening on (http:\/\/[^\s)]+)/, 120_000))[1] ?? '';
    hubPort = Number(new URL(hubUrl).port);
  };

  const killedOnPurpose = new Set<Child>();
  let crashed: Error | null = null;
  const kill = async (c: Child): Promise<void> => {
    killedOnPurpose.add(c);
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await c.exited;
    children.delete(c);
  };

  const benches: { stationId: string; dir: string; count: number; progress: number; finished: boolean; child: Child | null }[] = [];
  const result = { benchKills: 0, hubKills: 0, postgresRestarts: 0, wmsWindows: 0 };

  try {
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'rs_hub' });
    await startWms();
    await startHubChild();
    await waitForReferenceRows(hubUrl, options.items);

    const per = Math.ceil(options.items / options.benches);
    const runs: Promise<void>[] = [];
    for (let i = 0; i < options.benches; i++) {
      const stationId = benchStationId(i);
      const { code } = EnrolmentCode.parse(await postJson(hubUrl + HUB_PATHS.adminCodes, adminToken, { stationId, ttlMinutes: 60 }));
      const credential = BenchCredential.parse(await postJson(hubUrl + HUB_PATHS.enrol, null, { code }));
      const from = i * per;
      const count = Math.max(0, Math.min(per, options.items - from));
      const bench = { stationId, dir: join(dir, stationId.toLowerCase()), count, progress: 0, finished: false, child: null as Child | null };
      benches.push(bench);
      const env: NodeJS.ProcessEnv = { ...process.env, RS_STATION_ID: stationId, RS_HUB_URL: hubUrl, RS_HUB_TOKEN: credential.token };
      delete env.RS_WMS_URL;
      delete env.RS_WMS_TOKEN;
      // A bench runs until it says it is finished; one that was killed is started again, as a person would.
      runs.push(
        (async () => {
          for (;;) {
            const c = startChild(
              stationId,
              BENCH_MAIN,
              [
                ...['--data-dir', bench.dir, '--rmas', String(options.items), '--from', String(from), '--count', String(count)],
                ...['--pace-ms', String(options.paceMs ?? 0), '--hold-file', holdFile],
              ],
              env,
              (line) => {
                const m = /progress (\d+)/.exec(line);
                if (m) bench.progress = Math.max(bench.progress, Number(m[1]));
                childLog(line);
              },
            );
            bench.child = c.child;
            children.add(c.child);
            const code = await c.child.exited;
            children.delete(c.child);
            if (c.child.proc.signalCode === 'SIGKILL' && !stopping) continue;
            if (code !== 0) throw new Error(`${stationId} stopped with exit code ${code ?? c.child.proc.signalCode ?? '?'}`);
            bench.finished = true;
            return;
          }
        })(),
      );
    }

    // The faults, each at a point of the overall progress, spread over the run.
    type Fault = { at: number; kind: 'bench' | 'hub' | 'postgres' | 'wms' };
    const faults: Fault[] = [];
    // The first kill is a bench's and the second the hub's, so even a short run has both.
    for (let k = 0; k < options.kills; k++) faults.push({ at: (k + rand()) / (options.kills + 1), kind: k === 0 ? 'bench' : k === 1 || rand() < 0.25 ? 'hub' : 'bench' });
    faults.push({ at: 0.5, kind: 'postgres' });
    const windows = options.wmsWindows ?? 3;
    for (let w = 0; w < windows; w++) faults.push({ at: (w + rand()) / windows, kind: 'wms' });
    faults.sort((a, b) => a.at - b.at);

    let failed: unknown = null;
    const allRuns = Promise.all(runs).catch((err: unknown) => {
      failed = err;
    });
    let settled = false;
    void allRuns.then(() => (settled = true));
    const total = (): number => benches.reduce((n, b) => n + b.progress, 0) / options.items;
    const allGraded = (): boolean => benches.every((b) => b.progress >= b.count);
    for (const fault of faults) {
      while (!settled && !crashed && total() < fault.at && !allGraded()) await sleep(50);
      if (crashed) throw crashed;
      if (settled) break;
      switch (fault.kind) {
        case 'bench': {
          const alive = benches.filter((b) => b.child && b.child.proc.exitCode === null && b.child.proc.signalCode === null);
          const victim = alive[Math.floor(rand() * alive.length)];
          if (!victim?.child) break;
          await sleep(Math.floor(rand() * 200));
          log(`chaos: SIGKILL ${victim.stationId}`);
          victim.child.proc.kill('SIGKILL');
          result.benchKills++;
          break;
        }
        case 'hub': {
          if (!hub) break;
          log('chaos: SIGKILL the hub');
          await kill(hub);
          result.hubKills++;
          await sleep(Math.floor(rand() * 1000));
          await startHubChild();
          break;
        }
        case 'postgres': {
          if (!pg) break;
          log('chaos: restarting PostgreSQL under the hub');
          const port = pg.port;
          await pg.stop();
          pg = null;
          await sleep(500);
          pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'rs_hub', port });
          result.postgresRestarts++;
          break;
        }
        case 'wms': {
          if (!wms) break;
          log('chaos: the WMS goes down');
          await stopChild(wms);
          children.delete(wms);
          result.wmsWindows++;
          await sleep(500 + Math.floor(rand() * 2000));
          await startWms();
          log('chaos: the WMS is back');
          break;
        }
      }
    }
    writeFileSync(holdFile, 'go');
    while (!settled && !crashed) await sleep(100);
    if (crashed) throw crashed;
    if (failed) throw failed;

    // Every bench has handed all its events to the hub; the hub relays the last of them.
    const keys = new Set<string>();
    for (const b of benches) {
      const station = new Database(join(b.dir, 'station.sqlite'), { readonly: true });
      for (const r of station.prepare('SELECT idempotency_key AS k FROM outbox').all() as { k: string }[]) keys.add(r.k);
      station.close();
    }
    const until = Date.now() + (options.drainTimeoutMs ?? 120_000);
    let counts = countAtWms(wmsDb, keys);
    while (counts.missing > 0 && !crashed && Date.now() < until) {
      await sleep(250);
      counts = countAtWms(wmsDb, keys);
    }
    if (crashed) throw crashed;
    stopping = true;
    await stopChild(hub!);
    await stopChild(wms!);
    counts = countAtWms(wmsDb, keys);
    return {
      delivered: counts.delivered,
      // An event a bench recorded that the WMS never applied, or a return whose closing never reached it.
      lost: Math.max(counts.missing, options.items - counts.itemsClosed),
      duplicated: counts.duplicated,
      outOfOrder: counts.outOfOrder,
      itemsAtWms: counts.itemsClosed,
      ...result,
      dir,
    };
  } finally {
    stopping = true;
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await Promise.all([...children].map((c) => c.exited));
    await pg?.stop().catch(() => undefined);
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until the hub's copy holds every RMA of the demo WMS, so each bench finds its returns. */
export async function waitForReferenceRows(hubUrl: string, rows: number, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(hubUrl + HUB_PATHS.metrics).catch(() => null);
    const text = r?.ok ? await r.text() : '';
    const m = /rs_hub_reference_rows\{[^}]*rmas[^}]*\} (\d+)/.exec(text);
    if (m && Number(m[1]) >= rows) return;
    if (Date.now() > until) throw new Error(`the hub did not pull ${rows} RMAs from the demo WMS in time`);
    await sleep(200);
  }
}

/** Counted in the demo WMS's own database (the same rules as its eventStats). */
function countAtWms(file: string, keys: Set<string>): { delivered: number; missing: number; duplicated: number; outOfOrder: number; itemsClosed: number } {
  const db = new Database(file, { readonly: true });
  try {
    const one = (sql: string): number => (db.prepare(sql).get() as { n: number | null }).n ?? 0;
    const delivered = one('SELECT COUNT(DISTINCT idempotency_key) AS n FROM events');
    const isApplied = db.prepare('SELECT 1 FROM events WHERE idempotency_key = ? LIMIT 1');
    let missing = 0;
    for (const k of keys) if (!isApplied.get(k)) missing++;
    // An (aggregate, sequence) applied twice, or a return received in two parcels, is a duplicate.
    const twice = one('SELECT SUM(c - 1) AS n FROM (SELECT COUNT(*) AS c FROM events GROUP BY aggregate_type, aggregate_id, sequence HAVING c > 1)');
    const received = one(
      "SELECT SUM(c - 1) AS n FROM (SELECT COUNT(*) AS c FROM events WHERE type = 'parcel.received' GROUP BY json_extract(payload, '$.rmaNumber') HAVING c > 1)",
    );
    const outOfOrder = one(
      `SELECT COUNT(*) AS n FROM (
         SELECT sequence, previous_sequence,
                COALESCE(LAG(sequence) OVER (PARTITION BY aggregate_type, aggregate_id ORDER BY seq), 0) AS before
         FROM events)
       WHERE sequence <= before OR (previous_sequence IS NULL AND sequence <> before + 1)`,
    );
    const itemsClosed = one("SELECT COUNT(DISTINCT aggregate_id) AS n FROM events WHERE type = 'parcel.closed'");
    return { delivered, missing, duplicated: twice + received, outOfOrder, itemsClosed };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      benches: { type: 'string', default: '5' },
      items: { type: 'string', default: '5000' },
      kills: { type: 'string', default: '20' },
      faults: { type: 'string', default: '0.3' },
      seed: { type: 'string', default: String(Date.now() % 100000) },
      keep: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const r = await runChaosSite({
    benches: Number(values.benches),
    items: Number(values.items),
    kills: Number(values.kills),
    faults: Number(values.faults),
    seed: Number(values.seed),
    keep: values.keep,
    log: values.verbose ? (l) => console.error(l) : (l) => (l.startsWith('chaos:') ? console.error(l) : undefined),
  });
  console.error(
    `seed=${values.seed} bench_kills=${r.benchKills} hub_kills=${r.hubKills} postgres_restarts=${r.postgresRestarts} wms_windows=${r.wmsWindows} items_at_wms=${r.itemsAtWms}/${values.items}${values.keep ? ` dir=${r.dir}` : ''}`,
  );
  console.log(`delivered=${r.delivered} lost=${r.lost} duplicated=${r.duplicated} out_of_order=${r.outOfOrder}`);
  process.exit(r.lost === 0 && r.duplicated === 0 && r.outOfOrder === 0 ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`chaos:site failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
