import { z } from 'zod';
import { Category, Disposition, Grade, ReturnChannel, ReturnReason, SiteScope } from './entities.js';

/** A wall-clock time of the site, "HH:MM" (24 h). */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time as HH:MM');

/** A calendar day of the site, "YYYY-MM-DD". */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');

export const ShiftId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'shift id: lower-case letters, digits, - or _');

/** One shift of the site's day; `end` before `start` means it runs past midnight (night shift). */
export const ShiftDefinition = z
  .object({ id: ShiftId, start: ClockTime, end: ClockTime })
  .strict()
  .refine((s) => s.start !== s.end, 'a shift cannot start and end at the same time');
export type ShiftDefinition = z.infer<typeof ShiftDefinition>;

/**
 * How the site keeps time for reports. The operational day starts at `dayStart`, so a night shift's
 * early-morning items count on the day the shift began. A fixed UTC offset: Japan has no daylight saving.
 */
export const ReportClock = z
  .object({
    timeZone: z.string().min(1).max(64),
    utcOffsetMinutes: z.number().int().min(-720).max(840),
    dayStart: ClockTime,
    shifts: z.array(ShiftDefinition).min(1).max(6),
  })
  .strict()
  .refine((c) => new Set(c.shifts.map((s) => s.id)).size === c.shifts.length, 'shift ids must be unique');
export type ReportClock = z.infer<typeof ReportClock>;

/** JST, three shifts; the operational day starts with the early shift so the night shift stays on one day. A bench's and a site hub's default. */
export const defaultReportClock: ReportClock = {
  timeZone: 'Asia/Tokyo',
  utcOffsetMinutes: 540,
  dayStart: '06:00',
  shifts: [
    { id: 'early', start: '06:00', end: '14:00' },
    { id: 'late', start: '14:00', end: '22:00' },
    { id: 'night', start: '22:00', end: '06:00' },
  ],
};

/** Recovery value = product price × factor; a grade's own factor wins over its disposition's default. */
export const RecoveryFactors = z.record(
  Disposition,
  z.object({ default: z.number().min(0).max(1), byGrade: z.partialRecord(Grade, z.number().min(0).max(1)).default({}) }).strict(),
);
export type RecoveryFactors = z.infer<typeof RecoveryFactors>;

/**
 * Share of the list price a disposition recovers, as data a site can replace (setting
 * `reports.recoveryFactors`). Restock sells at full price; resale follows the grade the way
 * Japanese re-commerce price lists step down; repaired stock sells at a discount after cost;
 * disposal and quarantine recover nothing until someone decides otherwise. A bench's and a site hub's default.
 */
export const defaultRecoveryFactors: RecoveryFactors = {
  restock: { default: 1, byGrade: {} },
  resale: { default: 0.5, byGrade: { N: 0.85, S: 0.8, A: 0.65, B: 0.5, C: 0.35, D: 0.2, scrap: 0.05 } },
  repair: { default: 0.4, byGrade: {} },
  disposal: { default: 0, byGrade: {} },
  quarantine: { default: 0, byGrade: {} },
};

const FilterText = z.string().min(1).max(64);

/** Every filter is optional; `from`/`to` are operational days of the site, both inclusive. */
export const ReportFilters = z
  .object({
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    shift: ShiftId.optional(),
    stationId: FilterText.optional(),
    operatorId: FilterText.optional(),
    category: Category.optional(),
    disposition: Disposition.optional(),
    /** A flag code (FlagCode); items carrying it. */
    flag: FilterText.optional(),
    /** Items of returns that came back through this channel. */
    channel: ReturnChannel.optional(),
  })
  .strict()
  // Its own message key: the operator is told to swap the dates, not that a field called "to" is wrong.
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: '`from` is after `to`', path: ['to'], params: { messageKey: 'error.dateRange' } });
export type ReportFilters = z.infer<typeof ReportFilters>;

const Count = z.number().int().nonnegative();
const Yen = z.number().int();

