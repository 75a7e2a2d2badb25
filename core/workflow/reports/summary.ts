import {
  Disposition,
  Grade,
  ReturnChannel,
  ReturnReason,
  type RecoveryFactors,
  type ReportClock,
  type ReportFilters,
  type ReportSummary,
} from '../../../contract/index.js';
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

const channelOrNone = (c: string): ReturnChannel | 'none' => (c === 'none' ? 'none' : ReturnChannel.parse(c));
const reasonOrNone = (r: string): ReturnReason | 'none' => (r === 'none' ? 'none' : ReturnReason.parse(r));

const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

export function computeSummary(db: ReadonlyDb, filters: ReportFilters, clock: ReportClock, factors: RecoveryFactors, now: Date): ReportSummary {
  const scope = scopeFor(filters, clock);
  const rules = factorRules(factors);

  const byDisposition = new Map<string, { items: number; priceJpy: number; recoveryJpy: number }>();
  const byGrade = new Map<string, number>();
  const byReason = new Map<string, number>();
  const byChannel = new Map<string, number>();
  const byReasonChannel = new Map<string, { reason: string; channel: string; items: number }>();
  const totals = { items: 0, priceJpy: 0, recoveryJpy: 0 };
  for (const row of itemBreakdown(db, scope, rules)) {
    const d = byDisposition.get(row.disposition) ?? { items: 0, priceJpy: 0, recoveryJpy: 0 };
    d.items += row.items;
    d.priceJpy += row.priceJpy;
    d.recoveryJpy += row.recoveryJpy;
    byDisposition.set(row.disposition, d);
    byGrade.set(row.grade, (byGrade.get(row.grade) ?? 0) + row.items);
    const reason = row.reason ?? 'none';
    byReason.set(reason, (byReason.get(reason) ?? 0) + row.items);
    const channel = row.channel ?? 'none';
    byChannel.set(channel, (byChannel.get(channel) ?? 0) + row.items);
    const rc = byReasonChannel.get(`${reason}\u0000${channel}`) ?? { reason, channel, items: 0 };
    rc.items += row.items;
    byReasonChannel.set(`${reason}\u0000${channel}`, rc);
    totals.items += row.items;
    totals.priceJpy += row.priceJpy;
    totals.recoveryJpy += row.recoveryJpy;
  }
  const ranked = <T extends { items: number }>(rows: T[], key: (r: T) => string): T[] =>
    rows.sort((a, b) => b.items - a.items || key(a).localeCompare(key(b)));

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
    dispositions: ranked(
      [...byDisposition.entries()].map(([disposition, d]) => ({ disposition: Disposition.parse(disposition), ...d })),
      (d) => d.disposition,
    ),
    reasons: ranked(
      [...byReason.entries()].map(([reason, items]) => ({ reason: reasonOrNone(reason), items })),
      (r) => r.reason,
    ),
    channels: ranked([...byChannel.entries()].map(([channel, items]) => ({ channel: channelOrNone(channel), items })), (c) => c.channel),
    reasonChannels: ranked(
      [...byReasonChannel.values()].map((r) => ({ reason: reasonOrNone(r.reason), channel: channelOrNone(r.channel), items: r.items })),
      (r) => `${r.reason} ${r.channel}`,
    ),
    grades: ranked([...byGrade.entries()].map(([grade, items]) => ({ grade: Grade.parse(grade), items })), (g) => g.grade),
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
