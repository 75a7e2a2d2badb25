import { homedir } from 'node:os';
import {
  ExportInput,
  RecoveryFactors,
  ReportClock,
  type DashboardShift,
  type ExportResult,
  type ReportFilters,
  type ReportsConfig,
  type ReportSummary,
} from '../../../contract/index.js';
import type { z } from 'zod';
import { openDatabase, type Db } from '../../../db/connection.js';
import { beginReadSnapshot, readonlyView, type ReadonlyDb, type ReadSnapshot } from '../../../db/readonly.js';
import { appendAudit } from '../../../db/repositories/audit.js';
import { iterateItemRows, type ItemReportRow } from '../../../db/repositories/reports.js';
import { getSetting, setSetting } from '../../../db/repositories/settings.js';
import { StationError } from '../errors.js';
import type { HandlersFor } from '../dispatch.js';
import type { SignedInOperator } from '../session.js';
import { itemColumns } from '../exports/columns.js';
import { writeCsv } from '../exports/csvWriter.js';
import { writeExportFile } from '../exports/fileSink.js';
import { checkExportFolder, resolveExportTarget, safeExportFileName } from '../exports/safePath.js';
import { writeXlsx } from '../exports/xlsxWriter.js';
import { offsetSuffix, scopeFor } from './clock.js';
import { defaultReportClock } from './clock.js';
import { computeDashboard } from './dashboard.js';
import { defaultRecoveryFactors, factorRules } from './recoveryFactors.js';
import { computeSummary } from './summary.js';

/** Keys in the settings table. */
export const SETTING_EXPORT_FOLDER = 'exports.folder';
export const SETTING_CLOCK = 'reports.clock';
export const SETTING_FACTORS = 'reports.recoveryFactors';

export interface ReportsDeps {
  db: Db;
  /**
   * Opens a read-only connection to the same database. An export reads for many seconds and awaits
   * the disk between rows; on its own connection it reads one consistent snapshot while the bench
   * keeps writing. The station passes one built with its native binding; absent, the file is reopened.
   */
  openReader?: () => Db;
  clock?: ReportClock;
  recoveryFactors?: RecoveryFactors;
  now?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  /** Folders an export folder must lie in (default: the user's home folder); /etc and the like are never offered. */
  exportRoots?: readonly string[];
}

