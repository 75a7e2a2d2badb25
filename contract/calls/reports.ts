import { CancelExportResult, ExportInput, ExportResult, ReportFilters, ReportsConfig, ReportSummary, SetExportFolderInput } from '../reports.js';
import { call, Empty, LEADS, SUPERVISORS } from './define.js';

/**
 * Leads may read figures (they run the shift and act on throughput and flags); only supervisors
 * write files or choose where files go, because an export carries every item of the period.
 */
export const reportCalls = {
  'reports.summary': call({ access: LEADS, input: ReportFilters, output: ReportSummary }),
  'reports.export': call({ access: SUPERVISORS, input: ExportInput, output: ExportResult }),
  /** Stops the running export; no file appears under its name. */
  'reports.cancelExport': call({ access: SUPERVISORS, input: Empty, output: CancelExportResult }),
  'reports.config': call({ access: LEADS, input: Empty, output: ReportsConfig }),
  'reports.setExportFolder': call({ access: SUPERVISORS, input: SetExportFolderInput, output: ReportsConfig }),
} as const;
