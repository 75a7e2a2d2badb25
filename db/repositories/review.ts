import { z } from 'zod';
import { Category, Disposition, FlagCode, Grade, ItemKind, ReviewStatus } from '../../contract/index.js';
import type { Db } from '../connection.js';

export interface ReviewFilter {
  /** Default: pending only. */
  statuses: readonly ('pending' | 'approved' | 'overridden')[];
  flag?: string;
  disposition?: string;
  /**
   * Only items that waited at least `ms`, as the rows show the wait (domain/review/waiting.ts): a pending one graded
   * at or before `gradedBefore` (now minus `ms`), a decided one from its grading to its decision.
   */
  minWait?: { ms: number; gradedBefore: string };
  /**
   * Items of the operators whose id, badge or name (its spaces dropped) is LIKE this pattern, escaped with \
   * (domain/text/normalize.ts containsLikePattern).
   */
  operatorLike?: string;
  sort: 'oldest' | 'newest' | 'value';
  limit: number;
  offset: number;
}

/** A row of the lead's queue: the item's own columns (as in items.ts) plus its RMA and category. */
export const ReviewListRow = z.object({
  id: z.string(),
  lpn: z.string(),
  parcelId: z.string(),
  rmaNumber: z.string().nullable(),
  sku: z.string(),
  kind: ItemKind,
  category: Category.nullable(),
  grade: Grade,
  disposition: Disposition,
  flags: z.string().transform((json): FlagCode[] => {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((c): c is FlagCode => FlagCode.safeParse(c).success) : [];
  }),
  reviewStatus: ReviewStatus,
  gradedAt: z.string(),
  operatorId: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  operatorName: z.string().nullable(),
  productName: z.string().nullable(),
  productNameJa: z.string().nullable(),
});
export type ReviewListRow = z.output<typeof ReviewListRow>;

const ORDER: Record<ReviewFilter['sort'], string> = {
  oldest: 'i.graded_at ASC, i.lpn ASC',
  newest: 'i.graded_at DESC, i.lpn DESC',
  value: 'COALESCE(p.price_jpy, 0) DESC, i.graded_at ASC',
};

/** The lead review queue: flagged items, filtered, sorted and paged in SQL so the queue stays fast when long. */
export function listReviewItems(db: Db, f: ReviewFilter): { rows: ReviewListRow[]; total: number } {
  const where = [
    'i.review_status IN (SELECT value FROM json_each(@statuses))',
    '(@flag IS NULL OR EXISTS (SELECT 1 FROM json_each(i.flags_json) fl WHERE fl.value = @flag))',
    '(@disposition IS NULL OR i.disposition = @disposition)',
    // A decided item's wait stopped at its decision. SQLite reads the times as Date.parse does (a day past the month's
    // end rolls over; whole milliseconds); one it cannot read is NULL, which no N of at least 1 finds, as its row says 0.
    `(@minWaitMs IS NULL OR (i.review_status = 'pending' AND i.graded_at <= @gradedBefore)
       OR (i.review_status IN ('approved', 'overridden')
           AND round(unixepoch(i.reviewed_at, 'subsec') * 1000) - round(unixepoch(i.graded_at, 'subsec') * 1000) >= @minWaitMs))`,
    // SQLite's LIKE ignores case for ASCII only: the pattern's full-width letters were made ASCII (NFKC).
    `(@operator IS NULL OR i.operator_id IN (SELECT id FROM operators
       WHERE id LIKE @operator ESCAPE '\\' OR badge LIKE @operator ESCAPE '\\' OR replace(replace(name, ' ', ''), '\u3000', '') LIKE @operator ESCAPE '\\'))`,
  ].join(' AND ');
  const params = {
    statuses: JSON.stringify(f.statuses),
    flag: f.flag ?? null,
    disposition: f.disposition ?? null,
    minWaitMs: f.minWait?.ms ?? null,
    gradedBefore: f.minWait?.gradedBefore ?? null,
    operator: f.operatorLike ?? null,
  };
  const from = `FROM items i JOIN parcels pa ON pa.id = i.parcel_id LEFT JOIN products p ON p.sku = i.sku WHERE ${where}`;
  const { n: total } = z.object({ n: z.number().int() }).parse(db.prepare(`SELECT COUNT(*) AS n ${from}`).get(params));
  const rows = db
    .prepare(
      `SELECT i.id, i.lpn, i.parcel_id AS parcelId, pa.rma_number AS rmaNumber, i.sku, i.kind, p.category, i.grade, i.disposition,
              i.flags_json AS flags, i.review_status AS reviewStatus, i.graded_at AS gradedAt, i.operator_id AS operatorId,
              i.reviewed_by AS reviewedBy, i.reviewed_at AS reviewedAt, (SELECT name FROM operators WHERE id = i.reviewed_by) AS reviewedByName,
              (SELECT name FROM operators WHERE id = i.operator_id) AS operatorName,
              p.name AS productName, p.name_ja AS productNameJa
         ${from} ORDER BY ${ORDER[f.sort]} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: f.limit, offset: f.offset })
    .map((r) => ReviewListRow.parse(r));
  return { rows, total };
}
