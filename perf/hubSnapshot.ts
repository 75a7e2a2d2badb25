// `npm run bench:snapshot [-- --rmas 1000000] [--no-pull]`: a new bench behind a site hub gets the site's RMAs three ways in
// one run: from the hub's prepared reference file (core/sync/snapshotFile.ts: downloaded, copied with INSERT … SELECT
// while a second worker checks every row), the NDJSON snapshot (core/sync/snapshot.ts: one stream per resource,
// loaded by the bulk loader in a worker thread, core/sync/bulkLoad.ts) and the cursor pull (core/sync/pull.ts, page
// by page; into an empty bench the same bulk loader), each into a fresh
// SQLite database from the same hub. The demo WMS (cached 1M-RMA database, perf/lib/referenceDb.ts) and the
// hub (`npm run hub`, embedded PostgreSQL) run in processes of their own, as they are other machines; the
// hub's PostgreSQL data is kept under perf/cache/ so its own first pull of the site's RMAs from the WMS
// (minutes, not the figure here) is paid once. The hub's file is built at each run (its folder is cleared first),
// ahead of the bench's bootstrap; its build time is reported on its own. Reports, never fails on speed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { pullReferenceData } from '../core/sync/pull.js';
import { createSnapshotSource, loadSnapshot } from '../core/sync/snapshot.js';
import { defaultCheckers } from '../core/sync/snapshotFile.js';
import type { WorkerEntry } from '../core/workerEntry.js';
import { createWmsClient } from '../core/sync/wmsClient.js';
import { HUB_ENROL_PATH, HUB_SNAPSHOT_FILE_PATH } from '../contract/index.js';
import { openDatabase } from '../db/connection.js';
import { bundledWorkers } from './lib/bundledWorkers.js';
import { CACHE_DIR, referenceDbs } from './lib/referenceDb.js';
import { startWmsProcess } from './lib/wmsProcess.js';

const { values } = parseArgs({
  options: {
    rmas: { type: 'string', default: '1000000' },
    products: { type: 'string', default: '20000' },
    /** Only fill the caches (the WMS database, the hub's site copy), for a later timed run on a quiet machine. */
    prepare: { type: 'boolean', default: false },
    /** Only the snapshot: the cursor pull of 1M RMAs through the hub takes many minutes on a loaded machine. */
    'no-pull': { type: 'boolean', default: false },
  },
});
const size = { rmas: Number(values.rmas), products: Number(values.products) };
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (m: string): void => console.log(m);
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function postJson(url: string, token: string | null, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** The hub's log line when its prepared reference file is ready (hub/snapshotFile.ts). */
const FILE_READY = /reference snapshot file ready: (\d+) RMAs.*?(\d+) MB, built in ([\d.]+) s/;

/** The hub as `npm run hub` starts it, on a kept data directory; resolves once it listens. `fileReady` waits for its file of `rmas` RMAs. */
async function startHubProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; fileReady(rmas: number): Promise<{ seconds: number; mb: number }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'hub', 'main.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const built: { rmas: number; seconds: number; mb: number }[] = [];
  const waiting = new Set<() => void>();
  const fileReady = async (rmas: number): Promise<{ seconds: number; mb: number }> => {
    for (;;) {
      const found = built.find((b) => b.rmas === rmas);
      if (found) return found;
      await new Promise<void>((r) => waiting.add(r));
    }
  };
  for await (const line of lines) {
    const m = /listening on (\S+)/.exec(line);
    if (m?.[1]) {
      lines.on('line', (l) => {
        const f = FILE_READY.exec(l);
        if (f) built.push({ rmas: Number(f[1]), mb: Number(f[2]), seconds: Number(f[3]) });
        if (/reference snapshot file/.test(l)) console.log(`  ${l}`);
        for (const w of waiting) w();
        waiting.clear();
      });
      return { url: m[1], child, fileReady };
    }
  }
  throw new Error('the hub exited before it listened');
}

