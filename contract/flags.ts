import { z } from 'zod';
import { LocalizedText } from './grading.js';
import { SITE_FLAG_CODES } from './siteFlags.js';

export const FlagCode = z.enum([
  'reason_condition_mismatch',
  'wrong_item',
  'serial_mismatch',
  // The lot scanned (GS1 AI 10) is not the lot sold on the line: same product, so the match stands.
  'lot_mismatch',
  'empty_box',
  'high_value',
  'serial_returner',
  'return_window_exceeded',
  'expired_lot',
  'declared_condition_mismatch',
  'blind_return',
  // Issue 15: raised only by the site hub, which sees every bench and the WMS's history.
  ...SITE_FLAG_CODES,
]);
export type FlagCode = z.infer<typeof FlagCode>;

/**
 * Which return window applied. Under the Act on Specified Commercial Transactions a mail-order
 * customer may return within 8 days of delivery unless the shop states its own return policy;
 * a stated policy replaces the statutory window.
 */
export const ReturnWindowBasis = z.enum(['statutory', 'shop_policy']);
export type ReturnWindowBasis = z.infer<typeof ReturnWindowBasis>;

export const ReturnWindowCheck = z.object({
  basis: ReturnWindowBasis,
  /** Length of the window in days, the delivery day counting as day 1. */
  days: z.number().int().nonnegative(),
  /** Day of the return counted the same way (delivery day = 1). */
  dayOfReturn: z.number().int(),
  exceeded: z.boolean(),
});
export type ReturnWindowCheck = z.infer<typeof ReturnWindowCheck>;

export const Flag = z.object({
  code: FlagCode,
  explanation: LocalizedText,
  /** Numbers and ids behind the flag, for the review screen. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** Present on return_window_exceeded: which window applied. */
  returnWindow: ReturnWindowCheck.optional(),
});
export type Flag = z.infer<typeof Flag>;

/** Thresholds a site can tune; defaults are what the station ships with. */
export const FlagConfig = z
  .object({
    highValueJpy: z.number().int().positive().default(50_000),
    /** Customer return rate (0–1) at or above which the customer counts as a serial returner. */
    serialReturnerRate: z.number().min(0).max(1).default(0.4),
    /** A parcel lighter than this share of its expected weight is treated as empty. */
    emptyBoxWeightRatio: z.number().min(0).max(1).default(0.25),
    /** The shop's policy (days) when the RMA does not carry one; absent = statutory 8 days. */
    shopReturnPolicyDays: z.number().int().min(0).max(365).optional(),
  })
  .strict();
export type FlagConfig = z.infer<typeof FlagConfig>;
export type FlagConfigInput = z.input<typeof FlagConfig>;
