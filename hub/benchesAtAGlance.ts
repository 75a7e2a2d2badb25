// Issue 15 (wt-15r): every bench of the site at a glance. The hub knows when it last heard from a bench
// (`benches.last_contact_at`); the rest (outbox, dead letters, devices, who is signed in, rule set) only the
// bench knows, and it says so on its site sync timer (BenchStatusReport), kept here as last reported.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BenchStatusReport, HUB_ERRORS, SITE_REPORT_PATHS, type BenchesGlance } from '../contract/index.js';
import type { Pool } from './db.js';

export async function recordBenchStatus(pool: Pool, siteId: string, stationId: string, r: BenchStatusReport): Promise<void> {
  await pool.query(
    `INSERT INTO bench_status (site_id, station_id, reported_at, outbox_pending, oldest_pending_at, dead_letters, device_faults, operator_id, operator_name, rule_set_version, app_version)
     VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (site_id, station_id) DO UPDATE SET reported_at = now(), outbox_pending = $3, oldest_pending_at = $4, dead_letters = $5, device_faults = $6,
       operator_id = $7, operator_name = $8, rule_set_version = $9, app_version = $10`,
    [siteId, stationId, r.outboxPending, r.oldestPendingAt, r.deadLetters, JSON.stringify(r.deviceFaults), r.operator?.id ?? null, r.operator?.name ?? null, r.ruleSetVersion, r.appVersion],
  );
}

interface Row {
  station_id: string;
  revoked: boolean;
  online: boolean;
  last_contact_at: Date | null;
  reported_at: Date | null;
  outbox_pending: number | null;
  oldest_pending_at: string | null;
  dead_letters: number | null;
  device_faults: { kind: string; label: string; state: string }[] | null;
  operator_name: string | null;
  rule_set_version: number | null;
}

/** Revoked benches last; the rest by station id. */
export async function listBenchesGlance(pool: Pool, siteId: string, onlineWithinSec: number, now = new Date()): Promise<BenchesGlance> {
  const r = await pool.query<Row>(
    `SELECT b.station_id, b.revoked_at IS NOT NULL AS revoked,
            (b.revoked_at IS NULL AND b.last_contact_at > now() - make_interval(secs => $2)) AS online,
            b.last_contact_at, s.reported_at, s.outbox_pending, s.oldest_pending_at, s.dead_letters, s.device_faults, s.operator_name, s.rule_set_version
     FROM benches b LEFT JOIN bench_status s ON s.site_id = b.site_id AND s.station_id = b.station_id
     WHERE b.site_id = $1 ORDER BY b.revoked_at IS NOT NULL, b.station_id`,
    [siteId, onlineWithinSec],
  );
  return {
    onlineWithinSec,
    generatedAt: now.toISOString(),
    benches: r.rows.map((b) => ({
      stationId: b.station_id,
      online: b.online,
      revoked: b.revoked,
      lastContactAt: b.last_contact_at?.toISOString() ?? null,
      reportedAt: b.reported_at?.toISOString() ?? null,
      outboxPending: b.outbox_pending,
      oldestPendingAt: b.oldest_pending_at,
      deadLetters: b.dead_letters,
      deviceFaults: b.device_faults ?? [],
      // Who is signed in is only as fresh as the report: an offline bench's last operator is not shown as present.
      operatorName: b.online ? b.operator_name : null,
      ruleSetVersion: b.rule_set_version,
    })),
  };
}

/** The bench's report of itself, on the enrolled benches' routes: a bench reports only as itself. */
export function registerBenchStatusRoute(bench: FastifyInstance, deps: { pool: Pool; siteId: string; benchId: (req: { benchId: string }) => string }): void {
  bench.withTypeProvider<ZodTypeProvider>().post(SITE_REPORT_PATHS.benchStatus, { schema: { body: BenchStatusReport } }, async (req, reply) => {
    const stationId = deps.benchId(req);
    if (req.body.stationId !== stationId) {
      return reply.code(403).send({ error: HUB_ERRORS.foreignBench, details: { message: `this credential belongs to bench ${stationId}, not ${req.body.stationId}` } });
    }
    await recordBenchStatus(deps.pool, deps.siteId, stationId, req.body);
    return { recorded: true };
  });
}
