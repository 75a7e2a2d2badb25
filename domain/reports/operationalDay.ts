import type { ReportClock } from '../../contract/index.js';

/**
 * The site's operational day at an instant, "YYYY-MM-DD": the day starts at the clock's `dayStart`, so at
 * 03:00 in Tokyo with a 06:00 day start it is still yesterday (the night shift's day). Report ranges are
 * operational days; a default range of the calendar date showed an empty "today" from midnight to 06:00.
 */
export function operationalDay(at: Date, clock: Pick<ReportClock, 'utcOffsetMinutes' | 'dayStart'>): string {
  const [h, m] = clock.dayStart.split(':');
  const shiftMinutes = clock.utcOffsetMinutes - (Number(h) * 60 + Number(m));
  return new Date(at.getTime() + shiftMinutes * 60_000).toISOString().slice(0, 10);
}
