import { describe, expect, it } from 'vitest';
import { ageParts, formatDateTime, formatShortDateTime, formatTime, formatYen, siteToday } from './format.js';

describe('formatting for the site', () => {
  it('shows times in JST whatever the machine zone is', () => {
    // 15:30 UTC is 00:30 the next day in Tokyo.
    expect(formatDateTime('2026-11-02T15:30:00Z', 'en')).toContain('12:30');
    expect(formatDateTime('2026-11-02T15:30:00Z', 'en')).toContain('Nov 3');
    expect(siteToday(new Date('2026-11-02T15:30:00Z'))).toBe('2026-11-03');
    expect(formatShortDateTime('2026-11-02T15:30:00Z', 'en')).toBe('11/3 00:30');
    expect(formatShortDateTime('2026-11-02T15:30:00Z', 'ja')).toBe('11/3 00:30');
  });

  it('writes a time of day the way each language does, in JST', () => {
    // 10:00 UTC is 19:00 in Tokyo; 00:05 UTC is 09:05.
    expect(formatTime('2026-11-02T10:00:00Z', 'en')).toBe('7:00 PM');
    expect(formatTime('2026-11-02T00:05:00Z', 'en')).toBe('9:05 AM');
    expect(formatTime('2026-11-02T10:00:00Z', 'ja')).toBe('19:00');
    expect(formatTime('2026-11-02T00:05:00Z', 'ja')).toBe('09:05');
  });

  it('formats yen per language', () => {
    expect(formatYen(12345, 'ja')).toMatch(/[￥¥]12,345/);
    expect(formatYen(12345, 'en')).toBe('¥12,345');
  });

  it('splits an age into days, hours and minutes', () => {
    expect(ageParts(1565)).toEqual({ days: 1, hours: 2, minutes: 5 });
  });
});
