import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/connection.js';
import { iterateItemRows, scopeWhere } from '../../../db/repositories/reports.js';
import { readonlyView } from '../../../db/readonly.js';
import { defaultReportClock as clock, scopeFor, shiftAt } from './clock.js';
import { computeDashboard } from './dashboard.js';
import { defaultRecoveryFactors as factors, factorRules } from './recoveryFactors.js';
import { computeSummary, percentile } from './summary.js';

interface Seed {
  id: string;
  parcel: string;
  sku: string;
  grade: string;
  disposition: string;
  op: string;
  at: string;
  line?: string | null;
  flags?: string;
  review?: string;
}

let db: Db;

function item(s: Seed): void {
  db.prepare(
    `INSERT INTO items (id, lpn, parcel_id, rma_line_id, sku, grade, disposition, destination, rule_id, rule_set_version, operator_id, graded_at, flags_json, review_status)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'D', 'r', 1, ?, ?, ?, ?)`,
  ).run(s.id, `LPN-${s.id}`, s.parcel, s.line === undefined ? 'L1' : s.line, s.sku, s.grade, s.disposition, s.op, s.at, s.flags ?? '[]', s.review ?? 'none');
}

beforeEach(() => {
  db = openDatabase(':memory:');
  const now = '2026-11-01T00:00:00.000Z';
  db.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)').run('APP', '04900000000011', 'Shirt', 'シャツ', 'apparel', 10000, now);
  db.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)').run('TV', '04900000000028', 'TV', 'テレビ', 'electronics', 99999, now);
  db.prepare(
    `INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at)
     VALUES ('RMA-00000001', 'ORD-0000000001', 'a', 'a', '0', 'yamato', '1', 'open', ?, ?)`,
  ).run(now, now);
  db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES ('L1', 'RMA-00000001', 1, 'APP', 1, 'size', '')").run();
  for (const [id, name] of [['OP-1', '佐藤'], ['OP-2', '田中']]) {
    db.prepare("INSERT INTO operators (id, badge, name, role, pin_hash) VALUES (?, ?, ?, 'staff', 'x')").run(id, id, name);
  }
  const parcel = db.prepare(
    "INSERT INTO parcels (id, rma_number, scanned_code, status, operator_id, station_id, received_at, blind_return) VALUES (?, ?, 'x', 'closed', 'OP-1', ?, ?, ?)",
  );
  parcel.run('P1', 'RMA-00000001', 'BENCH-01', '2026-11-01T23:00:00.000Z', 0); // 08:00 JST on the 2nd
  parcel.run('P2', null, 'BENCH-02', '2026-11-02T13:30:00.000Z', 1); // 22:30 JST, blind
  // Early shift on the 2nd (JST): 08:10, 08:40, 09:20.
  item({ id: 'i1', parcel: 'P1', sku: 'APP', grade: 'A', disposition: 'resale', op: 'OP-1', at: '2026-11-01T23:10:00.000Z' });
  item({ id: 'i2', parcel: 'P1', sku: 'APP', grade: 'N', disposition: 'restock', op: 'OP-1', at: '2026-11-01T23:40:00.000Z', flags: '["high_value"]', review: 'approved' });
  item({ id: 'i3', parcel: 'P1', sku: 'APP', grade: 'C', disposition: 'repair', op: 'OP-2', at: '2026-11-02T00:20:00.000Z' });
  // Night shift that began on the 2nd: 23:00 JST and 01:30 JST on the 3rd (still operational day 2nd).
  item({ id: 'i4', parcel: 'P2', sku: 'TV', grade: 'B', disposition: 'resale', op: 'OP-2', at: '2026-11-02T14:00:00.000Z', line: null, flags: '[{"code":"high_value","explanation":{}},{"code":"serial_mismatch"}]', review: 'pending' });
  item({ id: 'i5', parcel: 'P2', sku: 'TV', grade: 'scrap', disposition: 'disposal', op: 'OP-2', at: '2026-11-02T16:30:00.000Z', line: null });
  // Early shift on the 3rd: outside a filter for the 2nd.
  item({ id: 'i6', parcel: 'P1', sku: 'APP', grade: 'A', disposition: 'resale', op: 'OP-1', at: '2026-11-02T22:00:00.000Z' });
  db.prepare(
    "INSERT INTO outbox (idempotency_key, aggregate_type, aggregate_id, sequence, type, payload, occurred_at, status, skipped_at) VALUES (?, 'item', ?, 1, 'item.graded', '{}', ?, 'dead', ?)",
  ).run('k1', 'i1', '2026-11-01T23:10:00.000Z', null);
  db.prepare(
    "INSERT INTO outbox (idempotency_key, aggregate_type, aggregate_id, sequence, type, payload, occurred_at, status, skipped_at) VALUES (?, 'item', ?, 1, 'item.graded', '{}', ?, 'dead', ?)",
  ).run('k2', 'i6', '2026-11-02T22:00:00.000Z', '2026-11-03T00:00:00.000Z');
});

