import type { CSSProperties } from 'react';

/** Longer than this, a figure gets a size that fits its card (see .kpi-figure in styles.css). */
const LONG_FIGURE = 8;

/** One figure with its label (the dashboards and reports). */
export function Kpi({ label, value, testId }: { label: string; value: string; testId?: string }) {
  // A month's yen ("¥1,615,620,980") broke mid-number in a narrow card; it must read as one figure.
  const long = value.length > LONG_FIGURE;
  const style = long ? ({ '--kpi-chars': value.length + 1 } as CSSProperties) : undefined;
  return (
    <div className="kpi card" data-testid={testId}>
      <span className="kpi-label">{label}</span>
      <span className={long ? 'kpi-value kpi-figure' : 'kpi-value'} style={style}>
        {value}
      </span>
    </div>
  );
}
