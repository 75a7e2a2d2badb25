import { describe, expect, it } from 'vitest';
import { defaultReportClock as clock, localMinuteOfDay, scopeFor, shiftAt, shiftWindowAt, toLocalIso } from './clock.js';
import { StationError } from '../errors.js';

describe('the site clock (JST, early/late/night)', () => {
  it('turns operational days into instants: the day starts 06:00 JST', () => {
    const scope = scopeFor({ from: '2026-11-02', to: '2026-11-03' }, clock);
    expect(scope.fromUtc).toBe('2026-11-01T21:00:00.000Z');
    expect(scope.toUtc).toBe('2026-11-03T21:00:00.000Z');
    expect(scopeFor({}, clock)).toMatchObject({ fromUtc: null, toUtc: null, shift: null });
  });

  it('places instants in shifts, the night shift across midnight', () => {
    expect(shiftAt(new Date('2026-11-01T21:00:00Z'), clock)?.id).toBe('early'); // 06:00 JST
    expect(shiftAt(new Date('2026-11-02T04:59:59Z'), clock)?.id).toBe('early'); // 13:59 JST
    expect(shiftAt(new Date('2026-11-02T05:00:00Z'), clock)?.id).toBe('late'); // 14:00 JST
    expect(shiftAt(new Date('2026-11-02T13:00:00Z'), clock)?.id).toBe('night'); // 22:00 JST
    expect(shiftAt(new Date('2026-11-02T17:30:00Z'), clock)?.id).toBe('night'); // 02:30 JST
  });

  it('finds the running shift window, even after midnight', () => {
    const w = shiftWindowAt(new Date('2026-11-02T17:30:00Z'), clock)!; // 02:30 JST on the 3rd
    expect(w.shift.id).toBe('night');
    expect(w.startsAt.toISOString()).toBe('2026-11-02T13:00:00.000Z'); // 22:00 JST on the 2nd
    expect(w.endsAt.toISOString()).toBe('2026-11-02T21:00:00.000Z'); // 06:00 JST on the 3rd
    const early = shiftWindowAt(new Date('2026-11-01T21:00:00Z'), clock)!;
    expect(early.startsAt.toISOString()).toBe('2026-11-01T21:00:00.000Z');
  });

  it('returns null in a gap between shifts', () => {
    const gappy = { ...clock, shifts: [{ id: 'day', start: '09:00', end: '17:00' }] };
    expect(shiftAt(new Date('2026-11-02T10:00:00Z'), gappy)).toBeNull(); // 19:00 JST
    expect(shiftWindowAt(new Date('2026-11-02T10:00:00Z'), gappy)).toBeNull();
  });

  it('refuses an unknown shift and writes local times with the offset', () => {
    expect(() => scopeFor({ shift: 'lunch' }, clock)).toThrow(StationError);
    expect(scopeFor({ shift: 'night' }, clock).shift).toEqual({ startMin: 22 * 60, endMin: 6 * 60 });
    expect(toLocalIso(new Date('2026-11-02T17:30:00Z'), 540)).toBe('2026-11-03T02:30:00+09:00');
    expect(toLocalIso(new Date('2026-11-02T17:30:00Z'), -330)).toBe('2026-11-02T12:00:00-05:30');
    expect(localMinuteOfDay(new Date('2026-11-02T17:30:00Z'), 540)).toBe(150);
  });
});
