import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from './format.js';

/** One row of a count table: what is counted (already in the screen's language) and how many items. */
export interface CountRow {
  key: string;
  label: ReactNode;
  items: number;
}

/** A two-column table of item counts (the dashboards' operators, channels, flags, grades, reasons); "none" when empty. */
export function CountTable({ rows, testId }: { rows: readonly CountRow[]; testId?: string }) {
  const { t, i18n } = useTranslation();
  if (rows.length === 0) {
    return (
      <p className="hint" data-testid={testId}>
        {t('reports.none')}
      </p>
    );
  }
  return (
    <table className="table" data-testid={testId}>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.label}</td>
            <td className="num">{formatNumber(r.items, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
