import type { TFunction } from 'i18next';
import type { ExportProgress, ExportResult } from '../../../contract/index.js';
import { formatNumber, formatYen } from './format.js';

// i18next picks the plural form (row / rows) from `count`, which must stay a number; the text shows the same
// figure formatted for the language (12,345) through its own placeholder.

export function exportProgressText(t: TFunction, p: Pick<ExportProgress, 'fileName' | 'rows' | 'total'>, language: string): string {
  return t('reports.exportProgress', { count: p.total, file: p.fileName, rows: formatNumber(p.rows, language), total: formatNumber(p.total, language) });
}

export function exportedText(t: TFunction, r: Pick<ExportResult, 'fileName' | 'rows' | 'totals'>, language: string): string {
  return t('reports.exported', { count: r.rows, file: r.fileName, rows: formatNumber(r.rows, language), total: formatYen(r.totals.recoveryJpy, language) });
}

/** The rules' dry run: "3 of 1,200 items would route differently"; the total decides item or items. */
export function routeChangedText(t: TFunction, d: { changed: number; total: number }, language: string): string {
  return t('rules.changed', { count: d.total, changed: formatNumber(d.changed, language), total: formatNumber(d.total, language) });
}

/** "12 tags (40 reads)": two counts, each with its own plural. */
export function tagsReadText(t: TFunction, tags: number, reads: number): string {
  return t('devices.tagsRead', { count: tags, reads: t('devices.reads', { count: reads }) });
}
