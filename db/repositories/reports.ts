import type { BreakdownRow } from '../../contract/index.js';
import type { ReadonlyDb } from '../readonly.js';

/**
 * Which items a report covers, already turned into instants: the workflow layer owns the site's
 * clock (operational day, shifts); this layer only compares stored UTC ISO strings.
 */
export interface ItemScope {
  /** Inclusive lower bound of graded_at (UTC ISO), or null. */
  fromUtc: string | null;
  /** Exclusive upper bound of graded_at (UTC ISO), or null. */
  toUtc: string | null;
  /** Local minute-of-day window [startMin, endMin); wraps past midnight when endMin <= startMin. */
  shift: { startMin: number; endMin: number } | null;
  utcOffsetMinutes: number;
  stationId?: string | undefined;
  operatorId?: string | undefined;
  category?: string | undefined;
  disposition?: string | undefined;
  flag?: string | undefined;
  /** Return channel of the item's RMA; blind returns (no RMA) have none and drop out. */
  channel?: string | undefined;
}

/** A recovery factor for one disposition, for one grade or (grade null) its default. */
export interface FactorRule {
  disposition: string;
  grade: string | null;
  factor: number;
}

type Params = Record<string, string | number>;

interface Built {
  sql: string;
  params: Params;
}

/** A flag as items.flags_json stores it: a code string, or an object with `code`. */
const FLAG_CODE = "CASE f.type WHEN 'object' THEN json_extract(f.value, '$.code') ELSE f.value END";

const BASE_FROM = `FROM items i
  JOIN parcels p ON p.id = i.parcel_id
  LEFT JOIN products pr ON pr.sku = i.sku`;

function offsetModifier(minutes: number): string {
  return `${minutes >= 0 ? '+' : '-'}${Math.abs(minutes)} minutes`;
}