const at = new Date('2026-11-03T03:00:00.000Z');

describe('report summary', () => {
  it('counts an operational day, night shift included, with recovery value by factor', () => {
    const s = computeSummary(readonlyView(db), { from: '2026-11-02', to: '2026-11-02' }, clock, factors, at);
    // resale A: 10000 × 0.65 = 6500; restock: 10000; repair: 4000; resale B: 99999 × 0.5 = 49999.5 → 50000; disposal 0.
    expect(s.totals).toEqual({ items: 5, priceJpy: 10000 * 3 + 99999 * 2, recoveryJpy: 6500 + 10000 + 4000 + 50000 });
    expect(s.dispositions.find((d) => d.disposition === 'resale')).toEqual({ disposition: 'resale', items: 2, priceJpy: 109999, recoveryJpy: 56500 });
    expect(s.reasons).toEqual([
      { reason: 'size', items: 3 },
      { reason: 'none', items: 2 },
    ]);
    expect(s.grades.map((g) => g.grade).sort()).toEqual(['A', 'B', 'C', 'N', 'scrap']);
    expect(s.flags).toEqual([
      { flag: 'high_value', items: 2, outcomes: [{ outcome: 'approved', items: 1 }, { outcome: 'pending', items: 1 }] },
      { flag: 'serial_mismatch', items: 1, outcomes: [{ outcome: 'pending', items: 1 }] },
    ]);
    expect(s.blindReturns).toEqual({ parcels: 1, items: 2 });
    expect(s.deadLetters).toEqual({ open: 1, skipped: 0, openNow: 1 });
    // Cycle seconds: 600, 2400, 4800, 1800, 10800 → median 2400, p90 10800.
    expect(s.cycleTime).toEqual({ items: 5, medianSec: 2400, p90Sec: 10800 });
    expect(s.throughput.operators).toEqual([
      { operatorId: 'OP-2', operatorName: '田中', items: 3, activeHours: 3, itemsPerActiveHour: 1, peakHourItems: 1 },
      { operatorId: 'OP-1', operatorName: '佐藤', items: 2, activeHours: 1, itemsPerActiveHour: 2, peakHourItems: 2 },
    ]);
    expect(s.throughput.hourly).toContainEqual({ operatorId: 'OP-1', hour: '2026-11-02T08:00+09:00', items: 2 });
  });

  it('filters by shift, operator, station, category, disposition and flag', () => {
    const count = (f: Parameters<typeof computeSummary>[1]): number => computeSummary(readonlyView(db), f, clock, factors, at).totals.items;
    expect(count({ shift: 'night' })).toBe(2);
    expect(count({ shift: 'early' })).toBe(4);
    expect(count({ shift: 'late' })).toBe(0);
    expect(count({ from: '2026-11-02', to: '2026-11-02', shift: 'early' })).toBe(3);
    expect(count({ operatorId: 'OP-2' })).toBe(3);
    expect(count({ stationId: 'BENCH-02' })).toBe(2);
    expect(count({ category: 'electronics' })).toBe(2);
    expect(count({ disposition: 'resale' })).toBe(3);
    expect(count({ flag: 'high_value' })).toBe(2);
    expect(count({ flag: 'serial_mismatch', operatorId: 'OP-1' })).toBe(0);
  });

  it('takes recovery factors as data', () => {
    const flat = { ...factors, resale: { default: 1, byGrade: {} }, restock: { default: 0, byGrade: {} } };
    const s = computeSummary(readonlyView(db), { disposition: 'resale' }, clock, flat, at);
    expect(s.totals.recoveryJpy).toBe(10000 + 99999 + 10000);
  });

  it('exports the same rows the summary counts, oldest first', () => {
    const filters = { from: '2026-11-02', to: '2026-11-02' };
    const rows = [...iterateItemRows(readonlyView(db), scopeFor(filters, clock), factorRules(factors))];
    expect(rows.map((r) => r.lpn)).toEqual(['LPN-i1', 'LPN-i2', 'LPN-i3', 'LPN-i4', 'LPN-i5']);
    expect(rows.reduce((n, r) => n + r.recoveryJpy, 0)).toBe(computeSummary(readonlyView(db), filters, clock, factors, at).totals.recoveryJpy);
    expect(rows[3]).toMatchObject({ flags: 'high_value serial_mismatch', blindReturn: 1, reason: null, category: 'electronics', factor: 0.5 });
  });

  it('uses the graded_at index for a date range', () => {
    const where = scopeWhere(scopeFor({ from: '2026-11-02', to: '2026-11-02' }, clock));
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM items i JOIN parcels p ON p.id = i.parcel_id ${where.sql}`).all(where.params) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/items_graded_at/);
  });

  it('puts every instant in the same shift in SQL as in code', () => {
    const insert = db.prepare(
      "INSERT INTO items (id, lpn, parcel_id, rma_line_id, sku, grade, disposition, destination, rule_id, rule_set_version, operator_id, graded_at) VALUES (?, ?, 'P1', 'L1', 'APP', 'A', 'resale', 'D', 'r', 1, 'OP-1', ?)",
    );
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }), (ms) => {
        db.exec("DELETE FROM items WHERE id LIKE 'fc-%'");
        const iso = new Date(ms).toISOString();
        insert.run(`fc-${ms}`, `FC-${ms}`, iso);
        const expected = shiftAt(new Date(ms), clock)!.id;
        for (const shift of clock.shifts) {
          const where = scopeWhere({ ...scopeFor({ shift: shift.id }, clock) });
          const n = db.prepare(`SELECT COUNT(*) FROM items i JOIN parcels p ON p.id = i.parcel_id ${where.sql} AND i.id = @id`).pluck().get({ ...where.params, id: `fc-${ms}` });
          expect(n, `${iso} in ${shift.id}`).toBe(shift.id === expected ? 1 : 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile(new Float64Array([]), 0.5)).toBeNull();
    expect(percentile(new Float64Array([5]), 0.9)).toBe(5);
    expect(percentile(new Float64Array([1, 2, 3, 4]), 0.5)).toBe(2);
    expect(percentile(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.9)).toBe(9);
  });
});

describe('shift dashboard', () => {
  it('shows the running shift hour by hour with queues', () => {
    // 08:30 JST on the 2nd: the early shift started 06:00 JST.
    const d = computeDashboard(readonlyView(db), clock, factors, new Date('2026-11-01T23:30:00.000Z'));
    expect(d.shift).toEqual({ id: 'early', startsAt: '2026-11-01T21:00:00.000Z', endsAt: '2026-11-02T05:00:00.000Z' });
    expect(d.itemsPerHour).toEqual([
      { hourStart: '2026-11-01T21:00:00.000Z', items: 0 },
      { hourStart: '2026-11-01T22:00:00.000Z', items: 0 },
      { hourStart: '2026-11-01T23:00:00.000Z', items: 2 },
    ]);
    // Figures cover the whole shift window (i3 at 09:20 JST is in the future here but inside the window).
    expect(d.totals.items).toBe(3);
    expect(d.flags).toEqual([{ flag: 'high_value', items: 1 }]);
    expect(d.queues).toEqual({ openParcels: 0, outboxPending: 0, deadLetters: 1, reviewPending: 1 });
    expect(d.operators.map((o) => o.operatorName).sort()).toEqual(['佐藤', '田中']);
  });
});

describe('return channel (issue 17)', () => {
  beforeEach(() => {
    db.prepare("UPDATE rmas SET return_channel = 'store_dropoff' WHERE rma_number = 'RMA-00000001'").run();
  });

  it('breaks the items down by channel and by reason × channel; blind returns have none', () => {
    const s = computeSummary(readonlyView(db), { from: '2026-11-02', to: '2026-11-02' }, clock, factors, at);
    expect(s.channels).toEqual([
      { channel: 'store_dropoff', items: 3 },
      { channel: 'none', items: 2 },
    ]);
    expect(s.reasonChannels).toEqual([
      { reason: 'size', channel: 'store_dropoff', items: 3 },
      { reason: 'none', channel: 'none', items: 2 },
    ]);
  });

  it('filters by channel', () => {
    const dropoff = computeSummary(readonlyView(db), { from: '2026-11-02', to: '2026-11-02', channel: 'store_dropoff' }, clock, factors, at);
    expect(dropoff.totals.items).toBe(3);
    expect(dropoff.channels).toEqual([{ channel: 'store_dropoff', items: 3 }]);
    const inStore = computeSummary(readonlyView(db), { from: '2026-11-02', to: '2026-11-02', channel: 'in_store' }, clock, factors, at);
    expect(inStore.totals.items).toBe(0);
  });

  it('counts the shift by channel on the dashboard', () => {
    const d = computeDashboard(readonlyView(db), clock, factors, new Date('2026-11-02T00:30:00.000Z'));
    expect(d.channels).toEqual([{ channel: 'store_dropoff', items: 3 }]);
  });
});

describe("computeSummary's check between its queries (an export's cancel)", () => {
  const at = new Date('2026-11-03T00:00:00.000Z');

  it('runs before every query and once at the end, and the summary is the same with it', () => {
    let checks = 0;
    const plain = computeSummary(readonlyView(db), {}, clock, factors, at);
    const checked = computeSummary(readonlyView(db), {}, clock, factors, at, () => checks++);
    expect(checked).toEqual(plain);
    expect(checks).toBe(8);
  });

  it('stops before the first query when the check throws', () => {
    const closed = openDatabase(':memory:');
    closed.close();
    // On a closed connection any query would fail with SQLite's own error: the check's comes first.
    expect(() =>
      computeSummary(readonlyView(closed), {}, clock, factors, at, () => {
        throw new Error('cancelled');
      }),
    ).toThrow('cancelled');
  });
});
