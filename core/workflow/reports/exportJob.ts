import type { ExportFormat, RecoveryFactors, ReportClock, ReportFilters } from '../../../contract/index.js';
import type { ReadonlyDb } from '../../../db/readonly.js';
import { countItemRows, iterateItemRows, type ItemReportRow } from '../../../db/repositories/reports.js';
import { itemColumns } from '../exports/columns.js';
import { writeCsv } from '../exports/csvWriter.js';
import { writeExportFile } from '../exports/fileSink.js';
import type { ExportTarget } from '../exports/safePath.js';
import { writeXlsx } from '../exports/xlsxWriter.js';
import { offsetSuffix, scopeFor } from './clock.js';
import { factorRules } from './recoveryFactors.js';
import { computeSummary } from './summary.js';

/** Everything an export needs besides its database: plain data, so it crosses into a worker thread unchanged. */
export interface ExportJobSpec {
  format: ExportFormat;
  filters: ReportFilters;
  language: 'ja' | 'en';
  target: ExportTarget;
  /** The hidden name the file is written under until it is complete. */
  temp: string;
  clock: ReportClock;
  factors: RecoveryFactors;
  /** ISO instant the summary sheet counts "now" from. */
  now: string;
}

export interface ExportJobResult {
  rows: number;
  bytes: number;
  totals: { items: number; recoveryJpy: number };
}

export interface ExportProgressTick {
  rows: number;
  total: number;
}

export class ExportCancelledError extends Error {
  constructor() {
    super('export cancelled');
    this.name = 'ExportCancelledError';
  }
}

/** How often (in rows) the row loop looks at the clock for a progress report and at the cancel flag. */
const CHECK_EVERY = 256;
const PROGRESS_EVERY_MS = 100;

/**
 * Reads the rows of `spec` from `reader` (one snapshot) into the export file. Cancellation is polled
 * between rows, so it takes effect within a few hundred rows however large the export; the writer then
 * removes its temporary file and nothing appears under the final name.
 */
export async function runExportJob(
  reader: ReadonlyDb,
  spec: ExportJobSpec,
  hooks: { onProgress?: (tick: ExportProgressTick) => void; cancelled?: () => boolean } = {},
): Promise<ExportJobResult> {
  const scope = scopeFor(spec.filters, spec.clock);
  const total = countItemRows(reader, scope);
  const totals = { items: 0, recoveryJpy: 0 };
  const cancelled = hooks.cancelled ?? (() => false);
  const report = hooks.onProgress ?? (() => undefined);
  let lastReport = 0;
  function* tally(rows: Iterable<ItemReportRow>): Generator<ItemReportRow, void, undefined> {
    for (const row of rows) {
      totals.items++;
      totals.recoveryJpy += row.recoveryJpy;
      if (totals.items % CHECK_EVERY === 0) {
        if (cancelled()) throw new ExportCancelledError();
        const t = performance.now();
        if (t - lastReport >= PROGRESS_EVERY_MS) {
          lastReport = t;
          report({ rows: totals.items, total });
        }
      }
      yield row;
    }
  }
  report({ rows: 0, total });
  const rows = tally(iterateItemRows(reader, scope, factorRules(spec.factors)));
  const timeZoneLabel = spec.clock.timeZone === 'Asia/Tokyo' ? 'JST' : `UTC${offsetSuffix(spec.clock.utcOffsetMinutes)}`;
  const options = { language: spec.language, utcOffsetMinutes: spec.clock.utcOffsetMinutes, timeZoneLabel };
  // The XLSX's summary sheet comes first, from the same snapshot the rows are read from. It is computed before the
  // file is opened (about 16 s at 1M items): a cancel meanwhile leaves no temporary file behind, even one the
  // runner must remove after a terminate.
  const summary =
    spec.format === 'xlsx'
      ? computeSummary(reader, spec.filters, spec.clock, spec.factors, new Date(spec.now), () => {
          if (cancelled()) throw new ExportCancelledError();
        })
      : null;
  let count = 0;
  const { bytes } = await writeExportFile(
    spec.target,
    async (out) => {
      if (summary === null) {
        count = await writeCsv(out, rows, itemColumns, options);
      } else {
        count = await writeXlsx(out, summary, rows, itemColumns, options);
      }
      if (cancelled()) throw new ExportCancelledError();
    },
    spec.temp,
  );
  report({ rows: count, total });
  return { rows: count, bytes, totals };
}
