// Issue 15 (wt-15s): the flags only a site can raise (serial returners across benches and the WMS's history, an RMA
// received twice, a serial number or EPC returned twice). They are raised in PostgreSQL, by the statement trigger
// of migration 0008 in the very transaction that accepts a bench's batch, so a replayed batch raises nothing; this
// file reads them back, with their evidence, for the hub UI's review detail, and tunes the serial-returner rule.
import { SiteFlagEvidence } from '../contract/index.js';
import type { Pool } from './db.js';

interface FlagRow {
  code: string;
  subject: string;
  evidence: { count?: unknown; windowDays?: unknown; threshold?: unknown; occurrences?: unknown };
  raised_at: Date;
}

/** The site flags on one item, oldest first, each parsed against the contract (a row that does not parse is left out, not shown half). */
export async function siteFlagsOf(pool: Pool, siteId: string, itemId: string): Promise<SiteFlagEvidence[]> {
  const r = await pool.query<FlagRow>('SELECT code, subject, evidence, raised_at FROM site_flags WHERE site_id = $1 AND item_id = $2 ORDER BY raised_at, code', [siteId, itemId]);
  return r.rows.flatMap((row) => {
    const parsed = SiteFlagEvidence.safeParse({ code: row.code, subject: row.subject, raisedAt: row.raised_at.toISOString(), ...row.evidence });
    return parsed.success ? [parsed.data] : [];
  });
}

export interface SerialReturnerPolicy {
  /** How far back a customer's returns count. */
  windowDays: number;
  /** How many returns in the window make a serial returner (this one included). */
  threshold: number;
}

/** Sets the site's serial-returner rule (used from the next accepted batch on); without it, 3 returns in 90 days (migration 0008). */
export async function setSerialReturnerPolicy(pool: Pool, siteId: string, p: SerialReturnerPolicy): Promise<void> {
  await pool.query(
    `INSERT INTO site_flag_settings (site_id, returner_window_days, returner_threshold) VALUES ($1, $2, $3)
     ON CONFLICT (site_id) DO UPDATE SET returner_window_days = excluded.returner_window_days, returner_threshold = excluded.returner_threshold`,
    [siteId, p.windowDays, p.threshold],
  );
}
