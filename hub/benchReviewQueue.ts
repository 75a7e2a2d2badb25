// `npm run bench:site-review -- --items 1000000 --waiting 20000`: the site review queue at size (issue 15: first page
// p99 < 50 ms, the jump to the last page < 100 ms). The rows are written straight into `site_review_items`
// (generate_series), then a lead's `review.list` calls go through the hub UI's own path (cookie, roles, zod), as the
// Review screen makes them. Reports, never fails on speed. Dev tool: not in the hub's image.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from './postgres.js';
import { postJson, signInAtHubUi } from './site.js';
import { startHub } from './server.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000000' },
    waiting: { type: 'string', default: '20000' },
    samples: { type: 'string', default: '50' },
  },
});
const items = Number(values.items);
const waiting = Number(values.waiting);
const samples = Number(values.samples);
if (![items, waiting, samples].every((n) => Number.isInteger(n) && n > 0) || waiting > items) {
  throw new Error('--items, --waiting and --samples take positive whole numbers, with --waiting at most --items');
}

const PAGE = 50;
const dir = mkdtempSync(join(tmpdir(), 'rs-review-bench-'));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'rs_hub' });
const hub = await startHub({ siteId: 'SITE-BENCH', databaseUrl: pg.url, wms: { url: 'http://127.0.0.1:1', token: 'none', timeoutMs: 500 }, relay: { intervalMs: 3_600_000, backoffBaseMs: 3_600_000 }, log: () => undefined });
const p99 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]!;
try {
  const t0 = performance.now();
  // A year of held items from 20 benches; every (items / waiting)-th one still waits, the rest are decided.
  const every = Math.max(1, Math.floor(items / waiting));
  await hub.pool.query(
    `INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, rma_number, sku, kind, grade, disposition, destination,
                                    rule_id, rule_set_version, flags, photos, operator_id, graded_at, graded_event, status)
     SELECT 'SITE-BENCH', 'I' || g, 'BENCH-' || lpad((g % 20 + 1)::text, 2, '0'), 'LPN-' || g, 'P' || g, 'RMA-' || g, 'SKU-' || lpad((g % 500)::text, 5, '0'),
            'expected', (ARRAY['N','S','A','B','C','D'])[g % 6 + 1], 'quarantine', 'REVIEW', 'flagged-to-review', 3,
            (ARRAY['["high_value"]','["reason_condition_mismatch"]','["serial_returner"]'])[g % 3 + 1]::jsonb, '[]'::jsonb, 'op-' || (g % 60),
            to_char(timestamptz '2026-01-01 00:00:00Z' + (g::float8 / $1 * 364 * 86400) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            gen_random_uuid(), CASE WHEN g % $2 = 0 AND g / $2 <= $3 THEN 'pending' ELSE 'approved' END
     FROM generate_series(1, $1) g`,
    [items, every, waiting],
  );
  // As autovacuum leaves a table between bursts: the visibility map set, so counting the waiting items is an
  // index-only scan (straight after a bulk insert every counted row is a heap page read: 140 ms for 20k).
  await hub.pool.query('VACUUM ANALYZE site_review_items');
  const counts = await hub.pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM site_review_items GROUP BY status ORDER BY status');
  console.log(`seeded ${items.toLocaleString('en')} review items (${counts.rows.map((r) => `${r.status} ${Number(r.n).toLocaleString('en')}`).join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  await postJson(`${hub.url}/admin/v1/operators`, hub.adminToken, { badge: 'BENCH-LEAD', name: 'Bench Lead', role: 'lead', pin: '2468' });
  const { session, cookie } = await signInAtHubUi(hub.url, 'BENCH-LEAD', '2468');
  const list = async (input: Record<string, unknown>): Promise<{ ms: number; total: number; rows: number }> => {
    const t = performance.now();
    const res = await fetch(`${hub.url}/api/call/review.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-station-session': session, cookie },
      body: JSON.stringify({ pageSize: PAGE, ...input }),
    });
    const body = (await res.json()) as { ok: boolean; value?: { total: number; items: unknown[] }; error?: { message: string } };
    if (!body.ok || !body.value) throw new Error(`review.list refused: ${body.error?.message ?? res.status}`);
    return { ms: performance.now() - t, total: body.value.total, rows: body.value.items.length };
  };

  for (const [label, status] of [['waiting (the default view)', 'pending'], ['all', 'all']] as const) {
    const first = await list({ status, page: 1 });
    const lastPage = Math.max(1, Math.ceil(first.total / PAGE));
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (let i = 0; i < samples; i++) {
      firsts.push((await list({ status, page: 1 })).ms);
      lasts.push((await list({ status, page: lastPage })).ms);
    }
    console.log(
      `review queue, ${label}: ${first.total.toLocaleString('en')} items; first page p99 ${p99(firsts).toFixed(1)} ms (target < 50 ms), last page (${lastPage.toLocaleString('en')}) p99 ${p99(lasts).toFixed(1)} ms (target < 100 ms), ${samples} samples each`,
    );
  }
  console.log(`load average (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
} finally {
  await hub.close();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