export const ReportSummary = z.object({
  filters: ReportFilters,
  scope: SiteScope.optional(),
  /** The instants the filters cover (UTC ISO), null where open-ended. */
  range: z.object({ fromUtc: z.string().nullable(), toUtc: z.string().nullable() }),
  timeZone: z.string(),
  generatedAt: z.string(),
  totals: z.object({ items: Count, priceJpy: Yen, recoveryJpy: Yen }),
  dispositions: z.array(z.object({ disposition: Disposition, items: Count, priceJpy: Yen, recoveryJpy: Yen })),
  /** `none`: the item had no RMA line (blind return or unexpected item). */
  reasons: z.array(z.object({ reason: z.union([ReturnReason, z.literal('none')]), items: Count })),
  grades: z.array(z.object({ grade: Grade, items: Count })),
  /** Items by the return channel of their RMA; `none`: a blind return. */
  channels: z.array(z.object({ channel: z.union([ReturnChannel, z.literal('none')]), items: Count })),
  /** Reason × channel, for merchandising (which channels bring back which reasons). */
  reasonChannels: z.array(
    z.object({ reason: z.union([ReturnReason, z.literal('none')]), channel: z.union([ReturnChannel, z.literal('none')]), items: Count }),
  ),
  /** Per flag code, the items carrying it by their review outcome (none / pending / approved / overridden). */
  flags: z.array(z.object({ flag: z.string(), items: Count, outcomes: z.array(z.object({ outcome: z.string(), items: Count })) })),
  throughput: z.object({
    operators: z.array(
      z.object({
        operatorId: z.string(),
        operatorName: z.string(),
        items: Count,
        /** Clock hours of the site in which the operator graded at least one item. */
        activeHours: Count,
        itemsPerActiveHour: z.number().nonnegative(),
        peakHourItems: Count,
      }),
    ),
    /** Items per operator per clock hour; `hour` is the local hour start with offset, e.g. 2026-11-02T09:00+09:00. */
    hourly: z.array(z.object({ operatorId: z.string(), hour: z.string(), items: Count })),
    hourlyTruncated: z.boolean(),
  }),
  /** Seconds from the parcel's receipt to the item's disposition (nearest-rank percentiles). */
  cycleTime: z.object({ items: Count, medianSec: z.number().nullable(), p90Sec: z.number().nullable() }),
  blindReturns: z.object({ parcels: Count, items: Count }),
  /** Outbox dead letters by the day their event occurred (date filter only); `openNow` ignores all filters. */
  deadLetters: z.object({ open: Count, skipped: Count, openNow: Count }),
  /** Issue 15: the hub's site report adds items per bench and per shift (a bench's own report has neither). */
  benches: z.array(z.object({ stationId: z.string(), items: Count, recoveryJpy: Yen })).optional(),
  shifts: z.array(z.object({ shift: z.string(), items: Count })).optional(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const ExportFormat = z.enum(['csv', 'xlsx']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * A file name chosen by the user, without folders: letters (any script), digits, space and . _ - ( ).
 * The extension of `format` is forced onto it.
 */
export const ExportFileName = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[\p{L}\p{N} ._\-()]+$/u, 'use letters, digits, spaces and . _ - ( ) only')
  .refine((s) => !s.includes('..'), 'no ".." in file names')
  .refine((s) => !s.startsWith('.'), 'file names cannot start with "."');

export const ExportInput = z
  .object({
    format: ExportFormat,
    filters: ReportFilters.default({}),
    fileName: ExportFileName,
    /** Header and sheet names. */
    language: z.enum(['ja', 'en']).default('ja'),
  })
  .strict();

export const ExportResult = z.object({
  format: ExportFormat,
  /** Absolute path of the written file (inside the export folder). */
  path: z.string(),
  fileName: z.string(),
  rows: Count,
  bytes: Count,
  totals: z.object({ items: Count, recoveryJpy: Yen }),
});
export type ExportResult = z.infer<typeof ExportResult>;

/** Pushed while an export runs (a few times a second) and once when it ends. */
export const ExportProgress = z.object({
  jobId: z.string(),
  format: ExportFormat,
  fileName: z.string(),
  rows: Count,
  /** Items the export covers; rows/total is the share written. */
  total: Count,
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const CancelExportResult = z.object({ cancelled: z.boolean(), jobId: z.string().nullable() });
export type CancelExportResult = z.infer<typeof CancelExportResult>;

export const ReportsConfig = z.object({
  exportFolder: z.string().nullable(),
  clock: ReportClock,
  recoveryFactors: RecoveryFactors,
});
export type ReportsConfig = z.infer<typeof ReportsConfig>;

export const SetExportFolderInput = z.object({ folder: z.string().min(1).max(1024) }).strict();

export const DashboardShift = z.object({
  scope: SiteScope.optional(),
  shift: z.object({ id: ShiftId, startsAt: z.string(), endsAt: z.string() }),
  timeZone: z.string(),
  generatedAt: z.string(),
  totals: z.object({ items: Count, recoveryJpy: Yen }),
  /** One entry per hour of the shift so far (zero-filled), oldest first. */
  itemsPerHour: z.array(z.object({ hourStart: z.string(), items: Count })),
  dispositions: z.array(z.object({ disposition: Disposition, items: Count })),
  /** Items graded this shift by the return channel of their RMA; `none`: blind returns. */
  channels: z.array(z.object({ channel: z.union([ReturnChannel, z.literal('none')]), items: Count })),
  flags: z.array(z.object({ flag: z.string(), items: Count })),
  queues: z.object({
    openParcels: Count,
    outboxPending: Count,
    deadLetters: Count,
    /** Items waiting for a lead's review (all shifts). */
    reviewPending: Count,
  }),
  operators: z.array(z.object({ operatorId: z.string(), operatorName: z.string(), items: Count })),
  /** Issue 15: present when the hub answers, for the whole site. */
  site: z
    .object({
      benchesOnline: Count,
      benchesTotal: Count,
      /** Minutes the oldest item waiting for review has waited; null when none waits. */
      reviewOldestMinutes: Count.nullable(),
      grades: z.array(z.object({ grade: Grade, items: Count })),
      reasons: z.array(z.object({ reason: z.union([ReturnReason, z.literal('none')]), items: Count })),
      /** Items per bench per hour of the shift (hours without items left out). */
      benchHours: z.array(z.object({ stationId: z.string(), hourStart: z.string(), items: Count })),
    })
    .optional(),
});
export type DashboardShift = z.infer<typeof DashboardShift>;

/** Pushed (coalesced) after any recorded work so dashboards refetch `dashboard.shift`. */
export const DashboardChanged = z.object({ at: z.string() });
export type DashboardChanged = z.infer<typeof DashboardChanged>;

/** Items of one disposition, grade, reason and channel, as a bench's SQLite and a site hub's PostgreSQL group them for a report. */
export interface BreakdownRow {
  disposition: string;
  grade: string;
  reason: string | null;
  /** Null for a blind return (no RMA). */
  channel: string | null;
  items: number;
  priceJpy: number;
  recoveryJpy: number;
}
