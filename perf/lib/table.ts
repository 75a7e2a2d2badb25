/** One line of the results: a measured value against its target (met null: report only). */
export interface Figure {
  id: string;
  figure: string;
  value: number;
  unit: string;
  extra: string;
  target: string;
  met: boolean | null;
}

function fmt(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

export function buildTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.figure, fmt(f.value, f.unit), f.extra, f.target, f.met === null ? '—' : f.met ? 'yes' : 'NO']);
  const head = ['figure', 'value', 'detail', 'target', 'met?'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - [...c].length)).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** The same table in Markdown, for the README. */
export function markdownTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => `| ${f.figure} | ${fmt(f.value, f.unit)} | ${f.extra} | ${f.target} | ${f.met === null ? '—' : f.met ? 'yes' : '**no**'} |`);
  return ['| figure | value | detail | target | met? |', '|---|---|---|---|---|', ...rows].join('\n');
}
