import { Disposition, ReturnChannel, type DashboardShift, type RecoveryFactors, type ReportClock } from '../../../contract/index.js';
import type { ReadonlyDb } from '../../../db/readonly.js';
import {
  channelCounts,
  dispositionAggregates,
  flagOutcomeCounts,
  hourBuckets,
  operatorCounts,
  operatorNames,
  queueSizes,
  type ItemScope,
} from '../../../db/repositories/reports.js';
import { shiftWindowAt } from './clock.js';
import { factorRules } from './recoveryFactors.js';

const HOUR = 3_600_000;

/** Live figures of the shift running at `now` (or, in a gap between shifts, of the last hours up to now). */
export function computeDashboard(db: ReadonlyDb, clock: ReportClock, factors: RecoveryFactors, now: Date): DashboardShift {
  const window = shiftWindowAt(now, clock) ?? { shift: { id: 'none', start: '', end: '' }, startsAt: new Date(now.getTime() - 8 * HOUR), endsAt: now };
  const fromUtc = window.startsAt.toISOString();
  const toUtc = window.endsAt.toISOString();
  const scope: ItemScope = { fromUtc, toUtc, shift: null, utcOffsetMinutes: clock.utcOffsetMinutes };

  const hoursSoFar = Math.max(1, Math.ceil((Math.min(now.getTime(), window.endsAt.getTime()) - window.startsAt.getTime()) / HOUR));
  const counts = new Map(hourBuckets(db, fromUtc, toUtc).map((b) => [b.bucket, b.items]));
  const itemsPerHour = Array.from({ length: hoursSoFar }, (_, h) => ({
    hourStart: new Date(window.startsAt.getTime() + h * HOUR).toISOString(),
    items: counts.get(h) ?? 0,
  }));

  const dispositions = dispositionAggregates(db, scope, factorRules(factors));
  const flags = new Map<string, number>();
  for (const row of flagOutcomeCounts(db, scope)) flags.set(row.flag, (flags.get(row.flag) ?? 0) + row.items);
  const names = operatorNames(db);

  return {
    shift: { id: window.shift.id, startsAt: fromUtc, endsAt: toUtc },
    timeZone: clock.timeZone,
    generatedAt: now.toISOString(),
    totals: {
      items: dispositions.reduce((n, d) => n + d.items, 0),
      recoveryJpy: dispositions.reduce((n, d) => n + d.recoveryJpy, 0),
    },
    itemsPerHour,
    dispositions: dispositions.map((d) => ({ disposition: Disposition.parse(d.disposition), items: d.items })),
    channels: channelCounts(db, scope).map((c) => ({ channel: c.channel === null ? ('none' as const) : ReturnChannel.parse(c.channel), items: c.items })),
    flags: [...flags.entries()].map(([flag, items]) => ({ flag, items })).sort((a, b) => b.items - a.items),
    queues: queueSizes(db),
    operators: operatorCounts(db, scope).map((o) => ({ ...o, operatorName: names.get(o.operatorId) ?? o.operatorId })),
  };
}
