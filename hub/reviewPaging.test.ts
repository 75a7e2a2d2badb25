// The site review queue's pages: a page in the back half is read from the other end (hub/review.ts), so every
// page of every sort must hold exactly the rows one long read gives at its place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './db.js';
import { migrate } from './migrate.js';
import { listSiteReview } from './review.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

let server: TestPostgres;
let pool: Pool;
const SITE = 'SITE-PAGES';

beforeAll(async () => {
  server = await startTestPostgres();
  pool = createPool(server.url);
  await migrate(pool);
  // 23 items, two with the same graded time (the item id breaks the tie), one priced product among them; 5 decided.
  await pool.query(
    `INSERT INTO reference_rows (site_id, resource, id, body, updated_at) VALUES ($1, 'products', 'SKU-P', '{"priceJpy": 90000}', '2026-01-01T00:00:00Z')`,
    [SITE],
  );
  await pool.query(
    `INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, sku, kind, grade, disposition, destination, rule_id, rule_set_version,
                                    flags, photos, operator_id, graded_at, graded_event, status)
     SELECT $1, 'I' || lpad(g::text, 2, '0'), 'BENCH-01', 'LPN-' || g, 'P' || g, CASE WHEN g % 7 = 0 THEN 'SKU-P' ELSE 'SKU-' || g END, 'expected', 'N',
            'quarantine', 'REVIEW', 'x', 1, '[]', '[]', 'op-1', to_char(timestamptz '2026-01-01 00:00:00Z' + (g / 2) * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            gen_random_uuid(), CASE WHEN g % 5 = 0 THEN 'approved' ELSE 'pending' END
     FROM generate_series(1, 23) g`,
    [SITE],
  );
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describe('site review queue pages', () => {
  for (const sort of ['oldest', 'newest', 'value'] as const) {
    for (const status of ['pending', 'all'] as const) {
      it(`${sort}, ${status}: pages of 4 read front and back give the one long read, in order`, async () => {
        const whole = await listSiteReview(pool, SITE, { status, sort, page: 1, pageSize: 200 });
        const paged: string[] = [];
        for (let page = 1; page <= Math.ceil(whole.total / 4) + 1; page++) {
          const p = await listSiteReview(pool, SITE, { status, sort, page, pageSize: 4 });
          expect(p.total).toBe(whole.total);
          paged.push(...p.items.map((i) => i.itemId));
        }
        expect(paged).toEqual(whole.items.map((i) => i.itemId));
        expect(whole.total).toBe(status === 'pending' ? 19 : 23);
      });
    }
  }
});
