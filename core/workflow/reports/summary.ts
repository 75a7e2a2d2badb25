import type { RecoveryFactors, ReportClock, ReportFilters, ReportSummary } from '../../../contract/index.js';
import type { ReadonlyDb } from '../../../db/readonly.js';
import {
  blindReturnCounts,
  cycleSeconds,
  deadLetterCounts,
  flagOutcomeCounts,
  hourlyThroughput,
  itemBreakdown,
  operatorNames,
} from '../../../db/repositories/reports.js';
import { foldBreakdown, foldFlags, foldThroughput, round1 } from '../../../domain/reports/summaryFold.js';
import { offsetSuffix, scopeFor } from './clock.js';
import { factorRules } from './recoveryFactors.js';

export { HOURLY_LIMIT } from '../../../domain/reports/summaryFold.js';

/** Nearest-rank percentile of sorted values: the smallest value with at least p of the data at or below it. */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * `betweenQueries` runs before each of the summary's queries: an export's cancel check (one query over a million
 * items takes up to a second or more, and the worker cannot be stopped inside one).
 */
export function computeSummary(db: ReadonlyDb, filters: ReportFilters, clock: ReportClock, factors: RecoveryFactors, now: Date, betweenQueries: () => void = () => undefined): ReportSummary {
  const scope = scopeFor(filters, clock);
  const rules = factorRules(factors);
  const step = <T>(query: () => T): T => {
    betweenQueries();
    return query();
  };

  const cycles = step(() => cycleSeconds(db, scope)).sort();
  const breakdown = foldBreakdown(step(() => itemBreakdown(db, scope, rules)));
  const flags = foldFlags(step(() => flagOutcomeCounts(db, scope)));
  const throughput = foldThroughput(step(() => hourlyThroughput(db, scope)), step(() => operatorNames(db)), offsetSuffix(clock.utcOffsetMinutes));
  const blindReturns = step(() => blindReturnCounts(db, scope));
  const deadLetters = step(() => deadLetterCounts(db, scope.fromUtc, scope.toUtc));
  betweenQueries();

  return {
    filters,
    range: { fromUtc: scope.fromUtc, toUtc: scope.toUtc },
    timeZone: clock.timeZone,
    generatedAt: now.toISOString(),
    ...breakdown,
    flags,
    throughput,
    cycleTime: { items: cycles.length, medianSec: round1(percentile(cycles, 0.5)), p90Sec: round1(percentile(cycles, 0.9)) },
    blindReturns,
    deadLetters,
  };
}
