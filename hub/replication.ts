// A company-wide reporting database fed from each site hub by PostgreSQL logical replication: the site
// publishes what its benches delivered, the company database subscribes to every site. Both sides
// have the hub's schema (same migrations), and every key starts with site_id, so the rows of many sites
// land in one set of tables without colliding.
import pg from 'pg';
import type { Pool } from './db.js';
import { migrate } from './migrate.js';
import { StationId } from './protocol.js';

/**
 * What a site publishes: the events its benches delivered and their relay state (for the company's view
 * of lag and dead letters). Not published: bench credentials and enrolment codes (secrets stay at the
 * site), photo bytes (heavy; the WMS holds them) and the reference copy (the company has the WMS itself).
 */
export const PUBLISHED_TABLES = ['events', 'relay_outbox'] as const;

/** One publication per site, named after it: sites sharing one PostgreSQL each publish only their rows. */
export const publicationName = (siteId: string): string => `rs_site_${StationId.parse(siteId).toLowerCase().replace(/-/g, '_')}`;

export async function walLevel(pool: Pool): Promise<string> {
  const r = await pool.query<{ wal_level: string }>('SHOW wal_level');
  return r.rows[0]?.wal_level ?? 'unknown';
}

/**
 * Creates the site's publication if it is missing (idempotent; run at every hub start). Its row filter
 * keeps it to this site, and site_id being in every primary key makes the filter valid for updates too.
 * Returns false, without creating anything, when the server is not set up for logical replication.
 */
export async function ensureSitePublication(pool: Pool, siteId: string): Promise<boolean> {
  if ((await walLevel(pool)) !== 'logical') return false;
  const name = publicationName(siteId);
  const exists = await pool.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [name]);
  if ((exists.rowCount ?? 0) > 0) return true;
  const site = pg.escapeLiteral(siteId);
  const tables = PUBLISHED_TABLES.map((t) => `${t} WHERE (site_id = ${site})`).join(', ');
  await pool.query(`CREATE PUBLICATION ${name} FOR TABLE ${tables} WITH (publish = 'insert, update, delete')`);
  return true;
}

/**
 * At the company database: the hub's schema (migrations), then a subscription to one site's
 * publication. `siteDatabaseUrl` is how the company server reaches the site's PostgreSQL (a user with
 * the REPLICATION attribute). The subscription first copies what the site already holds, then streams.
 * Idempotent: a site already subscribed is left as it is.
 */
export async function subscribeToSite(company: Pool, options: { siteId: string; siteDatabaseUrl: string }): Promise<{ created: boolean; subscription: string }> {
  await migrate(company);
  const name = publicationName(options.siteId);
  const exists = await company.query('SELECT 1 FROM pg_subscription WHERE subname = $1', [name]);
  if ((exists.rowCount ?? 0) > 0) return { created: false, subscription: name };
  // CREATE SUBSCRIPTION takes no parameters and must run outside a transaction block.
  await company.query(`CREATE SUBSCRIPTION ${name} CONNECTION ${pg.escapeLiteral(options.siteDatabaseUrl)} PUBLICATION ${name}`);
  return { created: true, subscription: name };
}

/** Drops a site's subscription (and its replication slot at the site, when the site is reachable). */
export async function unsubscribeFromSite(company: Pool, siteId: string): Promise<void> {
  const name = publicationName(siteId);
  await company.query(`DROP SUBSCRIPTION IF EXISTS ${name}`);
}

/** Per subscribed site: the last WAL position received and applied, and when (the company's lag view). */
export async function subscriptionStatus(company: Pool): Promise<{ subscription: string; receivedLsn: string | null; latestEndTime: Date | null }[]> {
  const r = await company.query<{ subname: string; received_lsn: string | null; latest_end_time: Date | null }>(
    'SELECT subname, received_lsn::text, latest_end_time FROM pg_stat_subscription WHERE relid IS NULL ORDER BY subname',
  );
  return r.rows.map((x) => ({ subscription: x.subname, receivedLsn: x.received_lsn, latestEndTime: x.latest_end_time }));
}
