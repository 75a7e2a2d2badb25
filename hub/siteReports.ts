// Issue 15 (wt-15r): the site's report and shift dashboard over PostgreSQL, from the `site_items` projection
// (migration 0007). The same figures as the bench's Reports and Dashboard screens (core/workflow/reports),
// for every bench of the site, plus bench and shift breakdowns; the site's clock and recovery factors are the
// bench's defaults, from the contract.
import {
  defaultRecoveryFactors,
  defaultReportClock,
  Disposition,
  Grade,
  MAX_SITE_REPORT_DAYS,
  type DashboardShift,
  type RecoveryFactors,
  type ReportClock,
  type ReportFilters,
  type ReportSummary,
} from '../contract/index.js';
import { channelOrNone, foldBreakdown, foldFlags, foldThroughput, reasonOrNone, round1 } from '../domain/reports/summaryFold.js';
import type { Pool } from './db.js';
import { SiteError } from './siteErrors.js';

export interface SiteReportSettings {
  clock: ReportClock;
  factors: RecoveryFactors;
  /** A bench whose last contact is older than this is offline. */
  onlineWithinSec: number;
}

export const defaultSiteReportSettings: SiteReportSettings = { clock: defaultReportClock, factors: defaultRecoveryFactors, onlineWithinSec: 60 };

const MINUTE = 60_000;
const DAY_MIN = 1440;
const HOUR = 3_600_000;

const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const localToUtc = (localDate: string, minuteOfDay: number, offset: number): Date => new Date(Date.parse(`${localDate}T00:00:00Z`) + (minuteOfDay - offset) * MINUTE);
const addDays = (localDate: string, days: number): string => new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MIN * MINUTE).toISOString().slice(0, 10);

/** A WHERE clause over `site_items i` with numbered parameters; values are always bound, never spliced. */
export interface SqlScope {
  where: string;
  params: unknown[];
  fromUtc: string | null;
  toUtc: string | null;
}

/**
 * The report's filters as SQL. A range longer than MAX_SITE_REPORT_DAYS is refused before any query runs:
 * ten years of a site is a batch job, not a screen (nor an export a supervisor waits for).
 */
export function siteScope(siteId: string, filters: ReportFilters, clock: ReportClock): SqlScope {
  if (filters.from && filters.to) {
    const days = Math.round((Date.parse(`${filters.to}T00:00:00Z`) - Date.parse(`${filters.from}T00:00:00Z`)) / (DAY_MIN * MINUTE)) + 1;
    if (days > MAX_SITE_REPORT_DAYS) {
      throw new SiteError('INVALID_INPUT', 'error.site.reportRangeTooLong', `A site report covers at most ${MAX_SITE_REPORT_DAYS} days; this range has ${days}.`, {
        days,
        maxDays: MAX_SITE_REPORT_DAYS,
        field: 'to',
      });
    }
  }
  const params: unknown[] = [siteId];
  const where = ['i.site_id = $1'];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const dayStart = minutesOf(clock.dayStart);
  const fromUtc = filters.from ? localToUtc(filters.from, dayStart, clock.utcOffsetMinutes).toISOString() : null;
  const toUtc = filters.to ? localToUtc(addDays(filters.to, 1), dayStart, clock.utcOffsetMinutes).toISOString() : null;
  if (fromUtc) where.push(`i.graded_at >= ${bind(fromUtc)}::timestamptz`);
  if (toUtc) where.push(`i.graded_at < ${bind(toUtc)}::timestamptz`);
  if (filters.shift !== undefined) {
    const def = clock.shifts.find((s) => s.id === filters.shift);
    if (!def) throw new SiteError('INVALID_INPUT', 'error.unknownShift', `No shift called "${filters.shift}".`, { field: 'shift', shift: filters.shift });
    const minute = localMinuteSql(clock.utcOffsetMinutes);
    const start = minutesOf(def.start);
    const end = minutesOf(def.end);
    where.push(start < end ? `(${minute} >= ${start} AND ${minute} < ${end})` : `(${minute} >= ${start} OR ${minute} < ${end})`);
  }
  if (filters.stationId) where.push(`i.station_id = ${bind(filters.stationId)}`);
  // A lead knows a badge or a name, not an id: any of them finds the operator in the site roster.
  if (filters.operatorId) {
    const n = bind(filters.operatorId);
    where.push(`(i.operator_id = ${n} OR i.operator_id IN (SELECT id FROM operators WHERE site_id = i.site_id AND (badge = ${n} OR lower(name) = lower(${n}))))`);
  }
  if (filters.category) where.push(`i.category = ${bind(filters.category)}`);
  if (filters.disposition) where.push(`i.disposition = ${bind(filters.disposition)}`);
  if (filters.flag) where.push(`i.flags ? ${bind(filters.flag)}`);
  if (filters.channel) where.push(`i.channel = ${bind(filters.channel)}`);
  return { where: where.join(' AND '), params, fromUtc, toUtc };
}

