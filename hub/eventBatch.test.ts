// The hub's cheaper event-batch schema must accept, refuse and strip exactly as the contract's EventBatch does.
import { describe, expect, it } from 'vitest';
import { EventBatch } from '../contract/index.js';
import { itemGraded, parcelReceived } from '../tests/integration/sync-helpers.js';
import { IngestBatch } from './eventBatch.js';

const common = { idempotencyKey: '5b8da258-bb07-4b1a-aa6b-f232378d3eea', aggregateType: 'parcel', aggregateId: 'P-1', sequence: 2, occurredAt: '2026-01-01T00:00:00Z' };
const review = { itemId: 'I-1', lpn: 'L-1', operatorId: 'op', stationId: 'B-1', reviewedAt: '2026-01-01T01:00:00Z' };
const samples: Record<string, unknown>[] = [
  { ...common, ...parcelReceived('P-1') },
  { ...common, ...itemGraded('P-1', 1), previousSequence: 0 },
  { ...common, type: 'item.graded', payload: { ...itemGraded('P-1', 2).payload, serial: 'S-1', photos: ['a'.repeat(64)], heldForReview: true, flags: ['x'] } },
  { ...common, aggregateType: 'item', type: 'item.approved', payload: review },
  {
    ...common,
    aggregateType: 'item',
    type: 'item.overridden',
    payload: { ...review, before: { grade: 'A', disposition: 'restock', destination: 'A-01' }, after: { grade: 'C', disposition: 'liquidate', destination: 'L-01' }, reason: 'r' },
  },
  {
    ...common,
    aggregateType: 'tote',
    type: 'tote.closed',
    payload: { toteId: 'T-1', received: [{ bagCode: 'B', rmaNumber: null, parcelId: 'P' }], missing: [], strays: [], unmanifested: [], operatorId: 'op', stationId: 'B-1', closedAt: 'x' },
  },
];

/** Each sample, and each with one field removed, retyped, or added (at the top and in the payload). */
function variants(sample: Record<string, unknown>): unknown[] {
  const out: unknown[] = [sample, { ...sample, extra: 1 }, { ...sample, type: 'no.such.type' }];
  for (const k of Object.keys(sample)) {
    const { [k]: _gone, ...rest } = sample;
    out.push(rest, { ...sample, [k]: 42 }, { ...sample, [k]: 'text' }, { ...sample, [k]: null });
  }
  const payload = sample.payload as Record<string, unknown>;
  for (const k of Object.keys(payload)) {
    const { [k]: _gone, ...rest } = payload;
    out.push({ ...sample, payload: rest }, { ...sample, payload: { ...payload, [k]: 42 } }, { ...sample, payload: { ...payload, [k]: [] } });
  }
  out.push({ ...sample, payload: { ...payload, unknown: 'kept?' } });
  return out;
}

describe('the hub’s event batch schema', () => {
  it('agrees with the contract’s EventBatch on every sample and variant: accepted or not, and the same result', () => {
    let compared = 0;
    for (const s of samples) {
      for (const v of variants(s)) {
        const batch = { stationId: 'B-1', events: [v] };
        const a = EventBatch.safeParse(batch);
        const b = IngestBatch.safeParse(batch);
        expect(b.success, JSON.stringify(v)).toBe(a.success);
        if (a.success && b.success) expect(JSON.stringify(b.data)).toBe(JSON.stringify(a.data));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('keeps the batch limits: at least one event, at most 1,000', () => {
    for (const n of [0, 1, 1000, 1001]) {
      const batch = { stationId: 'B-1', events: Array.from({ length: n }, () => samples[0]) };
      expect(IngestBatch.safeParse(batch).success).toBe(EventBatch.safeParse(batch).success);
    }
    expect(IngestBatch.safeParse({ stationId: '', events: [samples[0]] }).success).toBe(false);
  });
});
