import { homedir } from 'node:os';
import { mkdirSync } from 'node:fs';
import {
  ExportInput,
  RecoveryFactors,
  ReportClock,
  type DashboardShift,
  type ExportProgress,
  type ExportResult,
  type ReportFilters,
  type ReportsConfig,
  type ReportSummary,
} from '../../../contract/index.js';
import type { z } from 'zod';
import { openDatabase, type Db } from '../../../db/connection.js';
import { beginReadSnapshot, readonlyView, type ReadonlyDb, type ReadSnapshot } from '../../../db/readonly.js';
import { appendAudit } from '../../../db/repositories/audit.js';
import { getSetting, setSetting } from '../../../db/repositories/settings.js';
import { StationError } from '../errors.js';
import type { dashboardCalls } from '../../../contract/calls/dashboard.js';
import type { reportCalls } from '../../../contract/calls/reports.js';
import { signedIn, type CallsOf, type HandlersFor } from '../dispatch.js';
import type { SignedInOperator } from '../session.js';
import { exportTempPath } from '../exports/fileSink.js';
import { checkExportFolder, resolveExportTarget, safeExportFileName } from '../exports/safePath.js';
import { defaultReportClock } from './clock.js';
import { computeDashboard } from './dashboard.js';
import { ExportCancelledError, runExportJob, type ExportJobResult, type ExportJobSpec, type ExportProgressTick } from './exportJob.js';
import { exportCancelled, startExportWorker } from './exportRunner.js';
import { defaultRecoveryFactors } from './recoveryFactors.js';
import { computeSummary } from './summary.js';
import { startSummaryWorker, type SummaryWorker } from './summaryRunner.js';

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
  /**
   * Exports of a database file run in a worker thread on a read-only connection of their own (default);
   * false keeps them on this thread (an in-memory database always does: a worker cannot see it).
   */
  exportInWorker?: boolean;
  /** better-sqlite3 binary for the worker's connection (Electron passes its own ABI build). */
  nativeBinding?: string;
  /** Rows written so far of the running export, a few times a second. */
  onExportProgress?: (progress: ExportProgress) => void;
  /** Folders an export folder must lie in (default: the user's home folder); /etc and the like are never offered. */
  exportRoots?: readonly string[];
  /** Where exports go until a supervisor chooses a folder; created at the first export that needs it. */
  defaultExportFolder?: string;
  /**
   * Summaries and the shift dashboard of a database file are computed in one long-lived worker thread on a
   * read-only connection of its own (default), so their aggregate queries never hold the operator's event
   * loop; false computes them on this thread (an in-memory database always does).
   */
  summariesInWorker?: boolean;
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


export class ReportsService {
  private readonly now: () => Date;
  /** The running export (one at a time): its id and how to stop it. */
  private running: { jobId: string; cancel: () => void } | null = null;
  private jobs = 0;
  /** Summaries and the dashboard read through this: they cannot write. */
  private readonly reads: ReadonlyDb;
  /** Started at the first summary or dashboard of a database file, kept until close(). */
  private summaries: SummaryWorker | null = null;

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
    return { exportFolder: getSetting(this.deps.db, SETTING_EXPORT_FOLDER) ?? this.deps.defaultExportFolder ?? null, clock: this.clock(), recoveryFactors: this.recoveryFactors() };
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

  async summary(filters: ReportFilters): Promise<ReportSummary> {
    const worker = this.summaryWorker();
    if (worker) return worker.summary(filters, { clock: this.clock(), factors: this.recoveryFactors(), now: this.now() });
    return computeSummary(this.reads, filters, this.clock(), this.recoveryFactors(), this.now());
  }

  async dashboard(): Promise<DashboardShift> {
    const worker = this.summaryWorker();
    if (worker) return worker.dashboard({ clock: this.clock(), factors: this.recoveryFactors(), now: this.now() });
    return computeDashboard(this.reads, this.clock(), this.recoveryFactors(), this.now());
  }

  /** The default export folder, created when missing, as its real path (resolveExportTarget compares real paths). */
  private defaultFolder(): string {
    const folder = this.deps.defaultExportFolder;
    if (!folder) throw new StationError('CONFLICT', 'error.exportFolderNotSet', 'Choose an export folder first.');
    try {
      mkdirSync(folder, { recursive: true });
    } catch {
      throw new StationError('CONFLICT', 'error.exportFolderNotSet', 'The default export folder cannot be created; choose an export folder first.');
    }
    return checkExportFolder(folder);
  }

  /** Stops the summary worker, if one was started. */
  async close(): Promise<void> {
    const worker = this.summaries;
    this.summaries = null;
    await worker?.close();
  }