/** Site-local minute of the day of `i.graded_at` (a whole number of minutes; offsets are whole minutes). */
export function localMinuteSql(offset: number): string {
  return `((((floor(extract(epoch FROM i.graded_at) / 60))::bigint + ${Math.trunc(offset)}) % ${DAY_MIN} + ${DAY_MIN}) % ${DAY_MIN})`;
}

/** The shift id of `i.graded_at` in SQL; the first listed shift wins where definitions overlap, as at the bench. */
export function shiftSql(clock: ReportClock, minute = localMinuteSql(clock.utcOffsetMinutes)): string {
  const whens = clock.shifts.map((s) => {
    const start = minutesOf(s.start);
    const end = minutesOf(s.end);
    // Shift ids are checked by the contract (lower-case letters, digits, - and _), so they are safe literals.
    const cond = start < end ? `${minute} >= ${start} AND ${minute} < ${end}` : `(${minute} >= ${start} OR ${minute} < ${end})`;
    return `WHEN ${cond} THEN '${s.id}'`;
  });
  return `(CASE ${whens.join(' ')} ELSE 'none' END)`;
}

/** Recovery factor of an item: a grade's own factor first, then its disposition's default. */
export function factorSql(factors: RecoveryFactors): string {
  const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  const byGrade: string[] = [];
  const byDefault: string[] = [];
  for (const [disposition, f] of Object.entries(factors)) {
    for (const [grade, factor] of Object.entries(f.byGrade)) {
      if (factor !== undefined) byGrade.push(`WHEN i.disposition = ${lit(disposition)} AND i.grade = ${lit(grade)} THEN ${Number(factor)}`);
    }
    byDefault.push(`WHEN i.disposition = ${lit(disposition)} THEN ${Number(f.default)}`);
  }
  const whens = [...byGrade, ...byDefault];
  return whens.length ? `(CASE ${whens.join(' ')} ELSE 0 END)::numeric` : '0::numeric';
}

export const recoverySql = (factors: RecoveryFactors): string => `round(COALESCE(i.price_jpy, 0) * ${factorSql(factors)})`;

