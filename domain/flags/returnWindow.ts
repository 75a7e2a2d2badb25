import type { ReturnWindowCheck } from '../../contract/index.js';

/** The statutory return window for mail order (特定商取引法 第15条の3): 8 days from delivery. */
export const STATUTORY_RETURN_DAYS = 8;

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000; // Japan has no daylight saving time.

/** Calendar day in Japan, as a day number: windows are counted in Japanese calendar days. */
export function jstDayNumber(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  return Math.floor((ms + JST_OFFSET_MS) / DAY_MS);
}

/** The Japanese calendar date (YYYY-MM-DD) of a timestamp. */
export function jstDate(iso: string): string {
  return new Date(jstDayNumber(iso) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Which window applies and whether the return is inside it. The shop's stated policy replaces the
 * statutory 8 days; the delivery day counts as day 1 in both.
 */
export function checkReturnWindow(deliveredAt: string, returnedAt: string, shopReturnPolicyDays?: number): ReturnWindowCheck {
  const basis = shopReturnPolicyDays === undefined ? 'statutory' : 'shop_policy';
  const days = shopReturnPolicyDays ?? STATUTORY_RETURN_DAYS;
  const dayOfReturn = jstDayNumber(returnedAt) - jstDayNumber(deliveredAt) + 1;
  return { basis, days, dayOfReturn, exceeded: dayOfReturn > days };
}