log(`snapshot bootstrap vs cursor pull through a site hub: ${size.rmas.toLocaleString('en')} RMAs, ${size.products.toLocaleString('en')} products; load average ${load()} at start (${new Date().toISOString()})`);
const dbs = referenceDbs(size, log);
// The last two RMAs in the WMS's cursor order: the hub holds the whole site copy once its page after the
// second-last one returns the last.
const wmsDb = new Database(dbs.wms.file, { readonly: true });
const tail = wmsDb.prepare('SELECT rma_number AS id, updated_at AS u FROM rmas ORDER BY updated_at DESC, rma_number DESC LIMIT 2').all() as { id: string; u: string }[];
wmsDb.close();
const [lastRma, beforeLast] = tail;
if (!lastRma || !beforeLast) throw new Error('the WMS database has fewer than two RMAs');

const wms = await startWmsProcess(dbs.wms.file);
const hubData = join(CACHE_DIR, `hub-${size.rmas}r-${size.products}p`);
mkdirSync(hubData, { recursive: true });
chmodSync(hubData, 0o755);
const adminToken = randomBytes(24).toString('base64url');
// The file is built anew at each run, so that its build time is measured.
rmSync(join(hubData, 'data', 'snapshot'), { recursive: true, force: true });
const hub = await startHubProcess({
  RS_HUB_DATA_DIR: join(hubData, 'data'),
  RS_HUB_PORT: String(await freePort()),
  RS_HUB_SITE_ID: 'SITE-BENCH',
  RS_HUB_WMS_URL: wms.url,
  RS_HUB_WMS_TOKEN: wms.token,
  RS_HUB_ADMIN_TOKEN: adminToken,
});
const dir = mkdtempSync(join(tmpdir(), 'rs-bench-snapshot-'));
try {
  const { code } = (await postJson(`${hub.url}/admin/v1/enrolment-codes`, adminToken, { stationId: 'BENCH-NEW' })) as { code: string };
  const { token } = (await postJson(hub.url + HUB_ENROL_PATH, null, { code })) as { token: string };

  // The hub's own pull of the site copy from the WMS (at its start); only the first run on a data directory waits.
  const t0 = performance.now();
  for (let shown = 0; ; ) {
    const q = new URLSearchParams({ limit: '1', updated_since: beforeLast.u, after_id: beforeLast.id });
    const res = await fetch(`${hub.url}/api/v1/rmas?${q}`, { headers: { authorization: `Bearer ${token}` } });
    const page = res.ok ? ((await res.json()) as { items: { rmaNumber: string }[] }) : { items: [] };
    if (page.items[0]?.rmaNumber === lastRma.id) break;
    const waited = (performance.now() - t0) / 1000;
    if (waited - shown >= 30) {
      shown = waited;
      log(`  the hub is still pulling the site copy from the WMS (${waited.toFixed(0)} s)`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const hubPullS = (performance.now() - t0) / 1000;
  if (hubPullS > 5) log(`  the hub's own first pull from the WMS took about ${hubPullS.toFixed(0)} s (kept in ${hubData})`);
  if (values.prepare) {
    log('prepared; run again without --prepare for the figures');
  } else {
    const file = await hub.fileReady(size.rmas);
    log(`hub: prepared reference file of ${size.rmas.toLocaleString('en')} RMAs (${file.mb} MB) built in ${file.seconds.toFixed(1)} s, ahead of any bench (not part of a bootstrap; load average ${load()})`);
    const run = async (name: string, work: (db: ReturnType<typeof openDatabase>) => Promise<number>): Promise<{ seconds: number; rmas: number; cpu: number; load: string }> => {
      // The station's own setting: its connection never checkpoints on commit.
      const db = openDatabase(join(dir, `${name}.sqlite`), { walAutoCheckpoint: false });
      try {
        const cpu0 = process.cpuUsage();
        const t = performance.now();
        const rmas = await work(db);
        const seconds = (performance.now() - t) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const stored = (db.prepare('SELECT count(*) AS n FROM rmas').get() as { n: number }).n;
        if (stored !== size.rmas) throw new Error(`${name}: ${stored} RMAs stored, expected ${size.rmas}`);
        return { seconds, rmas, cpu: (cpu.user + cpu.system) / 1e6, load: load() };
      } finally {
        db.close();
      }
    };
    // The hub's side of the download alone: the file fetched and dropped, nothing written or checked.
    const bareT = performance.now();
    const bare = await fetch(hub.url + HUB_SNAPSHOT_FILE_PATH, { headers: { authorization: `Bearer ${token}` } });
    let bareBytes = 0;
    for await (const piece of bare.body ?? []) bareBytes += (piece as Uint8Array).length;
    log(`bare fetch of the file from the hub: ${(bareBytes / 1e6).toFixed(0)} MB in ${((performance.now() - bareT) / 1000).toFixed(1)} s`);
    // The workers as a packaged bench runs them (bundled); from the sources each also compiles itself through tsx first.
    const worker = await bundledWorkers();
    const fileBootstrap = async (name: string, label: string, entry?: WorkerEntry) => {
      let downloadS = 0;
      const r = await run(name, async (db) => {
        const loaded = await loadSnapshot(db, createSnapshotSource({ baseUrl: hub.url, token }), entry ? { file: { entry } } : {});
        if (loaded?.via !== 'file') throw new Error(`the prepared file was not loaded: ${loaded?.fileRefused?.message ?? 'no snapshot'}`);
        downloadS = (loaded.downloadMs ?? 0) / 1000;
        return loaded.rmas;
      });
      log(
        `file bootstrap (${label}): ${r.rmas.toLocaleString('en')} RMAs into a new bench in ${r.seconds.toFixed(1)} s (download ${downloadS.toFixed(1)} s, copy and check ${(r.seconds - downloadS).toFixed(1)} s; ${Math.round(r.rmas / r.seconds).toLocaleString('en')} RMAs/s, bench CPU ${r.cpu.toFixed(1)} s; ${defaultCheckers()} checker${defaultCheckers() === 1 ? '' : 's'} on ${availableParallelism()} cores; load average after ${r.load})`,
      );
      return r;
    };
    const bundledBulk = { entry: worker('bulkLoadWorker'), validatorEntry: worker('bulkValidateWorker') };
    const fromFile = await fileBootstrap('file', 'workers bundled, as packaged', worker('snapshotFileWorker'));
    await fileBootstrap('file-tsx', 'workers from the TypeScript sources through tsx');
    const snap = await run('snapshot', async (db) => {
      const r = await loadSnapshot(db, createSnapshotSource({ baseUrl: hub.url, token }), { file: false, bulk: bundledBulk });
      if (!r) throw new Error('the hub served no snapshot');
      return r.rmas;
    });
    log(`NDJSON snapshot bootstrap (workers bundled): ${snap.rmas.toLocaleString('en')} RMAs into a new bench in ${snap.seconds.toFixed(1)} s (${Math.round(snap.rmas / snap.seconds).toLocaleString('en')} RMAs/s, bench CPU ${snap.cpu.toFixed(1)} s; load average after ${snap.load})`);
    log(`file / NDJSON snapshot time: ${(fromFile.seconds / snap.seconds).toFixed(2)}`);
    if (values['no-pull']) {
      log('cursor pull skipped (--no-pull)');
    } else {
      const pull = await run('cursor', async (db) => (await pullReferenceData(db, createWmsClient({ baseUrl: hub.url, token, timeoutMs: 120_000 }), { bulk: bundledBulk })).rmas);
      log(`cursor pull of the same data (workers bundled): ${pull.rmas.toLocaleString('en')} RMAs in ${pull.seconds.toFixed(1)} s (${Math.round(pull.rmas / pull.seconds).toLocaleString('en')} RMAs/s, bench CPU ${pull.cpu.toFixed(1)} s; load average after ${pull.load})`);
      log(`file / cursor pull time: ${(fromFile.seconds / pull.seconds).toFixed(2)}; NDJSON snapshot / cursor pull time: ${(snap.seconds / pull.seconds).toFixed(2)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  hub.child.kill('SIGTERM');
  await new Promise((r) => hub.child.once('exit', r));
  wms.stop();
}