const offsetInterval = (offset: number): string => `interval '${Math.trunc(offset)} minutes'`;
const suffixOf = (offset: number): string => {
  const abs = Math.abs(offset);
  return `${offset >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

const num = (v: unknown): number => Number(v ?? 0);

export { HOURLY_LIMIT } from '../domain/reports/summaryFold.js';

/** The bench's Reports screen's summary, for the whole site. */
export async function siteSummary(pool: Pool, siteId: string, filters: ReportFilters, settings: SiteReportSettings, now = new Date()): Promise<ReportSummary> {
  const { clock, factors } = settings;
  const s = siteScope(siteId, filters, clock);
  const recovery = recoverySql(factors);
  const q = <R extends object>(sql: string, extra: unknown[] = []) => pool.query<R>(sql, [...s.params, ...extra]).then((r) => r.rows);

  const [breakdown, flagRows, hourlyRows, cycle, blind, dead, benchRows, shiftRows, names] = await Promise.all([
    q<{ disposition: string; grade: string; reason: string | null; channel: string | null; items: string; price: string; recovery: string }>(
      `SELECT i.disposition, i.grade, i.reason, i.channel, count(*) AS items, COALESCE(sum(COALESCE(i.price_jpy, 0)), 0) AS price, COALESCE(sum(${recovery}), 0) AS recovery
       FROM site_items i WHERE ${s.where} GROUP BY 1, 2, 3, 4`,
    ),
    q<{ flag: string; outcome: string; items: string }>(
      `SELECT f AS flag, i.review_status AS outcome, count(DISTINCT i.item_id) AS items
       FROM site_items i CROSS JOIN LATERAL jsonb_array_elements_text(i.flags) f WHERE ${s.where} AND i.flags <> '[]'::jsonb GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    q<{ operator_id: string; hour: string; items: string }>(
      `SELECT i.operator_id, to_char((i.graded_at AT TIME ZONE 'UTC') + ${offsetInterval(clock.utcOffsetMinutes)}, 'YYYY-MM-DD"T"HH24:00') AS hour, count(*) AS items
       FROM site_items i WHERE ${s.where} GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    q<{ n: string; median: number | null; p90: number | null }>(
      `SELECT count(*) AS n,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.graded_at - i.received_at))::float8 AS median,
              percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM i.graded_at - i.received_at))::float8 AS p90
       FROM site_items i WHERE ${s.where} AND i.received_at IS NOT NULL`,
    ),
    q<{ parcels: string; items: string }>(
      `SELECT count(DISTINCT i.parcel_id) AS parcels, count(*) AS items FROM site_items i WHERE ${s.where} AND i.blind_return`,
    ),
    pool
      .query<{ open: string; open_now: string }>(
        `SELECT count(*) FILTER (WHERE ($2::timestamptz IS NULL OR accepted_at >= $2) AND ($3::timestamptz IS NULL OR accepted_at < $3)) AS open, count(*) AS open_now
         FROM relay_outbox WHERE site_id = $1 AND state = 'dead'`,
        [siteId, s.fromUtc, s.toUtc],
      )
      .then((r) => r.rows),
    q<{ station_id: string; items: string; recovery: string }>(
      `SELECT i.station_id, count(*) AS items, COALESCE(sum(${recovery}), 0) AS recovery FROM site_items i WHERE ${s.where} GROUP BY 1 ORDER BY 2 DESC, 1`,
    ),
    q<{ shift: string; items: string }>(`SELECT ${shiftSql(clock)} AS shift, count(*) AS items FROM site_items i WHERE ${s.where} GROUP BY 1 ORDER BY 2 DESC, 1`),
    pool.query<{ id: string; name: string }>('SELECT id, name FROM operators WHERE site_id = $1', [siteId]).then((r) => new Map(r.rows.map((o) => [o.id, o.name]))),
  ]);

  return {
    filters,
    range: { fromUtc: s.fromUtc, toUtc: s.toUtc },
    timeZone: clock.timeZone,
    generatedAt: now.toISOString(),
    ...foldBreakdown(
      breakdown.map((r) => ({ disposition: r.disposition, grade: r.grade, reason: r.reason, channel: r.channel, items: num(r.items), priceJpy: num(r.price), recoveryJpy: num(r.recovery) })),
    ),
    flags: foldFlags(flagRows.map((r) => ({ flag: r.flag, outcome: r.outcome, items: num(r.items) }))),
    throughput: foldThroughput(
      hourlyRows.map((r) => ({ operatorId: r.operator_id, hour: r.hour, items: num(r.items) })),
      names,
      suffixOf(clock.utcOffsetMinutes),
    ),
    cycleTime: { items: num(cycle[0]?.n), medianSec: round1(cycle[0]?.median ?? null), p90Sec: round1(cycle[0]?.p90 ?? null) },
    blindReturns: { parcels: num(blind[0]?.parcels), items: num(blind[0]?.items) },
    // The hub's own relay dead letters; a bench's are on its own report and on "benches at a glance".
    deadLetters: { open: num(dead[0]?.open), skipped: 0, openNow: num(dead[0]?.open_now) },
    benches: benchRows.map((b) => ({ stationId: b.station_id, items: num(b.items), recoveryJpy: num(b.recovery) })),
    shifts: shiftRows.map((r) => ({ shift: r.shift, items: num(r.items) })),
  };
}

/** The running shift (or, in a gap, the last eight hours), as the bench's clock computes it. */
export function shiftWindow(now: Date, clock: ReportClock): { id: string; startsAt: Date; endsAt: Date } {
  const minute = ((Math.floor(now.getTime() / MINUTE) + clock.utcOffsetMinutes) % DAY_MIN + DAY_MIN) % DAY_MIN;
  for (const s of clock.shifts) {
    const start = minutesOf(s.start);
    const end = minutesOf(s.end);
    const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
    if (!inside) continue;
    const back = (minute - start + DAY_MIN) % DAY_MIN;
    const startsAt = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE - back * MINUTE);
    const length = (end - start + DAY_MIN) % DAY_MIN || DAY_MIN;
    return { id: s.id, startsAt, endsAt: new Date(startsAt.getTime() + length * MINUTE) };
  }
  return { id: 'none', startsAt: new Date(now.getTime() - 8 * HOUR), endsAt: now };
}

/** The bench's shift dashboard for the whole site, with the site's part (benches, review backlog, grades, reasons). */
export async function siteDashboard(pool: Pool, siteId: string, settings: SiteReportSettings, now = new Date()): Promise<DashboardShift> {
  const { clock, factors } = settings;
  const w = shiftWindow(now, clock);
  const fromUtc = w.startsAt.toISOString();
  const toUtc = w.endsAt.toISOString();
  const p = [siteId, fromUtc, toUtc];
  const inShift = 'i.site_id = $1 AND i.graded_at >= $2::timestamptz AND i.graded_at < $3::timestamptz';
  const q = <R extends object>(sql: string, params: unknown[] = p) => pool.query<R>(sql, params).then((r) => r.rows);
  const [hours, dispositions, channels, flags, grades, reasons, operators, benchHours, relay, review, benches] = await Promise.all([
    q<{ bucket: number; items: string }>(`SELECT floor(extract(epoch FROM i.graded_at - $2::timestamptz) / 3600)::int AS bucket, count(*) AS items FROM site_items i WHERE ${inShift} GROUP BY 1`),
    q<{ disposition: string; items: string; recovery: string }>(
      `SELECT i.disposition, count(*) AS items, COALESCE(sum(${recoverySql(factors)}), 0) AS recovery FROM site_items i WHERE ${inShift} GROUP BY 1 ORDER BY 2 DESC, 1`,
    ),
    q<{ channel: string | null; items: string }>(`SELECT i.channel, count(*) AS items FROM site_items i WHERE ${inShift} GROUP BY 1 ORDER BY 2 DESC, 1`),
    q<{ flag: string; items: string }>(
      `SELECT f AS flag, count(DISTINCT i.item_id) AS items FROM site_items i CROSS JOIN LATERAL jsonb_array_elements_text(i.flags) f WHERE ${inShift} GROUP BY 1 ORDER BY 2 DESC, 1`,
    ),
    q<{ grade: string; items: string }>(`SELECT i.grade, count(*) AS items FROM site_items i WHERE ${inShift} GROUP BY 1 ORDER BY 2 DESC, 1`),
    q<{ reason: string | null; items: string }>(`SELECT i.reason, count(*) AS items FROM site_items i WHERE ${inShift} GROUP BY 1 ORDER BY 2 DESC, 1`),
    q<{ operator_id: string; name: string | null; items: string }>(
      `SELECT i.operator_id, o.name, count(*) AS items FROM site_items i LEFT JOIN operators o ON o.site_id = i.site_id AND o.id = i.operator_id
       WHERE ${inShift} GROUP BY 1, 2 ORDER BY 3 DESC, 1`,
    ),
    q<{ station_id: string; bucket: number; items: string }>(
      `SELECT i.station_id, floor(extract(epoch FROM i.graded_at - $2::timestamptz) / 3600)::int AS bucket, count(*) AS items FROM site_items i WHERE ${inShift} GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    q<{ pending: string; dead: string }>(
      `SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'dead') AS dead FROM relay_outbox WHERE site_id = $1 AND state <> 'delivered'`,
      [siteId],
    ),
    q<{ pending: string; oldest: string | null }>(`SELECT count(*) AS pending, min(graded_at) AS oldest FROM site_review_items WHERE site_id = $1 AND status = 'pending'`, [siteId]),
    q<{ total: string; online: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE last_contact_at > now() - make_interval(secs => $2)) AS online FROM benches WHERE site_id = $1 AND revoked_at IS NULL`,
      [siteId, settings.onlineWithinSec],
    ),
  ]);
  const hoursSoFar = Math.max(1, Math.ceil((Math.min(now.getTime(), w.endsAt.getTime()) - w.startsAt.getTime()) / HOUR));
  const counts = new Map(hours.map((h) => [h.bucket, num(h.items)]));
  const hourStart = (bucket: number): string => new Date(w.startsAt.getTime() + bucket * HOUR).toISOString();
  const oldest = review[0]?.oldest ? Date.parse(review[0].oldest) : NaN;
  return {
    shift: { id: w.id, startsAt: fromUtc, endsAt: toUtc },
    timeZone: clock.timeZone,
    generatedAt: now.toISOString(),
    totals: { items: dispositions.reduce((n, d) => n + num(d.items), 0), recoveryJpy: dispositions.reduce((n, d) => n + num(d.recovery), 0) },
    itemsPerHour: Array.from({ length: hoursSoFar }, (_, h) => ({ hourStart: hourStart(h), items: counts.get(h) ?? 0 })),
    dispositions: dispositions.map((d) => ({ disposition: Disposition.parse(d.disposition), items: num(d.items) })),
    channels: channels.map((c) => ({ channel: channelOrNone(c.channel), items: num(c.items) })),
    flags: flags.map((f) => ({ flag: f.flag, items: num(f.items) })),
    // Open parcels are each bench's own (its Intake screen); the hub does not follow parcels.
    queues: { openParcels: 0, outboxPending: num(relay[0]?.pending), deadLetters: num(relay[0]?.dead), reviewPending: num(review[0]?.pending) },
    operators: operators.map((o) => ({ operatorId: o.operator_id, operatorName: o.name ?? o.operator_id, items: num(o.items) })),
    site: {
      benchesOnline: num(benches[0]?.online),
      benchesTotal: num(benches[0]?.total),
      reviewOldestMinutes: Number.isNaN(oldest) ? null : Math.max(0, Math.floor((now.getTime() - oldest) / MINUTE)),
      grades: grades.map((g) => ({ grade: Grade.parse(g.grade), items: num(g.items) })),
      reasons: reasons.map((r) => ({ reason: reasonOrNone(r.reason), items: num(r.items) })),
      benchHours: benchHours.map((b) => ({ stationId: b.station_id, hourStart: hourStart(b.bucket), items: num(b.items) })),
    },
  };
}
