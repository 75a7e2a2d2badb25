// A whole site on one machine for demos and tests (`npm run site`, scripts/site.ts). The demo WMS, the hub
// (on its embedded PostgreSQL) and every bench preview run as their own processes, started by file path
// (the hub never imports bench code). Each bench has its own data folder and station id, is enrolled with
// a one-time code and delivers through the hub (RS_HUB_URL / RS_HUB_TOKEN); it is in demo mode only for
// its operators and printer simulator.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { normalizeBadge, WMS_PATHS } from '../contract/index.js';
import { BenchCredential, EnrolmentCode, HUB_PATHS } from './protocol.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_WMS_MAIN = join(ROOT, 'fixtures', 'demo-wms', 'main.ts');
const PREVIEW_MAIN = join(ROOT, 'scripts', 'preview.ts');
const HUB_MAIN = join(ROOT, 'hub', 'main.ts');

export interface SiteOptions {
  benches: number;
  /** Holds the hub's PostgreSQL (`hub/`), the demo WMS database and one folder per bench. */
  dataDir: string;
  siteId?: string;
  /** 0: any free port. */
  hubPort?: number;
  wmsPort?: number;
  /** Port of the first bench's preview; the next ones follow it (0: any free ports). */
  benchPort?: number;
  /** RMAs the demo WMS is seeded with on its first start. */
  rmas?: number;
  /** The built renderer: the hub serves it as the hub UI for leads and supervisors (RS_HUB_UI_DIR). */
  hubUiDir?: string;
  /**
   * Operators enrolled at the hub before the benches start: the site's roster, which the benches then pull
   * (`npm run site` passes the demo operators, so their badges work at every bench and at the hub UI).
   */
  operators?: readonly { badge: string; name: string; role: string; pin: string }[];
  /** Extra environment of the child processes (tests: RS_SKIP_BUILD). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface SiteBench {
  stationId: string;
  /** Open this one: it carries the preview's per-run token. */
  url: string;
  baseUrl: string;
  token: string;
  dataDir: string;
}

export interface SiteHub {
  url: string;
  siteId: string;
  adminToken: string;
}

export interface Site {
  hub: SiteHub;
  wmsUrl: string;
  wmsToken: string;
  wmsDbFile: string;
  benches: SiteBench[];
  close(): Promise<void>;
}

export interface Child {
  name: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * A child node process running a TypeScript entry through tsx's loader (no tsx wrapper process between,
 * so a signal reaches the program itself). It gets its own process group: a Ctrl-C in the terminal
 * reaches only this site process, which stops the children in order, each once.
 */
export function startChild(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): { child: Child; firstLine: (re: RegExp, timeoutMs: number) => Promise<RegExpExecArray> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  let tail = '';
  const onLine = (line: string): void => {
    log(`[${name}] ${line}`);
    for (const w of [...waiters]) {
      const m = w.re.exec(line);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  const split = (chunk: Buffer): void => {
    tail += chunk.toString('utf8');
    const lines = tail.split('\n');
    tail = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) onLine(l.trimEnd());
  };
  proc.stdout?.on('data', split);
  proc.stderr?.on('data', split);
  return {
    child: { name, proc, exited },
    firstLine: (re, timeoutMs) =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`${name} did not start within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
        void exited.then((code) => {
          clearTimeout(timer);
          rej(new Error(`${name} stopped while starting (exit code ${code ?? 'signal'})`));
        });
        waiters.push({
          re,
          resolve: (m) => {
            clearTimeout(timer);
            res(m);
          },
        });
      }),
  };
}

export async function stopChild(c: Child, timeoutMs = 15_000): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), timeoutMs);
  await c.exited;
  clearTimeout(timer);
}

/** Signs an operator in at the hub UI as its screens do (a session header, then the session cookie). Dev tools only. */
export async function signInAtHubUi(hubUrl: string, badge: string, pin: string): Promise<{ session: string; cookie: string }> {
  const session = randomUUID();
  const res = await fetch(`${hubUrl}/api/call/session.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-station-session': session },
    body: JSON.stringify({ badge, pin }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!res.ok || !cookie) throw new Error(`the hub refused ${badge}'s sign-in: HTTP ${res.status}`);
  return { session, cookie };
}

export async function postJson(url: string, token: string | null, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`the hub refused ${url}: ${JSON.stringify(json)}`);
  return json;
}

/** Enrols at the hub each operator it does not know yet (a site started again on its data keeps its roster). */
async function enrolOperators(hub: SiteHub, operators: NonNullable<SiteOptions['operators']>): Promise<void> {
  const res = await fetch(hub.url + '/admin/v1/operators', { headers: { authorization: `Bearer ${hub.adminToken}` } });
  if (!res.ok) throw new Error(`the hub did not list its operators: HTTP ${res.status}`);
  const known = new Set(z.object({ operators: z.array(z.object({ badge: z.string() })) }).parse(await res.json()).operators.map((o) => normalizeBadge(o.badge)));
  for (const op of operators) {
    if (!known.has(normalizeBadge(op.badge))) await postJson(hub.url + '/admin/v1/operators', hub.adminToken, { badge: op.badge, name: op.name, role: op.role, pin: op.pin });
  }
}

/**
 * Waits until the hub serves its first page of RMAs (the hub pulls at start); benches started before
 * would begin with an empty copy and pick the RMAs up only on their next pull.
 */
async function waitForReference(hubUrl: string, wmsUrl: string, wmsToken: string, timeoutMs = 60_000): Promise<void> {
  const first = async (url: string): Promise<string | null> => {
    const res = await fetch(`${url}${WMS_PATHS.rmas}?limit=1`, { headers: { authorization: `Bearer ${wmsToken}` } }).catch(() => null);
    if (!res?.ok) return null;
    const page = (await res.json()) as { items?: { rmaNumber?: string }[] };
    return page.items?.[0]?.rmaNumber ?? null;
  };
  if ((await first(wmsUrl)) === null) return;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(hubUrl + HUB_PATHS.metrics).catch(() => null);
    const text = r?.ok ? await r.text() : '';
    if (/rs_hub_reference_rows\{[^}]*rmas[^}]*\} [1-9]/.test(text)) return;
    if (Date.now() > until) throw new Error('the hub did not pull the RMAs from the demo WMS within a minute');
    await new Promise((res) => setTimeout(res, 200));
  }
}

