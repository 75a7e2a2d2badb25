import { MAX_MIN_AGE_MINUTES } from '../../../contract/index.js';

/**
 * The review queue's "waiting at least (min)" field as the call's input: whole minutes from 0 to a year. A larger
 * number (or 1e400, which is Infinity) was sent as typed and refused with "input not accepted" and an empty queue;
 * a year is already longer than anything waits, so it is clamped, not refused.
 */
export function minAgeFromInput(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  if (Number.isNaN(n)) return undefined;
  return Math.min(MAX_MIN_AGE_MINUTES, Math.max(0, Math.floor(n)));
}
