// `npm run site`: the demo WMS, the hub (embedded PostgreSQL) and two bench previews as their own
// processes. Each bench grades one return through its preview's HTTP API (what the browser tab calls);
// the demo WMS's own database must then hold each of those events exactly once, sent by its bench.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { eventStats } from '../../fixtures/demo-wms/store.js';
import { HUB_PATHS } from '../../hub/protocol.js';
import { startSite, type Site, type SiteBench } from '../../hub/site.js';

const RMAS = 30;
// The demo WMS's CLI seeds 200 products and RMAS RMAs from seed 42: the same data, known here.
const data = generateDemoData({ seed: 42, products: 200, rmas: RMAS });
const staff = data.operators.find((o) => o.role === 'staff')!;
// The children need no app screens for an API test; a fresh clone builds them in `npm run site`.
const childEnv = { RS_SKIP_BUILD: '1' };
let dir: string;
let site: Site;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-site-'));
  chmodSync(dir, 0o755);
  site = await startSite({ benches: 2, dataDir: dir, siteId: 'SITE-T', rmas: RMAS, env: childEnv });
}, 240_000);

afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** One bench's browser tab: its token cookie and its own session id. */
function tab(bench: SiteBench) {
  const session = `site-test-${bench.stationId}`;
  return async <T>(name: string, input: unknown): Promise<T> => {
    const res = await fetch(`${bench.baseUrl}api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `rs_token=${bench.token}`, 'x-station-session': session },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error.message}`);
    return body.value;
  };
}

