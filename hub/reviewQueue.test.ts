// The site review queue as a lead reads it: the operator filter by any part of a badge, a name or an id, in any case,
// the text taken literally (LIKE's own wildcards match themselves); a decided item's age stopped at its decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './db.js';
import { migrate } from './migrate.js';
import { listSiteReview } from './review.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

let server: TestPostgres;
let pool: Pool;
const SITE = 'SITE-FILTERS';
const OTHER_SITE = 'SITE-ELSEWHERE';

beforeAll(async () => {
  server = await startTestPostgres();
  pool = createPool(server.url);
  await migrate(pool);
  const roster: [string, string, string, string][] = [
    [SITE, 'op-1', 'OP-1001', '佐藤 花子'],
    [SITE, 'op-2', 'L-2001', 'Sato Ichiro'],
    [SITE, 'op-3', 'A_B', '100% Tanaka'],
    // Another site's operator of the same name finds nothing here.
    [OTHER_SITE, 'op-9', 'X-9', '佐藤 次郎'],
  ];
  for (const [site, id, badge, name] of roster) {
    await pool.query(`INSERT INTO operators (site_id, id, badge, name, role, pin_hash, rev) VALUES ($1, $2, $3, $4, 'staff', 'x', nextval('roster_rev'))`, [site, id, badge, name]);
  }
  // One item per operator, and one graded by an operator only its bench knows (not in the site roster).
  const items: [string, string][] = [
    ['I1', 'op-1'],
    ['I2', 'op-2'],
    ['I3', 'op-3'],
    ['I4', 'Bench-Local-7'],
    ['I9', 'op-9'],
  ];
  for (const [k, [itemId, operatorId]] of items.entries()) {
    await pool.query(
      `INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, sku, kind, grade, disposition, destination, rule_id, rule_set_version,
                                      flags, photos, operator_id, graded_at, graded_event)
       VALUES ($1, $2, 'BENCH-01', $3, 'P', 'SKU', 'expected', 'N', 'quarantine', 'REVIEW', 'x', 1, '[]', '[]', $4, $5, gen_random_uuid())`,
      [SITE, itemId, `LPN-${itemId}`, operatorId, `2026-01-01T0${k}:00:00.000Z`],
    );
  }
  await pool.query(`INSERT INTO benches (site_id, station_id, token_hash) VALUES ($1, 'BENCH-01', decode(md5('b1'), 'hex'))`, [SITE]);
  // Decided by Sato Ichiro 45 minutes after it was graded.
  await pool.query(
    `INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, sku, kind, grade, disposition, destination, rule_id, rule_set_version,
                                    flags, photos, operator_id, graded_at, graded_event, status, decided_by, decided_at, decided_where)
     VALUES ($1, 'I5', 'BENCH-01', 'LPN-I5', 'P', 'SKU', 'expected', 'N', 'quarantine', 'REVIEW', 'x', 1, '[]', '[]', 'op-1',
             '2026-01-01T05:00:00.000Z', gen_random_uuid(), 'approved', 'op-2', '2026-01-01T05:45:30.000Z', 'HUB')`,
    [SITE],
  );
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

const found = async (operatorId: string): Promise<string[]> =>
  (await listSiteReview(pool, SITE, { status: 'pending', sort: 'oldest', page: 1, pageSize: 50, operatorId })).items.map((i) => i.itemId);

describe('site review queue: the operator filter', () => {
  it('finds an operator by part of the name, in any case, with or without the space between family and given name', async () => {
    expect(await found('佐藤')).toEqual(['I1']);
    expect(await found('花子')).toEqual(['I1']);
    expect(await found('佐藤花子')).toEqual(['I1']);
    expect(await found('sato')).toEqual(['I2']);
    expect(await found('SATO ich')).toEqual(['I2']);
  });

  it('finds an operator by part of the badge or id in another case, also typed full-width', async () => {
    expect(await found('op-1001')).toEqual(['I1']);
    expect(await found('2001')).toEqual(['I2']);
    expect(await found('ＯＰ－１００１')).toEqual(['I1']);
    expect(await found('op-2')).toEqual(['I2']);
    // An item whose operator the site roster does not know is found by its id.
    expect(await found('bench-local')).toEqual(['I4']);
  });

  it('takes the text literally: % and _ match only themselves, quotes are only text', async () => {
    expect(await found('%')).toEqual(['I3']);
    expect(await found('_')).toEqual(['I3']);
    expect(await found('a_b')).toEqual(['I3']);
    expect(await found('A%B')).toEqual([]);
    expect(await found('\\')).toEqual([]);
    expect(await found("'; DROP TABLE operators; --")).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM operators')).rows[0]).toEqual({ n: 4 });
  });
});

describe('site review queue: the bench filter', () => {
  it('finds a bench by its id in any case, also typed full-width; part of an id is no bench', async () => {
    const ofBench = async (stationId: string): Promise<number> => (await listSiteReview(pool, SITE, { status: 'pending', sort: 'oldest', page: 1, pageSize: 50, stationId })).total;
    for (const typed of ['BENCH-01', 'bench-01', 'Bench-01', 'ＢＥＮＣＨ－０１']) expect(await ofBench(typed), typed).toBe(5);
    for (const typed of ['BENCH-0', 'BENCH-02', '%', "BENCH-01' OR '1'='1"]) expect(await ofBench(typed), typed).toBe(0);
  });
});

describe('site review queue: how long an item waited', () => {
  it('a decided item keeps the time it waited until decided, with who decided when; a waiting one counts to now', async () => {
    const before = Date.now();
    const all = await listSiteReview(pool, SITE, { status: 'all', sort: 'oldest', page: 1, pageSize: 50 });
    const after = Date.now();
    expect(all.items.find((i) => i.itemId === 'I5')).toMatchObject({
      reviewStatus: 'approved',
      ageMinutes: 45,
      reviewedBy: 'op-2',
      reviewedByName: 'Sato Ichiro',
      reviewedAt: '2026-01-01T05:45:30.000Z',
    });
    const waiting = all.items.find((i) => i.itemId === 'I1');
    expect(waiting).toMatchObject({ reviewStatus: 'pending', reviewedBy: null, reviewedAt: null });
    const minutesSince = (t: number): number => Math.floor((t - Date.parse('2026-01-01T00:00:00.000Z')) / 60_000);
    expect(waiting?.ageMinutes).toBeGreaterThanOrEqual(minutesSince(before));
    expect(waiting?.ageMinutes).toBeLessThanOrEqual(minutesSince(after));
  });
});
