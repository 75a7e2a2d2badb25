import { Disposition, Grade } from '../../contract/index.js';
import type { ItemLabel } from '../../contract/label.js';
import type { ItemLabelFacts } from '../../db/repositories/items.js';

/** What the label of an item printed at a bench says where its parcel had no RMA (a blind return). */
export const UNEXPECTED_LABEL_RMA = 'UNEXPECTED';

/**
 * The label of a graded item from its stored facts. The result screen's preview and a relabel after a lead's
 * override both draw it from here, so they show what the printer gets.
 */
export function itemLabelOf(
  facts: Omit<ItemLabelFacts, 'gradedAt'>,
  at: { stationId: string; printedAt: string; language: 'ja' | 'en' },
): ItemLabel {
  return {
    lpn: facts.lpn,
    sku: facts.sku,
    productName: facts.nameJa ?? facts.sku,
    grade: Grade.parse(facts.grade),
    disposition: Disposition.parse(facts.disposition),
    destination: facts.destination,
    rmaNumber: facts.rmaNumber ?? UNEXPECTED_LABEL_RMA,
    stationId: at.stationId,
    printedAt: at.printedAt,
    language: at.language,
  };
}
