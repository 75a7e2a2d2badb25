import { describe, expect, it } from 'vitest';
import { operationalDay } from './operationalDay.js';

const jst = { utcOffsetMinutes: 540, dayStart: '06:00' };

describe('operationalDay', () => {
  it('keeps the night after midnight on the day the night shift began', () => {
    // 03:00 JST on 3 Nov is still the operational day of 2 Nov.
    expect(operationalDay(new Date('2026-11-02T18:00:00Z'), jst)).toBe('2026-11-02');
    // 05:59 JST: still 2 Nov; 06:00 JST: 3 Nov.
    expect(operationalDay(new Date('2026-11-02T20:59:00Z'), jst)).toBe('2026-11-02');
    expect(operationalDay(new Date('2026-11-02T21:00:00Z'), jst)).toBe('2026-11-03');
  });

  it('is the calendar date in site time when the day starts at midnight', () => {
    expect(operationalDay(new Date('2026-11-02T15:30:00Z'), { utcOffsetMinutes: 540, dayStart: '00:00' })).toBe('2026-11-03');
    expect(operationalDay(new Date('2026-11-02T14:59:00Z'), { utcOffsetMinutes: 540, dayStart: '00:00' })).toBe('2026-11-02');
  });
});
