/**
 * The file's name until the supervisor types one: the period it holds, so November's export is not saved as
 * "returns-<today>" beside December's.
 */
export function defaultExportName(period: { from: string; to: string }): string {
  const from = period.from.trim();
  const to = period.to.trim();
  if (from && to) return from === to ? `returns-${from}` : `returns-${from}_${to}`;
  if (from) return `returns-from-${from}`;
  if (to) return `returns-until-${to}`;
  return 'returns-all';
}
