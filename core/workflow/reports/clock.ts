import type { ReportClock, ReportFilters, ShiftDefinition } from '../../../contract/index.js';
import type { ItemScope } from '../../../db/repositories/reports.js';
import { StationError } from '../errors.js';

export { defaultReportClock } from '../../../contract/index.js';

const MINUTE = 60_000;
const DAY_MIN = 1440;

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/** Local minute of day of an instant, at the site's offset. */
export function localMinuteOfDay(at: Date, utcOffsetMinutes: number): number {
  const m = Math.floor(at.getTime() / MINUTE) + utcOffsetMinutes;
  return ((m % DAY_MIN) + DAY_MIN) % DAY_MIN;
}

function inWindow(minute: number, start: number, end: number): boolean {
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The shift an instant falls in; the first listed wins where definitions overlap, null in a gap. */
export function shiftAt(at: Date, clock: ReportClock): ShiftDefinition | null {
  const minute = localMinuteOfDay(at, clock.utcOffsetMinutes);
  return clock.shifts.find((s) => inWindow(minute, minutesOf(s.start), minutesOf(s.end))) ?? null;
}

/** UTC instant of a site-local day plus a minute of that day. */
function localToUtc(localDate: string, minuteOfDay: number, utcOffsetMinutes: number): Date {
  const midnight = Date.parse(`${localDate}T00:00:00Z`);
  return new Date(midnight + (minuteOfDay - utcOffsetMinutes) * MINUTE);
}

function addDays(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MIN * MINUTE).toISOString().slice(0, 10);
}

/** The running (or given instant's) shift as UTC instants; null when the instant is in no shift. */
export function shiftWindowAt(at: Date, clock: ReportClock): { shift: ShiftDefinition; startsAt: Date; endsAt: Date } | null {
  const shift = shiftAt(at, clock);
  if (!shift) return null;
  const start = minutesOf(shift.start);
  const minute = localMinuteOfDay(at, clock.utcOffsetMinutes);
  const back = (minute - start + DAY_MIN) % DAY_MIN;
  const startsAt = new Date(Math.floor(at.getTime() / MINUTE) * MINUTE - back * MINUTE);
  const length = (minutesOf(shift.end) - start + DAY_MIN) % DAY_MIN || DAY_MIN;
  return { shift, startsAt, endsAt: new Date(startsAt.getTime() + length * MINUTE) };
}

/** Filters → the instants and windows the repository compares with stored UTC times. */
export function scopeFor(filters: ReportFilters, clock: ReportClock): ItemScope {
  const dayStart = minutesOf(clock.dayStart);
  let shift: ItemScope['shift'] = null;
  if (filters.shift !== undefined) {
    const def = clock.shifts.find((s) => s.id === filters.shift);
    if (!def) {
      throw new StationError('INVALID_INPUT', 'error.unknownShift', `No shift called "${filters.shift}".`, { field: 'shift', shift: filters.shift });
    }
    shift = { startMin: minutesOf(def.start), endMin: minutesOf(def.end) };
  }
  return {
    fromUtc: filters.from ? localToUtc(filters.from, dayStart, clock.utcOffsetMinutes).toISOString() : null,
    toUtc: filters.to ? localToUtc(addDays(filters.to, 1), dayStart, clock.utcOffsetMinutes).toISOString() : null,
    shift,
    utcOffsetMinutes: clock.utcOffsetMinutes,
    stationId: filters.stationId,
    operatorId: filters.operatorId,
    category: filters.category,
    disposition: filters.disposition,
    flag: filters.flag,
    channel: filters.channel,
  };
}

/** "2026-11-02T09:05:00+09:00": an instant written in site time with its offset. */
export function toLocalIso(at: Date, utcOffsetMinutes: number): string {
  const shifted = new Date(at.getTime() + utcOffsetMinutes * MINUTE).toISOString().slice(0, 19);
  const sign = utcOffsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(utcOffsetMinutes);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function offsetSuffix(utcOffsetMinutes: number): string {
  return toLocalIso(new Date(0), utcOffsetMinutes).slice(19);
}
