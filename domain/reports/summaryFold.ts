// The report summary's breakdowns, folded from grouped rows: a bench folds its SQLite's rows
// (core/workflow/reports/summary.ts) and the site hub its PostgreSQL's (hub/siteReports.ts), so both
// screens count, rank and name alike.
import { Disposition, Grade, ReturnChannel, ReturnReason, type BreakdownRow, type ReportSummary } from '../../contract/index.js';

/** Hourly rows returned to the UI; the per-operator figures always count every hour. */
export const HOURLY_LIMIT = 10_000;

export interface FlagOutcomeRow {
  flag: string;
  outcome: string;
  items: number;
}

/** Items one operator graded in one local hour (`hour` without its offset). */
export interface HourlyRow {
  operatorId: string;
  hour: string;
  items: number;
}

type Breakdowns = Pick<ReportSummary, 'totals' | 'dispositions' | 'reasons' | 'channels' | 'reasonChannels' | 'grades'>;

/** Most items first, then by key: the order of every ranked list on the Reports screens. */
export const ranked = <T extends { items: number }>(rows: T[], key: (r: T) => string): T[] => rows.sort((a, b) => b.items - a.items || key(a).localeCompare(key(b)));

export const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

// A line without a reason (blind returns) or an RMA without a channel counts as "none", as does a value a
// newer WMS sends that this version does not know: the report still adds up.
export const reasonOrNone = (r: string | null): ReturnReason | 'none' => (r === null ? 'none' : (ReturnReason.safeParse(r).data ?? 'none'));
export const channelOrNone = (c: string | null): ReturnChannel | 'none' => (c === null ? 'none' : (ReturnChannel.safeParse(c).data ?? 'none'));

export function foldBreakdown(rows: Iterable<BreakdownRow>): Breakdowns {
  const byDisposition = new Map<string, { items: number; priceJpy: number; recoveryJpy: number }>();
  const byGrade = new Map<string, number>();
  const byReason = new Map<ReturnReason | 'none', number>();
  const byChannel = new Map<ReturnChannel | 'none', number>();
  const byReasonChannel = new Map<string, { reason: ReturnReason | 'none'; channel: ReturnChannel | 'none'; items: number }>();
  const totals = { items: 0, priceJpy: 0, recoveryJpy: 0 };
  for (const row of rows) {
    const d = byDisposition.get(row.disposition) ?? { items: 0, priceJpy: 0, recoveryJpy: 0 };
    d.items += row.items;
    d.priceJpy += row.priceJpy;
    d.recoveryJpy += row.recoveryJpy;
    byDisposition.set(row.disposition, d);
    byGrade.set(row.grade, (byGrade.get(row.grade) ?? 0) + row.items);
    const reason = reasonOrNone(row.reason);
    const channel = channelOrNone(row.channel);
    byReason.set(reason, (byReason.get(reason) ?? 0) + row.items);
    byChannel.set(channel, (byChannel.get(channel) ?? 0) + row.items);
    const rc = byReasonChannel.get(`${reason} ${channel}`) ?? { reason, channel, items: 0 };
    rc.items += row.items;
    byReasonChannel.set(`${reason} ${channel}`, rc);
    totals.items += row.items;
    totals.priceJpy += row.priceJpy;
    totals.recoveryJpy += row.recoveryJpy;
  }
  return {
    totals,
    dispositions: ranked(
      [...byDisposition.entries()].map(([disposition, d]) => ({ disposition: Disposition.parse(disposition), ...d })),
      (d) => d.disposition,
    ),
    reasons: ranked([...byReason.entries()].map(([reason, items]) => ({ reason, items })), (r) => r.reason),
    channels: ranked([...byChannel.entries()].map(([channel, items]) => ({ channel, items })), (c) => c.channel),
    reasonChannels: ranked([...byReasonChannel.values()], (r) => `${r.reason} ${r.channel}`),
    grades: ranked([...byGrade.entries()].map(([grade, items]) => ({ grade: Grade.parse(grade), items })), (g) => g.grade),
  };
}

/** Each flag with the items it was raised on and how their review ended; most items first. */
export function foldFlags(rows: Iterable<FlagOutcomeRow>): ReportSummary['flags'] {
  const flags = new Map<string, { flag: string; items: number; outcomes: { outcome: string; items: number }[] }>();
  for (const row of rows) {
    const entry = flags.get(row.flag) ?? { flag: row.flag, items: 0, outcomes: [] };
    entry.items += row.items;
    entry.outcomes.push({ outcome: row.outcome, items: row.items });
    flags.set(row.flag, entry);
  }
  return [...flags.values()].sort((a, b) => b.items - a.items || a.flag.localeCompare(b.flag));
}

/**
 * Per-operator throughput from hourly rows: items, active hours, items per active hour and the busiest hour,
 * with the hourly rows themselves (their local hour given `offsetSuffix`, e.g. "+09:00") up to HOURLY_LIMIT.
 */
export function foldThroughput(rows: Iterable<HourlyRow>, names: ReadonlyMap<string, string>, offsetSuffix: string): ReportSummary['throughput'] {
  const perOperator = new Map<string, { items: number; activeHours: number; peakHourItems: number }>();
  const hourly: ReportSummary['throughput']['hourly'] = [];
  for (const row of rows) {
    const op = perOperator.get(row.operatorId) ?? { items: 0, activeHours: 0, peakHourItems: 0 };
    op.items += row.items;
    op.activeHours += 1;
    op.peakHourItems = Math.max(op.peakHourItems, row.items);
    perOperator.set(row.operatorId, op);
    if (hourly.length < HOURLY_LIMIT + 1) hourly.push({ operatorId: row.operatorId, hour: `${row.hour}${offsetSuffix}`, items: row.items });
  }
  const hourlyTruncated = hourly.length > HOURLY_LIMIT;
  if (hourlyTruncated) hourly.pop();
  return {
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
  };
}
