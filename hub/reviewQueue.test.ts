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

// The "waiting at least N minutes" filter counts what the rows show: a decided item's wait stopped at its decision.
describe('site review queue: the waiting filter agrees with the wait shown', () => {
  const WAIT_SITE = 'SITE-WAIT';
  const iso = (msAgo: number): string => new Date(Date.now() - msAgo * 1).toISOString();
  const MIN = 60_000;

  beforeAll(async () => {
    const insert = (itemId: string, gradedAt: string, decided?: { at: string }) =>
      pool.query(
        `INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, sku, kind, grade, disposition, destination, rule_id, rule_set_version,
                                        flags, photos, operator_id, graded_at, graded_event, status, decided_by, decided_at, decided_where)
         VALUES ($1, $2, 'BENCH-01', $2, 'P', 'SKU', 'expected', 'N', 'quarantine', 'REVIEW', 'x', 1, '[]', '[]', 'op-1', $3, gen_random_uuid(),
                 $4, $5, $6, $7)`,
        [WAIT_SITE, itemId, gradedAt, decided ? 'approved' : 'pending', decided ? 'op-2' : null, decided?.at ?? null, decided ? 'HUB' : null],
      );
    // Decided long ago, 5 minutes (and 999 ms) after it was graded: "at least 60" did find it, its row says 5.
    await insert('QUICK-LONG-AGO', '2026-01-02T00:00:00.000Z', { at: '2026-01-02T00:05:00.999Z' });
    // Decided 10 minutes ago after waiting 170 minutes.
    await insert('SLOW-RECENT', iso(180 * MIN), { at: iso(10 * MIN) });
    // Decided a minute ago after exactly 19 minutes (the boundary of "at least 19").
    const graded = Date.now() - 20 * MIN;
    await insert('EXACT-19', new Date(graded).toISOString(), { at: new Date(graded + 19 * MIN).toISOString() });
    // Still waiting: half an hour, and since a year ago.
    await insert('WAITING-30', iso(30 * MIN));
    await insert('WAITING-LONG', '2025-12-31T00:00:00.000Z');
    // A time the bench sent that is no time: the row shows 0 minutes, so only "at least 0" finds it. One past its
    // month's end is read as the row reads it (Date.parse rolls 02-30 over to 03-02): 60 days.
    await insert('BAD-TIME', '2026-01-01T00:00:00.000Z', { at: 'yesterday' });
    await insert('ROLLS-OVER', '2026-01-01T00:00:00.000Z', { at: '2026-02-30T00:00:00.000Z' });
    // Decided by an update, as a lead's decision (here or at a bench) writes it: 45 minutes.
    await insert('DECIDED-LATER', '2026-01-03T08:00:00+09:00');
    await pool.query(`UPDATE site_review_items SET status = 'overridden', decided_by = 'op-2', decided_at = '2026-01-02T23:45:00.000Z', decided_where = 'BENCH-01'
                      WHERE site_id = $1 AND item_id = 'DECIDED-LATER'`, [WAIT_SITE]);
  });

  const list = async (status: 'pending' | 'decided' | 'all', minAgeMinutes?: number) =>
    (await listSiteReview(pool, WAIT_SITE, { status, sort: 'oldest', page: 1, pageSize: 50, ...(minAgeMinutes !== undefined ? { minAgeMinutes } : {}) })).items;

  it('finds a decided item by the time it waited until its decision, not until now', async () => {
    const shown = new Map((await list('all')).map((i) => [i.itemId, i.ageMinutes]));
    expect(Object.fromEntries([...shown].filter(([id]) => !id.startsWith('WAITING')))).toEqual({
      'QUICK-LONG-AGO': 5,
      'SLOW-RECENT': 170,
      'EXACT-19': 19,
      'BAD-TIME': 0,
      'ROLLS-OVER': 86_400,
      'DECIDED-LATER': 45,
    });
    const ids = async (status: 'pending' | 'decided' | 'all', n: number) => (await list(status, n)).map((i) => i.itemId).sort();
    expect(await ids('all', 60)).toEqual(['ROLLS-OVER', 'SLOW-RECENT', 'WAITING-LONG']);
    expect(await ids('decided', 60)).toEqual(['ROLLS-OVER', 'SLOW-RECENT']);
    expect(await ids('pending', 60)).toEqual(['WAITING-LONG']);
    expect(await ids('decided', 19)).toEqual(['DECIDED-LATER', 'EXACT-19', 'ROLLS-OVER', 'SLOW-RECENT']);
    expect(await ids('decided', 20)).toEqual(['DECIDED-LATER', 'ROLLS-OVER', 'SLOW-RECENT']);
    expect(await ids('decided', 5)).toEqual(['DECIDED-LATER', 'EXACT-19', 'QUICK-LONG-AGO', 'ROLLS-OVER', 'SLOW-RECENT']);
    expect(await ids('decided', 6)).toEqual(['DECIDED-LATER', 'EXACT-19', 'ROLLS-OVER', 'SLOW-RECENT']);
  });

  it('for every N, lists exactly the items whose shown wait is at least N, in every status view', async () => {
    for (const status of ['all', 'decided', 'pending'] as const) {
      const shown = await list(status);
      for (const n of [0, 1, 5, 6, 19, 20, 29, 31, 45, 46, 60, 170, 171, 86_400, 86_401, 525_600]) {
        const filtered = (await list(status, n)).map((i) => i.itemId).sort();
        expect(filtered, `${status}, at least ${n}`).toEqual(shown.filter((i) => i.ageMinutes >= n).map((i) => i.itemId).sort());
      }
    }
  });
});

