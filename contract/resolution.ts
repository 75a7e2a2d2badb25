import { z } from 'zod';
import { Category, CustomerResolution, Grade, ReturnReason } from './entities.js';
import { FlagCode } from './flags.js';
import { FaultAttribution, ItemCondition, LocalizedText } from './grading.js';

export const ResolutionKind = z.enum(['refund', 'exchange', 'store_credit', 'reject']);
export type ResolutionKind = z.infer<typeof ResolutionKind>;

/** Conditions of a policy rule; absent = any. Like routing rules, the first match wins. */
export const ResolutionCondition = z
  .object({
    grades: z.array(Grade).min(1).optional(),
    faults: z.array(FaultAttribution).min(1).optional(),
    conditions: z.array(ItemCondition).min(1).optional(),
    categories: z.array(Category).min(1).optional(),
    reasons: z.array(ReturnReason).min(1).optional(),
    flagsAny: z.array(FlagCode).min(1).optional(),
  })
  .strict();
export type ResolutionCondition = z.infer<typeof ResolutionCondition>;

const PolicyRuleId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);

export const DeductionRule = z
  .object({
    id: PolicyRuleId,
    when: ResolutionCondition,
    /** Share of the line value kept back, in percent. */
    percent: z.number().min(0).max(100),
    explain: LocalizedText,
  })
  .strict();
export type DeductionRule = z.infer<typeof DeductionRule>;

export const RejectRule = z.object({ id: PolicyRuleId, when: ResolutionCondition, explain: LocalizedText }).strict();
export type RejectRule = z.infer<typeof RejectRule>;

export const ResolutionPolicy = z
  .object({
    version: z.number().int().positive(),
    /** Extra store credit the shop gives instead of a refund, in percent of the credited value. */
    storeCreditBonusPercent: z.number().min(0).max(100).default(0),
    /** Used when the RMA line does not say what the customer chose. */
    defaultResolution: CustomerResolution.default('refund'),
    /** Checked first: a match returns the item to the customer. */
    reject: z.array(RejectRule).default([]),
    /** First match sets the deduction for customer-caused damage; no match = full value. */
    deductions: z.array(DeductionRule).default([]),
    /** A recommendation with any of these flags waits for a lead. */
    holdOnFlags: z.array(FlagCode).default(FlagCode.options),
  })
  .strict()
  .refine((p) => new Set([...p.reject, ...p.deductions].map((r) => r.id)).size === p.reject.length + p.deductions.length, 'policy rule ids must be unique');
export type ResolutionPolicy = z.infer<typeof ResolutionPolicy>;
export type ResolutionPolicyInput = z.input<typeof ResolutionPolicy>;

export const ResolutionRecommendation = z.object({
  kind: ResolutionKind,
  /** What the customer asked for (null = not stated, the policy default was used). */
  requested: CustomerResolution.nullable(),
  /** price × qty of the line (or of the items received against it). */
  lineValueJpy: z.number().int().nonnegative(),
  deductionJpy: z.number().int().nonnegative(),
  deductionRuleId: z.string().nullable(),
  /** Store credit bonus on top of the credited value. */
  bonusJpy: z.number().int().nonnegative(),
  /** Money or credit to the customer: refund amount, store credit incl. bonus; 0 for exchange and reject. */
  amountJpy: z.number().int().nonnegative(),
  /** What the customer owes before an exchange ships (the deduction); 0 otherwise. */
  customerOwesJpy: z.number().int().nonnegative(),
  rejectRuleId: z.string().nullable(),
  /** Held for a lead's approval before it is released to the WMS. */
  held: z.boolean(),
  holdReasons: z.array(z.union([FlagCode, z.literal('reject')])),
  policyVersion: z.number().int(),
  explanation: LocalizedText,
});
export type ResolutionRecommendation = z.infer<typeof ResolutionRecommendation>;