async function gradeOne(bench: SiteBench, rmaIndex: number): Promise<string> {
  const call = tab(bench);
  const rma = data.rmas[rmaIndex]!;
  const line = rma.lines[0]!;
  const product = data.products.find((p) => p.sku === line.sku)!;
  await call('session.signIn', { badge: staff.badge, pin: staff.pin });
  // The bench pulls the site's copy of the RMAs from the hub when it starts; until that pull is in, the
  // parcel is unknown to it.
  let parcel: { parcelId: string } | null = null;
  for (let attempt = 0; !parcel; attempt++) {
    try {
      parcel = await call<{ parcelId: string }>('parcel.open', { code: rma.trackingNumber });
    } catch (err) {
      if (attempt >= 20) throw err;
      await call('sync.flush', {});
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const match = await call<{ line: { lineId: string }; matchToken: string }>('parcel.matchItem', { parcelId: parcel.parcelId, code: product.gtin.slice(1) });
  await call('item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, matchToken: match.matchToken, grade: 'A' });
  await call('sync.flush', {});
  return parcel.parcelId;
}

describe('npm run site', () => {
  it('enrols each bench with its own station id and data folder and serves each preview', async () => {
    expect(site.benches.map((b) => b.stationId)).toEqual(['BENCH-01', 'BENCH-02']);
    expect(new Set(site.benches.map((b) => b.dataDir)).size).toBe(2);
    expect(new Set(site.benches.map((b) => b.baseUrl)).size).toBe(2);
    const benches = (await (await fetch(site.hub.url + HUB_PATHS.adminBenches, { headers: { authorization: `Bearer ${site.hub.adminToken}` } })).json()) as { benches: { stationId: string; revokedAt: string | null }[] };
    expect(benches.benches.map((b) => [b.stationId, b.revokedAt])).toEqual([
      ['BENCH-01', null],
      ['BENCH-02', null],
    ]);
    for (const b of site.benches) {
      await tab(b)('session.signIn', { badge: staff.badge, pin: staff.pin });
      const status = await tab(b)<{ wmsUrl: string }>('sync.status', {});
      expect(status.wmsUrl).toBe(site.hub.url);
    }
  });

  it('a return graded at each bench reaches the demo WMS through the hub exactly once', async () => {
    const [one, two] = site.benches;
    const parcels = await Promise.all([gradeOne(one!, 0), gradeOne(two!, 1)]);
    // The hub relays as soon as it accepts; wait for the WMS to hold the four events, then look twice.
    const wmsDb = new Database(site.wmsDbFile, { readonly: true, fileMustExist: true });
    try {
      for (let i = 0; eventStats(wmsDb).applied < 4 && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
      await Promise.all(site.benches.map((b) => tab(b)('sync.flush', {})));
      expect(eventStats(wmsDb)).toMatchObject({ applied: 4, distinctKeys: 4, duplicated: 0, outOfOrder: 0 });
      parcels.forEach((parcelId, i) => {
        const rows = wmsDb.prepare("SELECT type, station_id AS station FROM events WHERE json_extract(payload, '$.parcelId') = ? ORDER BY seq").all(parcelId) as { type: string; station: string }[];
        expect(rows.map((r) => r.type).sort()).toEqual(['item.graded', 'parcel.received']);
        expect(rows.every((r) => r.station === site.benches[i]!.stationId)).toBe(true);
      });
    } finally {
      wmsDb.close();
    }
    const metrics = await (await fetch(site.hub.url + HUB_PATHS.metrics)).text();
    expect(metrics).toContain('rs_hub_events_accepted_total{site="SITE-T",station="BENCH-01"} 2');
    expect(metrics).toContain('rs_hub_events_accepted_total{site="SITE-T",station="BENCH-02"} 2');
    expect(metrics).toContain('rs_hub_relay_pending{site="SITE-T"} 0');
  }, 60_000);
});

describe('npm run site from the command line', () => {
  it('prints the URLs, and Ctrl-C stops the benches, the hub and the demo WMS', async () => {
    const cliDir = mkdtempSync(join(tmpdir(), 'rs-site-cli-'));
    chmodSync(cliDir, 0o755);
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/site.ts', '--benches', '1', '--data-dir', cliDir, '--hub-port', '0', '--wms-port', '0', '--bench-port', '0', '--rmas', '10'], {
      env: { ...process.env, ...childEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (out.includes('Ctrl-C stops everything')) {
            clearInterval(timer);
            resolve();
          } else if (proc.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`the site stopped: ${out}`));
          }
        }, 200);
      });
      const urls = [...out.matchAll(/(http:\/\/127\.0\.0\.1:\d+)\S*/g)].map((m) => m[1]!);
      const wmsUrl = /demo WMS\s+(http:\/\/\S+)/.exec(out)?.[1];
      const hubUrl = /site hub\s+(http:\/\/\S+)/.exec(out)?.[1];
      const benchUrl = /BENCH-01\s+(http:\/\/\S+)/.exec(out)?.[1];
      expect([wmsUrl, hubUrl, benchUrl].every(Boolean)).toBe(true);
      expect(new Set(urls).size).toBe(3);
      expect((await fetch(`${hubUrl}${HUB_PATHS.healthz}`)).status).toBe(200);
      expect((await fetch(benchUrl!, { redirect: 'manual' })).status).toBe(302);
      // The hub serves the hub UI (503 "not built" here, where the tests skip the renderer build; it answered 404),
      // and the demo operators the launcher prints are the site's roster.
      expect([200, 503]).toContain((await fetch(`${hubUrl}/`)).status);
      const adminToken = /admin token (\S+?)\)/.exec(out)?.[1];
      const roster = (await (await fetch(`${hubUrl}/admin/v1/operators`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { operators: { badge: string }[] };
      expect(roster.operators.map((o) => o.badge).sort()).toEqual(['OP-1001', 'OP-1002', 'OP-2001', 'OP-3001']);
      expect(out).toMatch(/supervisor OP-3001 \/ PIN 3456/);

      proc.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('Site stopped.');
      // Nothing is left listening: every port the site printed refuses connections.
      for (const u of new Set(urls)) await expect(fetch(u)).rejects.toThrow();
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(cliDir, { recursive: true, force: true });
    }
  }, 240_000);
});
