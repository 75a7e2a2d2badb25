import { describe, expect, it } from 'vitest';
import { waitingMinutes } from './waiting.js';

const graded = '2026-01-01T09:00:00.000Z';
const now = Date.parse('2026-01-02T09:00:00.000Z');

describe('waitingMinutes', () => {
  it('counts to now while the item waits', () => {
    expect(waitingMinutes(graded, null, now)).toBe(1440);
    expect(waitingMinutes(graded, null, now + 60_000)).toBe(1441);
  });

  it('stops at the decision: a decided item does not age', () => {
    expect(waitingMinutes(graded, '2026-01-01T09:45:30.000Z', now)).toBe(45);
    expect(waitingMinutes(graded, '2026-01-01T09:45:30.000Z', now + 86_400_000)).toBe(45);
  });

  it('reads 0 for times that do not parse or run backwards', () => {
    expect(waitingMinutes('not a time', null, now)).toBe(0);
    expect(waitingMinutes(graded, 'yesterday-ish', now)).toBe(0);
    expect(waitingMinutes(graded, '2026-01-01T08:00:00.000Z', now)).toBe(0);
  });
});
