import { describe, expect, it } from 'vitest';
import { screenForShortcut, screensFor } from './screens.js';

describe('screens per role', () => {
  it('staff see intake and devices; leads add review and sync; supervisors see everything', () => {
    expect(screensFor('staff')).toEqual(['intake', 'devices']);
    expect(screensFor('lead')).toEqual(['intake', 'devices', 'review', 'sync']);
    expect(screensFor('supervisor')).toEqual(['intake', 'devices', 'review', 'sync', 'reports', 'dashboard', 'rules', 'operators']);
  });

  it('the site hub offers leads the review queue and the benches, supervisors reports, dashboard, rules and roster too, nothing of a bench', () => {
    expect(screensFor('lead', true)).toEqual(['review', 'benches']);
    expect(screensFor('supervisor', true)).toEqual(['review', 'reports', 'dashboard', 'benches', 'rules', 'operators']);
    expect(screensFor('staff', true)).toEqual([]);
    expect(screenForShortcut('supervisor', '6', true)).toBe('operators');
  });

  it('Alt+digit picks by position and never reaches a screen the role does not have', () => {
    expect(screenForShortcut('staff', '2')).toBe('devices');
    expect(screenForShortcut('staff', '3')).toBeUndefined();
    expect(screenForShortcut('supervisor', '7')).toBe('rules');
    expect(screenForShortcut('supervisor', '8')).toBe('operators');
    expect(screenForShortcut('lead', '0')).toBeUndefined();
  });
});