export const benchStationId = (i: number): string => `BENCH-${String(i + 1).padStart(2, '0')}`;

export async function startSite(options: SiteOptions): Promise<Site> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const children: Child[] = [];
  // Children have their own process groups, so a site process that dies unplanned takes them along.
  const killChildren = (): void => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  };
  process.on('exit', killChildren);
  // A site that fails half-way stops what it started, in reverse order.
  const stopAll = async (): Promise<void> => {
    // Benches first (nothing new arrives), then the hub (drains, stops its PostgreSQL), then the WMS.
    const order = ['BENCH', 'hub', 'demo-wms'];
    for (const prefix of order) await Promise.all(children.filter((c) => c.name.startsWith(prefix)).map((c) => stopChild(c)));
    process.removeListener('exit', killChildren);
  };
  try {
    const wmsToken = randomBytes(18).toString('base64url');
    const wmsDbFile = join(dataDir, 'demo-wms.sqlite');
    const wms = startChild(
      'demo-wms',
      DEMO_WMS_MAIN,
      ['--db', wmsDbFile, '--port', String(options.wmsPort ?? 0), '--token', wmsToken, '--rmas', String(options.rmas ?? 1000)],
      { ...process.env, ...options.env },
      log,
    );
    children.push(wms.child);
    const wmsUrl = (await wms.firstLine(/listening on (http:\/\/\S+)/, 60_000))[1] ?? '';

    // Its own process (and process group): a Ctrl-C in the terminal must not reach its PostgreSQL
    // before the hub has drained; the hub stops PostgreSQL itself.
    const siteId = options.siteId ?? 'SITE-01';
    const adminToken = randomBytes(24).toString('base64url');
    const hubChild = startChild(
      'hub',
      HUB_MAIN,
      [],
      {
        ...process.env,
        ...options.env,
        RS_HUB_SITE_ID: siteId,
        RS_HUB_DATA_DIR: join(dataDir, 'hub'),
        RS_HUB_PORT: String(options.hubPort ?? 0),
        RS_HUB_WMS_URL: wmsUrl,
        RS_HUB_WMS_TOKEN: wmsToken,
        RS_HUB_ADMIN_TOKEN: adminToken,
        RS_HUB_DATABASE_URL: undefined,
        RS_HUB_UI_DIR: options.hubUiDir,
      },
      log,
    );
    children.push(hubChild.child);
    const hubUrl = (await hubChild.firstLine(/listening on (http:\/\/[^\s)]+)/, 120_000))[1] ?? '';
    const hub: SiteHub = { url: hubUrl, siteId, adminToken };
    if (options.operators?.length) await enrolOperators(hub, options.operators);
    // The benches start from the site's copy: it is pulled when the hub starts; wait for the RMAs in it.
    await waitForReference(hubUrl, wmsUrl, wmsToken);

    const benches: SiteBench[] = [];
    const starting: Promise<void>[] = [];
    for (let i = 0; i < options.benches; i++) {
      const stationId = benchStationId(i);
      const { code } = EnrolmentCode.parse(await postJson(hub.url + HUB_PATHS.adminCodes, hub.adminToken, { stationId, ttlMinutes: 5 }));
      const credential = BenchCredential.parse(await postJson(hub.url + HUB_PATHS.enrol, null, { code }));
      const benchDir = join(dataDir, stationId.toLowerCase());
      const port = options.benchPort ? options.benchPort + i : 0;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...options.env,
        RS_STATION_ID: stationId,
        RS_HUB_URL: hub.url,
        RS_HUB_TOKEN: credential.token,
        RS_DATA_DIR: benchDir,
        RS_PREVIEW_PORT: String(port),
        RS_DEMO: '1',
      };
      // A bench started by hand may carry a WMS of its own; through a hub it must not.
      delete env.RS_WMS_URL;
      delete env.RS_WMS_TOKEN;
      const bench = startChild(stationId, PREVIEW_MAIN, [], env, log);
      children.push(bench.child);
      const started = bench.firstLine(/preview: (http:\/\/\S+)/, 180_000).then((m) => {
        const url = new URL(m[1] ?? '');
        const token = url.searchParams.get('token') ?? '';
        benches[i] = { stationId, url: url.toString(), baseUrl: `${url.origin}/`, token, dataDir: benchDir };
      });
      // The first bench builds the app screens when they are missing; the others wait for it rather
      // than run the same build side by side.
      if (i === 0) await started;
      else starting.push(started);
    }
    await Promise.all(starting);

    let closed: Promise<void> | null = null;
    return {
      hub,
      wmsUrl,
      wmsToken,
      wmsDbFile,
      benches,
      close: () => (closed ??= stopAll()),
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
