import { z } from 'zod';
import { Disposition, Grade, PrintOutcome, ReviewDetail, ReviewQueuePage } from '../entities.js';
import { FlagCode } from '../flags.js';
import { FiredRule } from '../rules.js';
import { ANY_OPERATOR, call, Empty, LEADS } from './define.js';

const ItemId = z.string().uuid();
/** "Waiting at least N minutes" goes up to a year; the hub UI keeps its field within it rather than be refused. */
export const MAX_MIN_AGE_MINUTES = 525_600;

const Reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(500);

/** An item a lead at the site hub overrode to another disposition or destination: its box carries the old label. */
export const RelabelItem = z.object({
  itemId: z.string(),
  lpn: z.string(),
  sku: z.string(),
  grade: Grade,
  disposition: Disposition,
  destination: z.string(),
  reviewedBy: z.string().nullable(),
  reviewReason: z.string().nullable(),
  relabelSince: z.string(),
});
export type RelabelItem = z.infer<typeof RelabelItem>;

/** A review item as the lead sees it, with the rule that routed it (absent when its rule set version is not kept here). */
export const ReviewDetailResult = ReviewDetail.extend({ rule: FiredRule.optional() });
export type ReviewDetailResult = z.infer<typeof ReviewDetailResult>;

export const reviewCalls = {
  'review.list': call({
    access: LEADS,
    input: z
      .object({
        status: z.enum(['pending', 'decided', 'all']).default('pending'),
        flag: FlagCode.optional(),
        disposition: Disposition.optional(),
        /** Only items waiting at least this long. */
        minAgeMinutes: z.number().int().min(0).max(MAX_MIN_AGE_MINUTES).optional(),
        /**
         * The bench that graded (issue 15): its whole id, in any case (bench-a is BENCH-A, BENCH-1 is not BENCH-10).
         * A bench answering from its own copy holds only its own items: all of them, or none.
         */
        stationId: z.string().trim().min(1).max(16).optional(),
        /** The operator who graded: any part of their id, badge or name, in any case, the text taken literally. */
        operatorId: z.string().trim().min(1).max(64).optional(),
        sort: z.enum(['oldest', 'newest', 'value']).default('oldest'),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: ReviewQueuePage,
  }),
  'review.get': call({ access: LEADS, input: z.object({ itemId: ItemId }).strict(), output: ReviewDetailResult }),
  'review.approve': call({ access: LEADS, input: z.object({ itemId: ItemId, note: z.string().trim().max(500).optional() }).strict(), output: ReviewDetailResult }),
  'review.override': call({
    access: LEADS,
    input: z
      .object({ itemId: ItemId, grade: Grade.optional(), disposition: Disposition.optional(), destination: z.string().trim().min(1).max(32).optional(), reason: Reason })
      .strict()
      .refine((i) => i.grade !== undefined || i.disposition !== undefined, { message: 'change the grade or the disposition', path: ['grade'] }),
    output: ReviewDetailResult,
  }),
  'review.bulkApprove': call({
    access: LEADS,
    input: z.object({ itemIds: z.array(ItemId).min(1).max(200) }).strict(),
    output: z.object({ approved: z.array(z.string()), skipped: z.array(z.string()) }),
  }),
  // Issue 15: items a lead at the site hub re-routed; their boxes carry the old label.
  'review.relabelList': call({ access: ANY_OPERATOR, background: true, input: Empty, output: z.object({ items: z.array(RelabelItem) }) }),
  'review.relabelDone': call({ access: ANY_OPERATOR, input: z.object({ itemId: z.string().uuid() }).strict(), output: z.object({ done: z.boolean() }) }),
  /** Prints the re-routed item's new label (R on the relabel list); `done` when it left the list. */
  'review.relabelPrint': call({
    access: ANY_OPERATOR,
    input: z.object({ itemId: z.string().uuid(), language: z.enum(['ja', 'en']).default('ja') }).strict(),
    output: z.object({ print: PrintOutcome, done: z.boolean(), labelSvg: z.string() }),
  }),
} as const;
