import { describe, expect, it } from 'vitest';
import { foldBreakdown, foldFlags, foldThroughput, HOURLY_LIMIT } from './summaryFold.js';

const row = (over: Partial<Parameters<typeof foldBreakdown>[0] extends Iterable<infer R> ? R : never>) => ({
  disposition: 'restock',
  grade: 'A',
  reason: 'size',
  channel: 'home_pickup',
  items: 1,
  priceJpy: 1000,
  recoveryJpy: 1000,
  ...over,
});

describe('foldBreakdown', () => {
  it('adds rows up per disposition, grade, reason and channel, most items first and ties by key', () => {
    const folded = foldBreakdown([
      row({ items: 2, priceJpy: 2000, recoveryJpy: 2000 }),
      row({ disposition: 'resale', grade: 'B', reason: 'damaged', items: 3, priceJpy: 3000, recoveryJpy: 1500 }),
      row({ disposition: 'repair', grade: 'C', reason: 'damaged', items: 2, priceJpy: 500, recoveryJpy: 200 }),
    ]);
    expect(folded.totals).toEqual({ items: 7, priceJpy: 5500, recoveryJpy: 3700 });
    expect(folded.dispositions.map((d) => [d.disposition, d.items])).toEqual([
      ['resale', 3],
      ['repair', 2],
      ['restock', 2],
    ]);
    expect(folded.reasons).toEqual([
      { reason: 'damaged', items: 5 },
      { reason: 'size', items: 2 },
    ]);
    expect(folded.reasonChannels).toEqual([
      { reason: 'damaged', channel: 'home_pickup', items: 5 },
      { reason: 'size', channel: 'home_pickup', items: 2 },
    ]);
  });

  it('counts a missing reason or channel, and one this version does not know, as "none"', () => {
    const folded = foldBreakdown([row({ reason: null, channel: null }), row({ reason: 'a-reason-from-a-newer-wms', channel: 'drone' })]);
    expect(folded.reasons).toEqual([{ reason: 'none', items: 2 }]);
    expect(folded.channels).toEqual([{ channel: 'none', items: 2 }]);
  });

  it('refuses a disposition or a grade that is not ours (a row the report cannot place)', () => {
    expect(() => foldBreakdown([row({ disposition: 'teleport' })])).toThrow();
    expect(() => foldBreakdown([row({ grade: 'Z' })])).toThrow();
  });
});

describe('foldFlags', () => {
  it('sums each flag over its review outcomes, most items first', () => {
    expect(
      foldFlags([
        { flag: 'high_value', outcome: 'approved', items: 1 },
        { flag: 'wrong_item', outcome: 'approved', items: 2 },
        { flag: 'wrong_item', outcome: 'overridden', items: 1 },
      ]),
    ).toEqual([
      { flag: 'wrong_item', items: 3, outcomes: [{ outcome: 'approved', items: 2 }, { outcome: 'overridden', items: 1 }] },
      { flag: 'high_value', items: 1, outcomes: [{ outcome: 'approved', items: 1 }] },
    ]);
  });
});

describe('foldThroughput', () => {
  it('gives each operator items, active hours, items per active hour and the busiest hour, by name', () => {
    const t = foldThroughput(
      [
        { operatorId: 'op-1', hour: '2026-12-07T09:00', items: 10 },
        { operatorId: 'op-1', hour: '2026-12-07T10:00', items: 5 },
        { operatorId: 'op-2', hour: '2026-12-07T09:00', items: 4 },
      ],
      new Map([['op-1', '佐藤']]),
      '+09:00',
    );
    expect(t.operators).toEqual([
      { operatorId: 'op-1', operatorName: '佐藤', items: 15, activeHours: 2, itemsPerActiveHour: 7.5, peakHourItems: 10 },
      { operatorId: 'op-2', operatorName: 'op-2', items: 4, activeHours: 1, itemsPerActiveHour: 4, peakHourItems: 4 },
    ]);
    expect(t.hourly[0]).toEqual({ operatorId: 'op-1', hour: '2026-12-07T09:00+09:00', items: 10 });
    expect(t.hourlyTruncated).toBe(false);
  });

  it('returns at most HOURLY_LIMIT hourly rows and says so, while the operators count every hour', () => {
    const rows = Array.from({ length: HOURLY_LIMIT + 5 }, (_, i) => ({ operatorId: 'op-1', hour: `h${i}`, items: 1 }));
    const t = foldThroughput(rows, new Map(), 'Z');
    expect(t.hourly).toHaveLength(HOURLY_LIMIT);
    expect(t.hourlyTruncated).toBe(true);
    expect(t.operators[0]?.items).toBe(HOURLY_LIMIT + 5);
  });
});
