// Issue 15 (wt-15r): the site's reports, exports, live dashboard and "benches at a glance", served by the
// hub over its PostgreSQL. The bench's report contract (reports.ts) stays what it is; these are the hub's
// additions, and what a bench reports to the hub about itself.
import { z } from 'zod';
import { DeviceKind } from './devices.js';
import { ExportFormat, ReportFilters } from './reports.js';

/** The longest report range the hub answers (days, both ends counted): a year and a day covers a leap year. */
export const MAX_SITE_REPORT_DAYS = 366;

export const SITE_REPORT_PATHS = {
  /** CSV / XLSX of the site's items, streamed (the hub UI's session cookie; supervisors only). */
  export: '/api/site/export',
  /** A bench's own state (outbox, devices, operator, rule set), sent on its site sync timer. */
  benchStatus: '/hub/v1/bench/status',
} as const;

/** The query string of a site export: the report's filters as JSON, so one schema checks both. */
export const SiteExportQuery = z
  .object({
    format: ExportFormat,
    filters: z
      .string()
      .max(2000)
      .default('{}')
      .transform((s, ctx) => {
        try {
          return JSON.parse(s) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'filters: not JSON' });
          return z.NEVER;
        }
      })
      .pipe(ReportFilters),
    language: z.enum(['ja', 'en']).default('ja'),
  })
  .strict();
export type SiteExportQuery = z.infer<typeof SiteExportQuery>;

/** What only the bench knows about itself; the hub keeps the last one per bench. */
export const BenchStatusReport = z
  .object({
    stationId: z.string().min(1).max(64),
    outboxPending: z.number().int().nonnegative(),
    /** When the oldest undelivered event was recorded (ISO), null when none waits. */
    oldestPendingAt: z.string().max(40).nullable(),
    deadLetters: z.number().int().nonnegative(),
    /** Devices not connected (state error / reconnecting / disconnected). */
    deviceFaults: z.array(z.object({ kind: DeviceKind, label: z.string().max(200), state: z.string().max(40) }).strict()).max(50),
    operator: z.object({ id: z.string().min(1).max(64), name: z.string().max(120) }).strict().nullable(),
    ruleSetVersion: z.number().int().nullable(),
    appVersion: z.string().max(40),
  })
  .strict();
export type BenchStatusReport = z.infer<typeof BenchStatusReport>;

/** One bench as the "benches at a glance" screen shows it. */
export const BenchGlance = z.object({
  stationId: z.string(),
  online: z.boolean(),
  revoked: z.boolean(),
  lastContactAt: z.string().nullable(),
  /** When the bench last reported its own state; null: never (an older bench, or none yet). */
  reportedAt: z.string().nullable(),
  outboxPending: z.number().int().nullable(),
  oldestPendingAt: z.string().nullable(),
  deadLetters: z.number().int().nullable(),
  deviceFaults: z.array(z.object({ kind: z.string(), label: z.string(), state: z.string() })),
  operatorName: z.string().nullable(),
  ruleSetVersion: z.number().int().nullable(),
});
export type BenchGlance = z.infer<typeof BenchGlance>;

export const BenchesGlance = z.object({ benches: z.array(BenchGlance), onlineWithinSec: z.number().int().positive(), generatedAt: z.string() });
export type BenchesGlance = z.infer<typeof BenchesGlance>;
