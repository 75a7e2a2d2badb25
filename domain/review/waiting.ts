/**
 * How long an item held for review has waited for a lead, in whole minutes: until now while it waits, until the
 * decision once decided, so a decided item's age stays what it was when a lead took it. A decided item whose
 * decision time does not parse (a bench's timestamps are not checked) reads 0 rather than a clock that runs on.
 */
export function waitingMinutes(gradedAt: string, decidedAt: string | null, now: number): number {
  const from = Date.parse(gradedAt);
  const until = decidedAt === null ? now : Date.parse(decidedAt);
  if (Number.isNaN(from) || Number.isNaN(until)) return 0;
  return Math.max(0, Math.floor((until - from) / 60_000));
}
