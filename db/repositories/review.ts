import type { Db } from '../connection.js';

export interface ReviewFilter {
  /** Default: pending only. */
  statuses: readonly ('pending' | 'approved' | 'overridden')[];
  flag?: string;
  disposition?: string;
  /** Only items graded at or before this instant (i.e. at least this old). */
  gradedBefore?: string;
  sort: 'oldest' | 'newest' | 'value';
  limit: number;
  offset: number;
}

export interface ReviewListRow {
  id: string;
  lpn: string;
  parcel_id: string;
  rma_number: string | null;
  sku: string;
  kind: 'expected' | 'extra' | 'wrong';
  category: string | null;
  grade: string;
  disposition: string;
  flags_json: string;
  review_status: 'none' | 'pending' | 'approved' | 'overridden';
  graded_at: string;
  operator_id: string;
  product_name: string | null;
  product_name_ja: string | null;
}

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
    '(@gradedBefore IS NULL OR i.graded_at <= @gradedBefore)',
  ].join(' AND ');
  const params = {
    statuses: JSON.stringify(f.statuses),
    flag: f.flag ?? null,
    disposition: f.disposition ?? null,
    gradedBefore: f.gradedBefore ?? null,
  };
  const from = `FROM items i JOIN parcels pa ON pa.id = i.parcel_id LEFT JOIN products p ON p.sku = i.sku WHERE ${where}`;
  const total = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT i.id, i.lpn, i.parcel_id, pa.rma_number, i.sku, i.kind, p.category, i.grade, i.disposition, i.flags_json, i.review_status,
              i.graded_at, i.operator_id, p.name AS product_name, p.name_ja AS product_name_ja
         ${from} ORDER BY ${ORDER[f.sort]} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: f.limit, offset: f.offset }) as ReviewListRow[];
  return { rows, total };
}
