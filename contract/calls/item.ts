import { z } from 'zod';
import { Category, Disposition, GradedItem, Grade, GradingAnswers, Gtin, ItemKind, MatchToken, ReviewStatus, Sha256 } from '../entities.js';
import { FiredRule } from '../rules.js';
import { ANY_OPERATOR, call } from './define.js';

/** An item that is not on its RMA line: extra (not on the RMA at all) or wrong (came instead of a line's SKU). */
export const UnexpectedItemInput = z
  .object({
    kind: z.enum(['extra', 'wrong']),
    sku: z.string().min(1).max(64).optional(),
    gtin: Gtin.optional(),
    /** For a wrong item: the line whose product should have come. */
    insteadOfLineId: z.string().min(1).max(64).optional(),
    /** Only needed when the product is not in the catalogue. */
    category: Category.optional(),
  })
  .strict()
  .refine((u) => u.sku !== undefined || u.gtin !== undefined, { message: 'give the SKU or GTIN of the item', path: ['sku'] })
  .refine((u) => u.kind !== 'wrong' || u.insteadOfLineId !== undefined, { message: 'a wrong item names the line it came instead of', path: ['insteadOfLineId'] });

export const GradeItemInput = z
  .object({
    parcelId: z.string().uuid(),
    lineId: z.string().min(1).max(64).optional(),
    unexpected: UnexpectedItemInput.optional(),
    /** A direct grade (quick path); with answers it must agree with what they compute. */
    grade: Grade.optional(),
    /** Answers to the category's grading profile (grading.profile), question id → answer id / yes-no. */
    answers: GradingAnswers.optional(),
    /** Hashes returned by photo.attach; required when the profile or a wrong item calls for a photo. */
    photos: z.array(Sha256).max(20).optional(),
    /** From parcel.matchItem for this line: the station grades with the identity it read from that scan. */
    matchToken: MatchToken.optional(),
    /** The operator's screen language: the printed label and its preview speak it. */
    language: z.enum(['ja', 'en']).optional(),
  })
  .strict()
  .refine((i) => (i.lineId === undefined) !== (i.unexpected === undefined), { message: 'give either lineId or unexpected', path: ['lineId'] })
  .refine((i) => i.grade !== undefined || i.answers !== undefined, { message: 'give a grade or the answers', path: ['grade'] })
  .refine((i) => i.matchToken === undefined || i.lineId !== undefined, { message: 'a match token belongs to a line', path: ['matchToken'] });

export const LabelPreviewInput = z
  .object({
    itemId: z.string().uuid(),
    /** The language the label was printed in (item.grade's language); Japanese unless said. */
    language: z.enum(['ja', 'en']).optional(),
  })
  .strict();

/** What item.grade answers: the graded item, and the rule that routed it for the result screen to put in words. */
export const GradedItemResult = GradedItem.extend({ rule: FiredRule.optional() });
export type GradedItemResult = z.infer<typeof GradedItemResult>;

/**
 * What this station knows about an item by its LPN: a labelled item found on the bench is identified by scanning it,
 * so the answer carries everything the operator would otherwise look up on three screens.
 */
export const ItemLookup = z.object({
  itemId: z.string(),
  lpn: z.string(),
  sku: z.string(),
  /** Null when the product is not in this station's catalogue (an unknown product received as extra). */
  name: z.string().nullable(),
  nameJa: z.string().nullable(),
  kind: ItemKind,
  grade: Grade,
  disposition: Disposition,
  destination: z.string(),
  parcelId: z.string(),
  parcelStatus: z.enum(['open', 'closed']),
  /** '' for a blind return not linked to an RMA yet. */
  rmaNumber: z.string(),
  reviewStatus: ReviewStatus,
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  gradedAt: z.string(),
  operatorId: z.string(),
  /** Null when the operator is no longer enrolled here. */
  operatorName: z.string().nullable(),
  /** A label job exists at this bench, so printer.reprint can print it again. */
  labelPrinted: z.boolean(),
  /** The bench that graded it, when the answer is the site hub's (an item of any bench of the site). */
  stationId: z.string().optional(),
});
export type ItemLookup = z.infer<typeof ItemLookup>;

/** Grading one item of an open parcel: its grade, disposition, label and outbox event in one step. */
export const itemCalls = {
  'item.grade': call({ access: ANY_OPERATOR, answersBeforeSync: true, input: GradeItemInput, output: GradedItemResult }),
  /**
   * The SVG of a graded item's label as it was printed, for the result screen. Apart from item.grade so the
   * operator sees the disposition without waiting for the barcode drawing (about 1.5 ms of CPU per label).
   */
  'item.labelPreview': call({ access: ANY_OPERATOR, input: LabelPreviewInput, output: z.object({ labelSvg: z.string() }) }),
  /**
   * An item graded at this station, by its LPN (any case, as parseLpn reads it). NOT_FOUND error.noItemForLpn otherwise.
   * At the site hub, and at a bench behind one for an item it did not grade: any bench's item (error.site.noItemForLpn).
   */
  'item.lookup': call({ access: ANY_OPERATOR, input: z.object({ lpn: z.string().trim().min(1).max(40) }).strict(), output: ItemLookup }),
} as const;
