import {
  Disposition,
  Grade,
  ReturnReason,
  type RecoveryFactors,
  type ReportClock,
  type ReportFilters,
  type ReportSummary,
} from '../../contract/index.js';
import type { Db } from '../../../db/connection.js';
import {
  blindReturnCounts,
  cycleSeconds,
  deadLetterCounts,
  dispositionAggregates,
  flagOutcomeCounts,
  gradeCounts,
  hourlyThroughput,
  operatorNames,
  reasonCounts,
} from '../../../db/repositories/reports.js';
import { offsetSuffix, scopeFor } from './clock.js';
import { factorRules } from './recoveryFactors.js';

/** Hourly rows returned to the UI; the per-operator figures always count every hour. */
export const HOURLY_LIMIT = 10_000;

/** Nearest-rank percentile of sorted values: the smallest value with at least p of the data at or below it. */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

export function computeSummary(db: Db, filters: ReportFilters, clock: ReportClock, factors: RecoveryFactors, now: Date): ReportSummary {
  const scope = scopeFor(filters, clock);
  const rules = factorRules(factors);

  const dispositions = dispositionAggregates(db, scope, rules).map((d) => ({ ...d, disposition: Disposition.parse(d.disposition) }));
  const totals = dispositions.reduce(
    (t, d) => ({ items: t.items + d.items, priceJpy: t.priceJpy + d.priceJpy, recoveryJpy: t.recoveryJpy + d.recoveryJpy }),
    { items: 0, priceJpy: 0, recoveryJpy: 0 },
  );

  const flagMap = new Map<string, { flag: string; items: number; outcomes: { outcome: string; items: number }[] }>();
  for (const row of flagOutcomeCounts(db, scope)) {
    const entry = flagMap.get(row.flag) ?? { flag: row.flag, items: 0, outcomes: [] };
    entry.items += row.items;
    entry.outcomes.push({ outcome: row.outcome, items: row.items });
    flagMap.set(row.flag, entry);
  }

  const names = operatorNames(db);
  const perOperator = new Map<string, { items: number; activeHours: number; peakHourItems: number }>();
  const hourly: ReportSummary['throughput']['hourly'] = [];
  const suffix = offsetSuffix(clock.utcOffsetMinutes);
  for (const row of hourlyThroughput(db, scope)) {
    const op = perOperator.get(row.operatorId) ?? { items: 0, activeHours: 0, peakHourItems: 0 };
    op.items += row.items;
    op.activeHours += 1;
    op.peakHourItems = Math.max(op.peakHourItems, row.items);
    perOperator.set(row.operatorId, op);
    if (hourly.length < HOURLY_LIMIT + 1) hourly.push({ operatorId: row.operatorId, hour: `${row.hour}${suffix}`, items: row.items });
  }
  const hourlyTruncated = hourly.length > HOURLY_LIMIT;
  if (hourlyTruncated) hourly.pop();

  const cycles = cycleSeconds(db, scope).sort();

  return {
    filters,
    range: { fromUtc: scope.fromUtc, toUtc: scope.toUtc },
    timeZone: clock.timeZone,
    generatedAt: now.toISOString(),
    totals,
    dispositions,
    reasons: reasonCounts(db, scope).map((r) => ({ reason: r.reason === null ? ('none' as const) : ReturnReason.parse(r.reason), items: r.items })),
    grades: gradeCounts(db, scope).map((g) => ({ grade: Grade.parse(g.grade), items: g.items })),
    flags: [...flagMap.values()].sort((a, b) => b.items - a.items || a.flag.localeCompare(b.flag)),
    throughput: {
      operators: [...perOperator.entries()]
        .map(([operatorId, op]) => ({
          operatorId,
          operatorName: names.get(operatorId) ?? operatorId,
          items: op.items,
          activeHours: op.activeHours,
          itemsPerActiveHour: op.activeHours ? Math.round((op.items / op.activeHours) * 10) / 10 : 0,
          peakHourItems: op.peakHourItems,
        }))
        .sort((a, b) => b.items - a.items || a.operatorId.localeCompare(b.operatorId)),
      hourly,
      hourlyTruncated,
    },
    cycleTime: { items: cycles.length, medianSec: round1(percentile(cycles, 0.5)), p90Sec: round1(percentile(cycles, 0.9)) },
    blindReturns: blindReturnCounts(db, scope),
    deadLetters: deadLetterCounts(db, scope.fromUtc, scope.toUtc),
  };
}