// The hub reads a bench's times in SQL (migration 0013, site_review_epoch_ms) as the rows read them in JavaScript
// (Date.parse): a disagreement would be an item the filter finds while its row shows another wait.
describe('site review queue: a bench\u2019s time read in SQL as Date.parse reads it', () => {
  const inSql = async (texts: string[]): Promise<(number | null)[]> =>
    (await pool.query<{ ms: string | null }>('SELECT site_review_epoch_ms(t) AS ms FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i) ORDER BY i', [texts])).rows.map((r) =>
      r.ms === null ? null : Number(r.ms),
    );
  const inJs = (t: string): number | null => {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : ms;
  };

  it('agrees on the times benches write and on the edges of every field', async () => {
    const texts = [
      new Date().toISOString(),
      '2026-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '0001-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2024-02-29T12:00:00Z',
      '2026-02-29T12:00:00Z',
      '2026-02-30T00:00:00.000Z',
      '2026-04-31T00:00:00Z',
      '2026-02-32T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T24:00:00.001Z',
      '2026-01-01T24:30:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T23:59:60Z',
      '2026-01-01T00:00Z',
      '2026-01-01T00:00:00.1Z',
      '2026-01-01T00:00:00.12Z',
      '2026-01-01T00:00:00.1234567Z',
      '2026-01-01T00:00:00+09:00',
      '2026-01-01T00:00:00+0900',
      '2026-01-01T00:00:00-03:30',
      '2026-01-01T00:00:00+23:59',
      '2026-01-01T00:00:00+24:00',
      '2026-01-01T00:00:00+09:60',
      '2026-01-01 00:00:00Z',
      'yesterday',
      '',
      '2026-01-01',
      '2026-01-01T00:00:00.000Z ',
      ' 2026-01-01T00:00:00.000Z',
      '２０２６-01-01T00:00:00Z',
    ];
    const sql = await inSql(texts);
    expect(texts.map((t, i) => [t, sql[i]])).toEqual(texts.map((t) => [t, inJs(t)]));
  });

  it('agrees on random times built from fields in and out of range', async () => {
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    let seed = 20_261_207;
    const rnd = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const texts = Array.from({ length: 2000 }, () => {
      const zone = ['Z', '+09:00', '-05:00', '+0530', '+14:00', '-12:45'][rnd(6)];
      const frac = ['', '.5', '.25', '.999', '.0001', '.123456'][rnd(6)];
      return `${pad(1 + rnd(9999), 4)}-${pad(rnd(14), 2)}-${pad(rnd(33), 2)}T${pad(rnd(26), 2)}:${pad(rnd(61), 2)}:${pad(rnd(61), 2)}${frac}${zone}`;
    });
    const sql = await inSql(texts);
    const differ = texts.filter((t, i) => sql[i] !== inJs(t));
    expect(differ).toEqual([]);
    // Most of them are times at all, so the comparison is not only of NULLs.
    expect(sql.filter((ms) => ms !== null).length).toBeGreaterThan(500);
  });
});
