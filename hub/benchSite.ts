// `npm run bench:site -- --items 5000000`: the site export (issue 15: CSV < 60 s, XLSX < 4 min, hub RSS < 500 MB
// for 5M items) and the site report over the same rows. The items are written straight into `site_items`
// (generate_series) so the run measures the export, not ingest (`npm run bench:hub` measures that). The hub
// runs as its own process, started as `npm run hub` starts it, so the RSS printed is the hub's alone (read from
// /proc while the download runs; the download is counted and dropped here as it arrives).
// Reports, never fails on speed. Dev tool: not in the hub's image.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SITE_REPORT_PATHS } from '../contract/index.js';
import { createPool } from './db.js';
import { startEmbeddedPostgres } from './postgres.js';
import { postJson, signInAtHubUi, startChild, stopChild } from './site.js';

const { values } = parseArgs({ options: { items: { type: 'string', default: '100000' }, benches: { type: 'string', default: '20' } } });
const items = Number(values.items);
const benches = Number(values.benches);
if (!Number.isInteger(items) || items < 1) throw new Error('--items takes a positive whole number');

const HUB_MAIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'hub', 'main.ts');
const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;
/** A /proc/<pid>/status figure in bytes (VmRSS: now; VmHWM: the high-water mark). */
function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

const dir = mkdtempSync(join(tmpdir(), 'rs-site-bench-'));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'rs_hub' });
const adminToken = randomBytes(24).toString('base64url');
const hubChild = startChild(
  'hub',
  HUB_MAIN,
  [],
  {
    ...process.env,
    RS_HUB_SITE_ID: 'SITE-BENCH',
    RS_HUB_DATABASE_URL: pg.url,
    RS_HUB_PORT: '0',
    RS_HUB_WMS_URL: 'http://127.0.0.1:1',
    RS_HUB_WMS_TOKEN: 'none',
    RS_HUB_ADMIN_TOKEN: adminToken,
  },
  () => undefined,
);
const pool = createPool(pg.url, 2);
try {
  const hubUrl = (await hubChild.firstLine(/listening on (http:\/\/[^\s)]+)/, 120_000))[1] ?? '';
  const hubPid = hubChild.child.proc.pid ?? 0;
  const t0 = performance.now();
  // One year of items from `benches` benches and 60 operators, a spread of grades, dispositions and prices.
  await pool.query(
    `INSERT INTO site_items (site_id, item_id, station_id, operator_id, lpn, parcel_id, rma_number, line_id, sku, kind, grade, disposition, destination,
                             graded_grade, graded_disposition, rule_id, rule_set_version, flags, serial, epc, graded_at, received_at, blind_return,
                             review_status, price_jpy, category, reason, channel, graded_event)
     SELECT 'SITE-BENCH', 'I' || g, 'BENCH-' || lpad((g % $2 + 1)::text, 2, '0'), 'op-' || (g % 60), 'LPN-' || g, 'P' || (g / 2), 'RMA-' || (g / 2), 'L' || g,
            'SKU-' || lpad((g % 500)::text, 5, '0'), 'expected', (ARRAY['N','S','A','B','C','D','scrap'])[g % 7 + 1],
            (ARRAY['restock','resale','repair','disposal','quarantine'])[g % 5 + 1], 'A-01', 'A', 'restock', 'R' || (g % 12), 3,
            CASE WHEN g % 50 = 0 THEN '["high_value"]'::jsonb ELSE '[]'::jsonb END, 'SN' || g, NULL,
            timestamptz '2026-01-01 00:00:00+09' + (g::float8 / $1 * 364 * 86400) * interval '1 second',
            timestamptz '2026-01-01 00:00:00+09' + ((g::float8 / $1 * 364 * 86400) - 120) * interval '1 second', g % 40 = 0,
            CASE WHEN g % 50 = 0 THEN 'approved' ELSE 'none' END, 500 + (g % 300) * 100, 'apparel',
            (ARRAY['size','colour','damaged','wrong_item','changed_mind'])[g % 5 + 1], 'home_pickup', gen_random_uuid()
     FROM generate_series(1, $1) g`,
    [items, benches],
  );
  await pool.query('ANALYZE site_items');
  console.log(`seeded ${items.toLocaleString('en')} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  await postJson(`${hubUrl}/admin/v1/operators`, adminToken, { badge: 'BENCH-SUP', name: 'Bench Sup', role: 'supervisor', pin: '2468' });
  const { session, cookie } = await signInAtHubUi(hubUrl, 'BENCH-SUP', '2468');
  const filters = JSON.stringify({ from: '2026-01-01', to: '2026-12-31' });

  const s0 = performance.now();
  const summary = await fetch(`${hubUrl}/api/call/reports.summary`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-station-session': session, cookie },
    body: filters,
  });
  const body = (await summary.json()) as { ok: boolean; value?: { totals: { items: number } } };
  console.log(`site report (a year, ${body.value?.totals.items.toLocaleString('en') ?? '?'} items): ${((performance.now() - s0) / 1000).toFixed(1)} s`);

  for (const format of ['csv', 'xlsx'] as const) {
    const startRss = procStatus(hubPid, 'VmRSS');
    let peak = startRss;
    const sampler = setInterval(() => (peak = Math.max(peak, procStatus(hubPid, 'VmRSS'))), 50);
    const t = performance.now();
    const res = await fetch(`${hubUrl}${SITE_REPORT_PATHS.export}?${new URLSearchParams({ format, filters, language: 'ja' }).toString()}`, { headers: { cookie } });
    if (!res.ok || !res.body) throw new Error(`export refused: HTTP ${res.status} ${await res.text()}`);
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Uint8Array).byteLength;
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    console.log(
      `${format.toUpperCase()} export of ${items.toLocaleString('en')} items: ${seconds.toFixed(1)} s, ${mb(bytes)}, hub RSS peak ${mb(peak)} (${mb(startRss)} at the start; process high-water mark so far ${mb(procStatus(hubPid, 'VmHWM'))}); load ${loadavg()[0]?.toFixed(2) ?? '?'}`,
    );
  }
  console.log(`load average (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
} finally {
  await stopChild(hubChild.child);
  await pool.end();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
