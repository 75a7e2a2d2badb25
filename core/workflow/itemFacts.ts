import { FlagCode, type RoutingFacts } from '../contract/index.js';
import type { Db } from '../../db/connection.js';
import type { ItemRow } from '../../db/repositories/items.js';

/** Items of a blind return or extra items have no customer reason; the rules see them as wrong-item returns. */
export const NO_LINE_REASON = 'wrong_item' as const;

/** Item flags as stored (JSON array of codes); unknown codes from older data are dropped. */
export function storedFlags(item: Pick<ItemRow, 'flags_json'>): FlagCode[] {
  const parsed = JSON.parse(item.flags_json) as unknown;
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((c): c is FlagCode => FlagCode.safeParse(c).success);
}

interface FactsRow {
  category: RoutingFacts['category'] | null;
  price_jpy: number | null;
  reason: RoutingFacts['reason'] | null;
}

/** What the rules saw (or would see) about an already graded item: for dry runs and overrides. */
export function routingFactsOf(db: Db, item: ItemRow): RoutingFacts {
  const row = db
    .prepare(
      `SELECT p.category, p.price_jpy, l.reason FROM items i LEFT JOIN products p ON p.sku = i.sku
         LEFT JOIN rma_lines l ON l.id = i.rma_line_id WHERE i.id = ?`,
    )
    .get(item.id) as FactsRow | undefined;
  const facts: RoutingFacts = {
    grade: item.grade as RoutingFacts['grade'],
    category: row?.category ?? 'apparel',
    reason: row?.reason ?? NO_LINE_REASON,
    priceJpy: row?.price_jpy ?? 0,
    flags: storedFlags(item),
  };
  if (item.packaging) facts.packaging = item.packaging as NonNullable<RoutingFacts['packaging']>;
  if (item.fault) facts.fault = item.fault as NonNullable<RoutingFacts['fault']>;
  if (item.condition) facts.condition = item.condition as NonNullable<RoutingFacts['condition']>;
  return facts;
}