/** WHERE clause of an item scope; only bound parameters, never interpolated values. */
export function scopeWhere(scope: ItemScope): Built {
  const clauses: string[] = [];
  const params: Params = {};
  if (scope.fromUtc !== null) {
    clauses.push('i.graded_at >= @fromUtc');
    params.fromUtc = scope.fromUtc;
  }
  if (scope.toUtc !== null) {
    clauses.push('i.graded_at < @toUtc');
    params.toUtc = scope.toUtc;
  }
  if (scope.shift) {
    const minuteOfDay = `((CAST(strftime('%H', i.graded_at) AS INTEGER) * 60 + CAST(strftime('%M', i.graded_at) AS INTEGER) + @offsetMin + 1440) % 1440)`;
    params.offsetMin = scope.utcOffsetMinutes;
    params.shiftStart = scope.shift.startMin;
    params.shiftEnd = scope.shift.endMin;
    clauses.push(
      scope.shift.startMin < scope.shift.endMin
        ? `(${minuteOfDay} >= @shiftStart AND ${minuteOfDay} < @shiftEnd)`
        : `(${minuteOfDay} >= @shiftStart OR ${minuteOfDay} < @shiftEnd)`,
    );
  }
  const eq: [keyof ItemScope, string][] = [
    ['stationId', 'p.station_id'],
    ['operatorId', 'i.operator_id'],
    ['category', 'pr.category'],
    ['disposition', 'i.disposition'],
  ];
  for (const [key, column] of eq) {
    const value = scope[key];
    if (typeof value === 'string') {
      clauses.push(`${column} = @${key}`);
      params[key] = value;
    }
  }
  if (scope.flag !== undefined) {
    clauses.push(`EXISTS (SELECT 1 FROM json_each(i.flags_json) f WHERE ${FLAG_CODE} = @flag)`);
    params.flag = scope.flag;
  }
  if (scope.channel !== undefined) {
    clauses.push('EXISTS (SELECT 1 FROM rmas rc WHERE rc.rma_number = p.rma_number AND rc.return_channel = @channel)');
    params.channel = scope.channel;
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** SQL for an item's recovery factor: grade-specific rules first, then the disposition's default. */
export function factorExpression(rules: readonly FactorRule[]): Built {
  const params: Params = {};
  const ordered = [...rules.filter((r) => r.grade !== null), ...rules.filter((r) => r.grade === null)];
  const whens = ordered.map((r, n) => {
    params[`fd${n}`] = r.disposition;
    params[`fv${n}`] = r.factor;
    if (r.grade === null) return `WHEN i.disposition = @fd${n} THEN @fv${n}`;
    params[`fg${n}`] = r.grade;
    return `WHEN i.disposition = @fd${n} AND i.grade = @fg${n} THEN @fv${n}`;
  });
  return { sql: whens.length ? `(CASE ${whens.join(' ')} ELSE 0 END)` : '0', params };
}

const PRICE = 'COALESCE(pr.price_jpy, 0)';
const recoveryOf = (factorSql: string): string => `CAST(ROUND(${PRICE} * ${factorSql}) AS INTEGER)`;

/** Items by disposition × grade × reason × channel in one pass; callers fold it into each view. */
export function itemBreakdown(db: ReadonlyDb, scope: ItemScope, factors: readonly FactorRule[]): BreakdownRow[] {
  const where = scopeWhere(scope);
  const factor = factorExpression(factors);
  return db
    .prepare(
      `SELECT i.disposition AS disposition, i.grade AS grade, rl.reason AS reason, r.return_channel AS channel, COUNT(*) AS items,
         COALESCE(SUM(${PRICE}), 0) AS priceJpy, COALESCE(SUM(${recoveryOf(factor.sql)}), 0) AS recoveryJpy
       ${BASE_FROM} LEFT JOIN rma_lines rl ON rl.id = i.rma_line_id LEFT JOIN rmas r ON r.rma_number = p.rma_number
       ${where.sql} GROUP BY i.disposition, i.grade, rl.reason, r.return_channel`,
    )
    .all({ ...where.params, ...factor.params }) as BreakdownRow[];
}

export interface DispositionAggregate {
  disposition: string;
  items: number;
  priceJpy: number;
  recoveryJpy: number;
}

export function dispositionAggregates(db: ReadonlyDb, scope: ItemScope, factors: readonly FactorRule[]): DispositionAggregate[] {
  const where = scopeWhere(scope);
  const factor = factorExpression(factors);
  return db
    .prepare(
      `SELECT i.disposition AS disposition, COUNT(*) AS items, COALESCE(SUM(${PRICE}), 0) AS priceJpy,
         COALESCE(SUM(${recoveryOf(factor.sql)}), 0) AS recoveryJpy
       ${BASE_FROM} ${where.sql} GROUP BY i.disposition ORDER BY items DESC, disposition`,
    )
    .all({ ...where.params, ...factor.params }) as DispositionAggregate[];
}

/** Items per return channel of their RMA; channel null: blind returns. */
export function channelCounts(db: ReadonlyDb, scope: ItemScope): { channel: string | null; items: number }[] {
  const where = scopeWhere(scope);
  return db
    .prepare(
      `SELECT r.return_channel AS channel, COUNT(*) AS items
       ${BASE_FROM} LEFT JOIN rmas r ON r.rma_number = p.rma_number ${where.sql}
       GROUP BY r.return_channel ORDER BY items DESC, channel`,
    )
    .all(where.params) as { channel: string | null; items: number }[];
}

/** Items per flag code and review outcome (items.review_status). */
export function flagOutcomeCounts(db: ReadonlyDb, scope: ItemScope): { flag: string; outcome: string; items: number }[] {
  const where = scopeWhere(scope);
  return db
    .prepare(
      `SELECT ${FLAG_CODE} AS flag, i.review_status AS outcome, COUNT(DISTINCT i.id) AS items
       ${BASE_FROM} JOIN json_each(i.flags_json) f ${where.sql ? `${where.sql} AND` : 'WHERE'} i.flags_json <> '[]'
       GROUP BY flag, outcome ORDER BY flag, outcome`,
    )
    .all(where.params) as { flag: string; outcome: string; items: number }[];
}

/** Items per operator per local clock hour ("YYYY-MM-DDTHH:00" in site time), in order. */
export function hourlyThroughput(db: ReadonlyDb, scope: ItemScope): IterableIterator<{ operatorId: string; hour: string; items: number }> {
  const where = scopeWhere(scope);
  return db
    .prepare(
      `SELECT i.operator_id AS operatorId, strftime('%Y-%m-%dT%H:00', i.graded_at, @offsetMod) AS hour, COUNT(*) AS items
       ${BASE_FROM} ${where.sql} GROUP BY operatorId, hour ORDER BY operatorId, hour`,
    )
    .iterate({ ...where.params, offsetMod: offsetModifier(scope.utcOffsetMinutes) }) as IterableIterator<{ operatorId: string; hour: string; items: number }>;
}

/** Seconds from parcel receipt to grading, one number per item, unordered. */
export function cycleSeconds(db: ReadonlyDb, scope: ItemScope): Float64Array {
  const where = scopeWhere(scope);
  const stmt = db
    .prepare(`SELECT (julianday(i.graded_at) - julianday(p.received_at)) * 86400.0 ${BASE_FROM} ${where.sql}`)
    .pluck();
  let out = new Float64Array(1024);
  let n = 0;
  for (const v of stmt.iterate(where.params) as IterableIterator<number | null>) {
    if (v === null) continue;
    if (n === out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = v;
  }
  return out.subarray(0, n);
}

export function blindReturnCounts(db: ReadonlyDb, scope: ItemScope): { parcels: number; items: number } {
  const where = scopeWhere(scope);
  const items = db
    .prepare(`SELECT COUNT(*) ${BASE_FROM} ${where.sql ? `${where.sql} AND` : 'WHERE'} p.blind_return = 1`)
    .pluck()
    .get(where.params) as number;
  // Parcels count by receipt time: a blind parcel still waiting for grading is part of the period's work.
  const clauses = ['p.blind_return = 1'];
  const params: Params = {};
  if (scope.fromUtc !== null) {
    clauses.push('p.received_at >= @fromUtc');
    params.fromUtc = scope.fromUtc;
  }
  if (scope.toUtc !== null) {
    clauses.push('p.received_at < @toUtc');
    params.toUtc = scope.toUtc;
  }
  if (scope.stationId !== undefined) {
    clauses.push('p.station_id = @stationId');
    params.stationId = scope.stationId;
  }
  const parcels = db.prepare(`SELECT COUNT(*) FROM parcels p WHERE ${clauses.join(' AND ')}`).pluck().get(params) as number;
  return { parcels, items };
}

export function deadLetterCounts(db: ReadonlyDb, fromUtc: string | null, toUtc: string | null): { open: number; skipped: number; openNow: number } {
  const clauses = ["status = 'dead'"];
  const params: Params = {};
  if (fromUtc !== null) {
    clauses.push('occurred_at >= @fromUtc');
    params.fromUtc = fromUtc;
  }
  if (toUtc !== null) {
    clauses.push('occurred_at < @toUtc');
    params.toUtc = toUtc;
  }
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(skipped_at IS NULL), 0) AS open, COALESCE(SUM(skipped_at IS NOT NULL), 0) AS skipped FROM outbox WHERE ${clauses.join(' AND ')}`,
    )
    .get(params) as { open: number; skipped: number };
  const openNow = db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'dead' AND skipped_at IS NULL").pluck().get() as number;
  return { ...row, openNow };
}

export function operatorNames(db: ReadonlyDb): Map<string, string> {
  const rows = db.prepare('SELECT id, name FROM operators').all() as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One exported item: raw stored values; the workflow layer formats them. */
export interface ItemReportRow {
  lpn: string;
  gradedAt: string;
  receivedAt: string | null;
  stationId: string;
  operatorId: string;
  operatorName: string | null;
  rmaNumber: string | null;
  sku: string;
  productName: string | null;
  productNameJa: string | null;
  category: string | null;
  reason: string | null;
  kind: string;
  grade: string;
  disposition: string;
  destination: string;
  ruleId: string;
  priceJpy: number | null;
  factor: number;
  recoveryJpy: number;
  cycleSec: number | null;
  blindReturn: number;
  flags: string | null;
  reviewStatus: string;
  ruleSetVersion: number;
  /** Migration 016; null for items graded before it. */
  ruleSetSource: string | null;
  ruleSetSourceId: string | null;
  ruleSetSha256: string | null;
}

/**
 * Every item of the scope, oldest first, one row at a time (never all in memory). Rows come from
 * SQLite as arrays and become objects here: the native binding sets object properties one call at a
 * time, which over 24 columns and a million rows costs seconds.
 */
export function* iterateItemRows(db: ReadonlyDb, scope: ItemScope, factors: readonly FactorRule[]): Generator<ItemReportRow, void, undefined> {
  const where = scopeWhere(scope);
  const factor = factorExpression(factors);
  const stmt = db
    .prepare(
      `SELECT i.lpn, i.graded_at, p.received_at, p.station_id, i.operator_id, o.name, p.rma_number, i.sku,
         pr.name, pr.name_ja, pr.category, rl.reason, i.kind, i.grade, i.disposition, i.destination, i.rule_id,
         pr.price_jpy, ${factor.sql}, ${recoveryOf(factor.sql)},
         (julianday(i.graded_at) - julianday(p.received_at)) * 86400.0, p.blind_return,
         CASE WHEN i.flags_json = '[]' THEN NULL ELSE (SELECT group_concat(${FLAG_CODE}, ' ') FROM json_each(i.flags_json) f) END,
         i.review_status, i.rule_set_version, i.rule_set_source, i.rule_set_source_id, i.rule_set_sha256
       ${BASE_FROM}
       LEFT JOIN rma_lines rl ON rl.id = i.rma_line_id
       LEFT JOIN operators o ON o.id = i.operator_id
       ${where.sql}
       ORDER BY i.graded_at, i.rowid`,
    )
    .raw();
  type Raw = [string, string, string | null, string, string, string | null, string | null, string, string | null, string | null, string | null, string | null, string, string, string, string, string, number | null, number, number, number | null, number, string | null, string, number, string | null, string | null, string | null];
  for (const r of stmt.iterate({ ...where.params, ...factor.params }) as IterableIterator<Raw>) {
    yield {
      lpn: r[0],
      gradedAt: r[1],
      receivedAt: r[2],
      stationId: r[3],
      operatorId: r[4],
      operatorName: r[5],
      rmaNumber: r[6],
      sku: r[7],
      productName: r[8],
      productNameJa: r[9],
      category: r[10],
      reason: r[11],
      kind: r[12],
      grade: r[13],
      disposition: r[14],
      destination: r[15],
      ruleId: r[16],
      priceJpy: r[17],
      factor: r[18],
      recoveryJpy: r[19],
      cycleSec: r[20],
      blindReturn: r[21],
      flags: r[22],
      reviewStatus: r[23],
      ruleSetVersion: r[24],
      ruleSetSource: r[25],
      ruleSetSourceId: r[26],
      ruleSetSha256: r[27],
    };
  }
}

/** Live figures for the dashboard: items graded in [fromUtc, toUtc). */
export function hourBuckets(db: ReadonlyDb, fromUtc: string, toUtc: string): { bucket: number; items: number }[] {
  return db
    .prepare(
      `SELECT CAST((julianday(graded_at) - julianday(@fromUtc)) * 24 AS INTEGER) AS bucket, COUNT(*) AS items
       FROM items WHERE graded_at >= @fromUtc AND graded_at < @toUtc GROUP BY bucket ORDER BY bucket`,
    )
    .all({ fromUtc, toUtc }) as { bucket: number; items: number }[];
}

export function operatorCounts(db: ReadonlyDb, scope: ItemScope): { operatorId: string; items: number }[] {
  const where = scopeWhere(scope);
  return db
    .prepare(`SELECT i.operator_id AS operatorId, COUNT(*) AS items ${BASE_FROM} ${where.sql} GROUP BY i.operator_id ORDER BY items DESC`)
    .all(where.params) as { operatorId: string; items: number }[];
}

export interface QueueSizes {
  openParcels: number;
  outboxPending: number;
  deadLetters: number;
  reviewPending: number;
}

export function queueSizes(db: ReadonlyDb): QueueSizes {
  return db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM parcels WHERE status = 'open') AS openParcels,
              (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS outboxPending,
              (SELECT COUNT(*) FROM outbox WHERE status = 'dead' AND skipped_at IS NULL) AS deadLetters,
              (SELECT COUNT(*) FROM items WHERE review_status = 'pending') AS reviewPending`,
    )
    .get() as QueueSizes;
}

/** How many items a scope covers: the total an export's progress is measured against. */
export function countItemRows(db: ReadonlyDb, scope: ItemScope): number {
  const where = scopeWhere(scope);
  const row = db.prepare(`SELECT COUNT(*) AS n ${BASE_FROM} ${where.sql}`).get(where.params) as { n: number };
  return row.n;
}
