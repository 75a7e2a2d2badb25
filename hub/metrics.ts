import type { Pool } from './db.js';

/** Counters of this process; gauges are read from PostgreSQL at scrape time, so they survive restarts. */
export interface HubCounters {
  eventsAccepted: Map<string, number>;
  eventsDuplicate: number;
  eventsRefused: number;
  batchesRefused: Map<string, number>;
}

export function newCounters(): HubCounters {
  return { eventsAccepted: new Map(), eventsDuplicate: 0, eventsRefused: 0, batchesRefused: new Map() };
}

const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Prometheus text exposition format 0.0.4. */
export async function renderMetrics(pool: Pool, siteId: string, counters: HubCounters, relay: { delivered: number; lastError: string | null }): Promise<string> {
  const outbox = await pool.query<{ pending: string; dead: string; oldest: number | null }>(
    `SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'dead') AS dead,
            extract(epoch FROM now() - min(accepted_at) FILTER (WHERE state = 'pending'))::float8 AS oldest
     FROM relay_outbox WHERE site_id = $1 AND state <> 'delivered'`,
    [siteId],
  );
  const benches = await pool.query<{ station_id: string; at: number | null; revoked: boolean }>(
    'SELECT station_id, extract(epoch FROM last_contact_at)::float8 AS at, revoked_at IS NOT NULL AS revoked FROM benches WHERE site_id = $1 ORDER BY station_id',
    [siteId],
  );
  const reference = await pool.query<{ resource: string; n: number }>(
    'SELECT resource, count(*)::int AS n FROM reference_rows WHERE site_id = $1 GROUP BY resource ORDER BY resource',
    [siteId],
  );
  const o = outbox.rows[0];
  const site = `site="${label(siteId)}"`;
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}{${labels}} ${value}`);
  };
  metric('rs_hub_events_accepted_total', 'counter', 'Events accepted from benches by this process.', [...counters.eventsAccepted].map(([st, n]) => [`${site},station="${label(st)}"`, n]));
  metric('rs_hub_events_duplicate_total', 'counter', 'Events a bench sent again, acknowledged as duplicate.', [[site, counters.eventsDuplicate]]);
  metric('rs_hub_events_refused_total', 'counter', 'Events refused (rejected or out of order).', [[site, counters.eventsRefused]]);
  metric('rs_hub_batches_refused_total', 'counter', 'Whole requests refused, by error code.', [...counters.batchesRefused].map(([code, n]) => [`${site},code="${label(code)}"`, n]));
  metric('rs_hub_relay_delivered_total', 'counter', 'Events the relay delivered to the WMS (this process).', [[site, relay.delivered]]);
  metric('rs_hub_relay_wms_reachable', 'gauge', '0 while the relay\'s last attempt to reach the WMS failed.', [[site, relay.lastError === null ? 1 : 0]]);
  metric('rs_hub_relay_pending', 'gauge', 'Accepted events not yet delivered to the WMS.', [[site, Number(o?.pending ?? 0)]]);
  metric('rs_hub_relay_lag_seconds', 'gauge', 'Age of the oldest accepted event not yet delivered (0 when none).', [[site, o?.oldest ?? 0]]);
  metric('rs_hub_dead_letters', 'gauge', 'Events the relay gave up on (for a lead).', [[site, Number(o?.dead ?? 0)]]);
  metric('rs_hub_bench_last_contact_seconds', 'gauge', 'Unix time of each bench\'s last authenticated request.', benches.rows.map((b) => [`${site},station="${label(b.station_id)}"`, b.at ?? 0]));
  metric('rs_hub_bench_revoked', 'gauge', '1 when the bench is revoked.', benches.rows.map((b) => [`${site},station="${label(b.station_id)}"`, b.revoked ? 1 : 0]));
  metric('rs_hub_reference_rows', 'gauge', 'Rows of the site\'s copy of the WMS reference data, by resource.', reference.rows.map((r) => [`${site},resource="${label(r.resource)}"`, r.n]));
  return `${lines.join('\n')}\n`;
}
