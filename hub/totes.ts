// Issue 17: a tote worked across several benches of a site. The hub keeps every event its benches delivered,
// so the bags each bench received are in their tote.closed payloads: a closing bench asks for them here.
import type { SiteReceivedBag, SiteToteReceived } from '../contract/index.js';
import type { Pool } from './db.js';

/**
 * The bags of `toteId` received at any bench of this site, by the benches' delivered tote.closed events (a bench
 * still working its part has told the hub nothing yet). Only this site's events: site_id is the first condition.
 */
export async function siteToteReceived(pool: Pool, siteId: string, toteId: string): Promise<SiteToteReceived> {
  const { rows } = await pool.query<{ station_id: string; bag_code: string; closed_at: string }>(
    `SELECT e.station_id, r.bag->>'bagCode' AS bag_code, e.payload->>'closedAt' AS closed_at
       FROM events e, jsonb_array_elements(COALESCE(e.payload->'received', '[]'::jsonb)) AS r(bag)
      WHERE e.site_id = $1 AND e.type = 'tote.closed' AND e.payload->>'toteId' = $2
      ORDER BY e.payload->>'closedAt', e.station_id, r.bag->>'bagCode'`,
    [siteId, toteId],
  );
  // A bag two benches both reported is kept once, as the first to close had it.
  const bags = new Map<string, SiteReceivedBag>();
  for (const r of rows) if (!bags.has(r.bag_code)) bags.set(r.bag_code, { bagCode: r.bag_code, stationId: r.station_id, closedAt: r.closed_at });
  return { toteId, bags: [...bags.values()] };
}
