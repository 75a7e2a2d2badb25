import { beforeEach, describe, expect, it } from 'vitest';
import { useReportsStore } from './reports.js';

const s = () => useReportsStore.getState();

describe('the Reports filters for the session', () => {
  beforeEach(() => s().signedOut());

  it('open on today the first time, and keep what the supervisor chose when the screen opens again', () => {
    s().opened('2026-12-07');
    expect(s().draft).toMatchObject({ from: '2026-12-07', to: '2026-12-07', category: '' });
    expect(s().applied).toEqual({ from: '2026-12-07', to: '2026-12-07' });
    const draft = s().draft;
    if (!draft) throw new Error('no draft');
    s().draftEdited({ ...draft, from: '2026-11-01', category: 'shoes' });
    s().filtersApplied({ from: '2026-11-01', to: '2026-12-07', category: 'shoes' });
    s().nameTyped('november');
    // Leaving and coming back mounts the screen again, which opens it again.
    s().opened('2026-12-07');
    expect(s().draft).toMatchObject({ from: '2026-11-01', category: 'shoes' });
    expect(s().applied).toEqual({ from: '2026-11-01', to: '2026-12-07', category: 'shoes' });
    expect(s().typedName).toBe('november');
  });

  it('a new operational day moves an untouched period, and leaves a chosen one', () => {
    s().opened('2026-12-07');
    s().dayMoved('2026-12-08');
    expect(s().draft).toMatchObject({ from: '2026-12-08', to: '2026-12-08' });
    expect(s().applied).toEqual({ from: '2026-12-08', to: '2026-12-08' });
    const draft = s().draft;
    if (!draft) throw new Error('no draft');
    s().draftEdited({ ...draft, from: '2026-12-01' });
    s().dayMoved('2026-12-09');
    expect(s().draft).toMatchObject({ from: '2026-12-01', to: '2026-12-08' });
  });

  it('are forgotten at sign-out: the next supervisor starts on today', () => {
    s().opened('2026-12-07');
    const draft = s().draft;
    if (!draft) throw new Error('no draft');
    s().draftEdited({ ...draft, from: '2026-01-01' });
    s().signedOut();
    expect(s().draft).toBeNull();
    s().opened('2026-12-10');
    expect(s().draft).toMatchObject({ from: '2026-12-10', to: '2026-12-10' });
  });
});