  private summaryWorker(): SummaryWorker | null {
    if (this.deps.summariesInWorker === false || this.deps.db.memory) return null;
    this.summaries ??= startSummaryWorker({ dbFile: this.deps.db.name, ...(this.deps.nativeBinding ? { nativeBinding: this.deps.nativeBinding } : {}) });
    return this.summaries;
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
    const folder = getSetting(this.deps.db, SETTING_EXPORT_FOLDER) ?? this.defaultFolder();
    const target = resolveExportTarget(folder, safeExportFileName(input.fileName, input.format));
    // One at a time: an export keeps a core busy and holds a snapshot of the database open.
    if (this.running) throw new StationError('CONFLICT', 'error.exportBusy', 'Another export is running; try again when it has finished.');
    const jobId = `export-${++this.jobs}`;
    const spec: ExportJobSpec = {
      format: input.format,
      filters: input.filters,
      language: input.language,
      target,
      temp: exportTempPath(target),
      clock: this.clock(),
      factors: this.recoveryFactors(),
      now: this.now().toISOString(),
    };
    const progress = (tick: ExportProgressTick, state: ExportProgress['state'] = 'running'): void => {
      try {
        this.deps.onExportProgress?.({ jobId, format: input.format, fileName: target.fileName, rows: tick.rows, total: tick.total, state });
      } catch (err) {
        this.deps.log?.('export progress listener failed', err);
      }
    };
    let last: ExportProgressTick = { rows: 0, total: 0 };
    const onProgress = (tick: ExportProgressTick): void => {
      last = tick;
      progress(tick);
    };
    this.running = { jobId, cancel: () => undefined };
    let result: ExportJobResult;
    try {
      result = this.inWorker() ? await this.exportInWorker(spec, onProgress) : await this.exportHere(spec, onProgress);
    } catch (err) {
      progress(last, err instanceof StationError && err.messageKey === 'error.exportCancelled' ? 'cancelled' : 'failed');
      throw err;
    } finally {
      this.running = null;
    }
    progress({ rows: result.rows, total: Math.max(last.total, result.rows) }, 'done');
    appendAudit(this.deps.db, {
      operatorId: op.id,
      action: 'reports.exported',
      entity: `export:${target.fileName}`,
      after: { format: input.format, filters: input.filters, rows: result.rows, path: target.path },
    });
    return { format: input.format, path: target.path, fileName: target.fileName, rows: result.rows, bytes: result.bytes, totals: result.totals };
  }

  /** Stops the running export; its file never appears under the final name. */
  cancelExport(): { cancelled: boolean; jobId: string | null } {
    const running = this.running;
    if (!running) return { cancelled: false, jobId: null };
    running.cancel();
    return { cancelled: true, jobId: running.jobId };
  }

  private inWorker(): boolean {
    return this.deps.exportInWorker !== false && !this.deps.db.memory;
  }

  private exportInWorker(spec: ExportJobSpec, onProgress: (tick: ExportProgressTick) => void): Promise<ExportJobResult> {
    const job = startExportWorker({ dbFile: this.deps.db.name, ...(this.deps.nativeBinding ? { nativeBinding: this.deps.nativeBinding } : {}), spec, onProgress });
    if (this.running) this.running.cancel = () => job.cancel();
    return job.result;
  }

  /** On this thread: an in-memory database, or a caller that keeps everything in one thread. */
  private async exportHere(spec: ExportJobSpec, onProgress: (tick: ExportProgressTick) => void): Promise<ExportJobResult> {
    let stop = false;
    if (this.running) this.running.cancel = () => (stop = true);
    const opened = this.openSnapshot();
    try {
      return await runExportJob(opened.snapshot.db, spec, { onProgress, cancelled: () => stop });
    } catch (err) {
      if (err instanceof ExportCancelledError) throw exportCancelled();
      throw err;
    } finally {
      opened.snapshot.end();
      opened.close();
    }
  }
}

export function reportHandlers(reports: ReportsService): HandlersFor<CallsOf<typeof reportCalls>> {
  return {
    'reports.summary': (_ctx, filters) => reports.summary(filters),
    'reports.export': (ctx, input) => reports.export(signedIn(ctx), input),
    'reports.cancelExport': () => reports.cancelExport(),
    'reports.config': () => reports.config(),
    'reports.setExportFolder': (ctx, input) => reports.setExportFolder(signedIn(ctx), input.folder),
  };
}

/** The shift dashboard is read from the same figures as the reports. */
export function dashboardHandlers(reports: ReportsService): HandlersFor<CallsOf<typeof dashboardCalls>> {
  return { 'dashboard.shift': () => reports.dashboard() };
}
