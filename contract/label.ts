// The item label as every output sees it: the ZPL and SBPL drivers (native/), the SVG preview, the
// workflow that fills it (core/) and the print queue's job ids. The layout in dots is native's business.
import { z } from 'zod';
import { Disposition, Grade } from './entities.js';

/**
 * Characters a Code 128 LPN may hold. Kept to the set that every printer language encodes
 * without escape sequences ('>' is a control prefix in both ZPL ^BC and SATO ESC BG).
 */
export const LPN_PATTERN = /^[A-Z0-9][A-Z0-9\-./]{0,39}$/;

export const ItemLabel = z.object({
  lpn: z.string().regex(LPN_PATTERN, 'LPN: 1–40 of A–Z 0–9 - . /'),
  sku: z.string().min(1).max(64),
  /** May be Japanese (kanji/kana); printers use their Kanji fonts for it. */
  productName: z.string().min(1).max(200),
  grade: Grade,
  disposition: Disposition,
  /** The container or location the item goes to (e.g. "TOTE-RESTOCK-03"). */
  destination: z.string().min(1).max(64),
  rmaNumber: z.string().min(1).max(32),
  stationId: z.string().min(1).max(32),
  /** ISO-8601 timestamp. */
  printedAt: z.string().datetime({ offset: true }),
  /** The operator's language: the floor reads the disposition and destination in it (codes stay in the barcode). */
  language: z.enum(['ja', 'en']).default('ja'),
  /**
   * A later label of the same LPN (a lead at the site hub re-routed the item after its first label): its own
   * print job, so the queue's once-per-job rule does not swallow it. Absent for the item's first label.
   */
  revision: z.string().regex(/^[0-9A-Za-z:.\-]{1,40}$/).optional(),
});
export type ItemLabel = z.infer<typeof ItemLabel>;
/** What callers hand over; the language may be left out (the bench's default, Japanese). */
export type ItemLabelInput = z.input<typeof ItemLabel>;

/**
 * The print job id of an item's label: one label per LPN and revision unless an operator reprints. '#' is not an
 * LPN character, so the jobs of one LPN are `label:<lpn>` and `label:<lpn>#…`, never another LPN's.
 */
export function labelJobId(lpn: string, revision?: string): string {
  return revision ? `label:${lpn}#${revision}` : `label:${lpn}`;
}

/** A label used by tests and the Devices screen's "print a test label". */
export function sampleLabel(overrides: Partial<ItemLabel> = {}): ItemLabel {
  return {
    lpn: 'LPN-000123',
    sku: 'TSH-BLK-M',
    productName: 'オーガニックコットンTシャツ 黒 M',
    grade: 'B',
    disposition: 'resale',
    destination: 'TOTE-RESALE-03',
    rmaNumber: 'RMA-2026-000045',
    stationId: 'BENCH-01',
    printedAt: '2026-11-27T11:40:00+09:00',
    // The English texts; tests of the Japanese floor's label say language: 'ja'.
    language: 'en',
    ...overrides,
  };
}
