import type { RoutingFacts } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { itemContext, type ItemRow } from '../../db/repositories/items.js';

/** Items of a blind return or extra items have no customer reason; the rules see them as wrong-item returns. */
export const NO_LINE_REASON = 'wrong_item' as const;

/** What the rules saw (or would see) about an already graded item: for dry runs and overrides. */
export function routingFactsOf(db: Db, item: ItemRow): RoutingFacts {
  const context = itemContext(db, item.id);
  const facts: RoutingFacts = {
    grade: item.grade,
    category: context?.category ?? 'apparel',
    reason: context?.reason ?? NO_LINE_REASON,
    priceJpy: context?.priceJpy ?? 0,
    flags: item.flags,
  };
  if (item.packaging) facts.packaging = item.packaging;
  if (item.fault) facts.fault = item.fault;
  if (item.condition) facts.condition = item.condition;
  return facts;
}
