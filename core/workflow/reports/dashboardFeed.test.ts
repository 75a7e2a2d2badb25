import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDashboardFeed } from './dashboardFeed.js';

describe('dashboard feed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('emits at once, folds a burst into one trailing event, and stops on close', () => {
    const events: string[] = [];
    const feed = createDashboardFeed((p) => events.push(p.at), { intervalMs: 500 });
    feed.notify();
    expect(events).toHaveLength(1);
    for (let i = 0; i < 20; i++) feed.notify();
    expect(events).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(events).toHaveLength(2);
    vi.advanceTimersByTime(5000);
    expect(events).toHaveLength(2);
    feed.notify();
    expect(events).toHaveLength(3);
    feed.notify();
    feed.close();
    vi.advanceTimersByTime(5000);
    feed.notify();
    expect(events).toHaveLength(3);
  });
});