function readJsonSetting<T extends z.ZodType>(db: Db, key: string, schema: T): z.output<T> | undefined {
  const raw = getSetting(db, key);
  if (raw === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Passes rows through while adding up what the result reports, so a CSV needs no second pass. */
function* tally(rows: Iterable<ItemReportRow>, totals: { items: number; recoveryJpy: number }): Generator<ItemReportRow, void, undefined> {
  for (const row of rows) {
    totals.items++;
    totals.recoveryJpy += row.recoveryJpy;
    yield row;
  }
}

export class ReportsService {
  private readonly now: () => Date;
  private exporting = false;
  /** Summaries and the dashboard read through this: they cannot write. */
  private readonly reads: ReadonlyDb;

  constructor(private readonly deps: ReportsDeps) {
    this.now = deps.now ?? (() => new Date());
    this.reads = readonlyView(deps.db);
  }

  /** Settings win over the defaults the station was built with, so a site can retune without a release. */
  clock(): ReportClock {
    return readJsonSetting(this.deps.db, SETTING_CLOCK, ReportClock) ?? this.deps.clock ?? defaultReportClock;
  }

  recoveryFactors(): RecoveryFactors {
    return readJsonSetting(this.deps.db, SETTING_FACTORS, RecoveryFactors) ?? this.deps.recoveryFactors ?? defaultRecoveryFactors;
  }

  config(): ReportsConfig {
    return { exportFolder: getSetting(this.deps.db, SETTING_EXPORT_FOLDER) ?? null, clock: this.clock(), recoveryFactors: this.recoveryFactors() };
  }

  setExportFolder(op: SignedInOperator, folder: string): ReportsConfig {
    const real = checkExportFolder(folder, this.deps.exportRoots ?? [homedir()]);
    const { db } = this.deps;
    const before = getSetting(db, SETTING_EXPORT_FOLDER) ?? null;
    db.transaction(() => {
      setSetting(db, SETTING_EXPORT_FOLDER, real);
      appendAudit(db, { operatorId: op.id, action: 'settings.changed', entity: `setting:${SETTING_EXPORT_FOLDER}`, before, after: real });
    })();
    return this.config();
  }

  summary(filters: ReportFilters): ReportSummary {
    return computeSummary(this.reads, filters, this.clock(), this.recoveryFactors(), this.now());
  }

  dashboard(): DashboardShift {
    return computeDashboard(this.reads, this.clock(), this.recoveryFactors(), this.now());
  }

  /** A snapshot on its own read-only connection; an in-memory database has only the one connection to read. */
  private openSnapshot(): { snapshot: ReadSnapshot; close: () => void } {
    const { db } = this.deps;
    if (!this.deps.openReader && db.memory) return { snapshot: { db: this.reads, end: () => undefined }, close: () => undefined };
    const connection = this.deps.openReader ? this.deps.openReader() : openDatabase(db.name, { readonly: true });
    try {
      return { snapshot: beginReadSnapshot(connection), close: () => connection.close() };
    } catch (err) {
      connection.close();
      throw err;
    }
  }

  async export(op: SignedInOperator, input: z.output<typeof ExportInput>): Promise<ExportResult> {
    const folder = getSetting(this.deps.db, SETTING_EXPORT_FOLDER);
    if (!folder) throw new StationError('CONFLICT', 'error.exportFolderNotSet', 'Choose an export folder first.');
    const target = resolveExportTarget(folder, safeExportFileName(input.fileName, input.format));
    // One at a time: an export keeps a core busy and holds a snapshot of the database open.
    if (this.exporting) throw new StationError('CONFLICT', 'error.exportBusy', 'Another export is running; try again when it has finished.');
    this.exporting = true;
    let opened: { snapshot: ReadSnapshot; close: () => void } | undefined;
    try {
      opened = this.openSnapshot();
      const reader = opened.snapshot.db;
      const clock = this.clock();
      const factors = this.recoveryFactors();
      const totals = { items: 0, recoveryJpy: 0 };
      const rows = tally(iterateItemRows(reader, scopeFor(input.filters, clock), factorRules(factors)), totals);
      const timeZoneLabel = clock.timeZone === 'Asia/Tokyo' ? 'JST' : `UTC${offsetSuffix(clock.utcOffsetMinutes)}`;
      const options = { language: input.language, utcOffsetMinutes: clock.utcOffsetMinutes, timeZoneLabel };
      let count = 0;
      const { bytes } = await writeExportFile(target, async (out) => {
        if (input.format === 'csv') {
          count = await writeCsv(out, rows, itemColumns, options);
        } else {
          // The summary sheet comes first, from the same snapshot the rows are read from.
          const summary = computeSummary(reader, input.filters, clock, factors, this.now());
          count = await writeXlsx(out, summary, rows, itemColumns, options);
        }
      });
      appendAudit(this.deps.db, {
        operatorId: op.id,
        action: 'reports.exported',
        entity: `export:${target.fileName}`,
        after: { format: input.format, filters: input.filters, rows: count, path: target.path },
      });
      return { format: input.format, path: target.path, fileName: target.fileName, rows: count, bytes, totals };
    } finally {
      opened?.snapshot.end();
      opened?.close();
      this.exporting = false;
    }
  }
}

export type ReportCallName = 'reports.summary' | 'reports.export' | 'reports.config' | 'reports.setExportFolder' | 'dashboard.shift';

export function reportHandlers(reports: ReportsService): HandlersFor<ReportCallName> {
  return {
    'reports.summary': (_ctx, filters) => reports.summary(filters),
    'reports.export': (ctx, input) => reports.export(ctx.operator!, input),
    'reports.config': () => reports.config(),
    'reports.setExportFolder': (ctx, input) => reports.setExportFolder(ctx.operator!, input.folder),
    'dashboard.shift': () => reports.dashboard(),
  };
}
