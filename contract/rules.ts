import { z } from 'zod';
import { Category, CustomerResolution, Disposition, Grade, ReturnReason, RoutingDecision } from './entities.js';
import { FlagCode } from './flags.js';
import { FaultAttribution, GradingProfile, ItemCondition, LocalizedText, PackagingState } from './grading.js';

export const ReturnWindowState = z.enum(['within', 'exceeded']);
export type ReturnWindowState = z.infer<typeof ReturnWindowState>;

/** Flag conditions: any = at least one present, all = every one present, none = none present. */
export const FlagCondition = z
  .object({
    any: z.array(FlagCode).min(1).optional(),
    all: z.array(FlagCode).min(1).optional(),
    none: z.array(FlagCode).min(1).optional(),
  })
  .strict()
  .refine((f) => f.any !== undefined || f.all !== undefined || f.none !== undefined, 'flags: give any, all or none');
export type FlagCondition = z.infer<typeof FlagCondition>;

/**
 * A routing rule's conditions, all of which must hold. Absent condition = any.
 * A condition on a fact the item does not have (no return window known, no resolution chosen) does not hold.
 */
export const RuleWhen = z
  .object({
    grades: z.array(Grade).min(1).optional(),
    categories: z.array(Category).min(1).optional(),
    reasons: z.array(ReturnReason).min(1).optional(),
    minPriceJpy: z.number().int().nonnegative().optional(),
    maxPriceJpy: z.number().int().nonnegative().optional(),
    flags: FlagCondition.optional(),
    returnWindow: ReturnWindowState.optional(),
    resolutions: z.array(CustomerResolution).min(1).optional(),
    packaging: z.array(PackagingState).min(1).optional(),
    faults: z.array(FaultAttribution).min(1).optional(),
    conditions: z.array(ItemCondition).min(1).optional(),
  })
  .strict()
  .refine((w) => w.minPriceJpy === undefined || w.maxPriceJpy === undefined || w.minPriceJpy <= w.maxPriceJpy, {
    message: 'minPriceJpy must not exceed maxPriceJpy',
    path: ['minPriceJpy'],
    params: { reason: 'priceRange' },
  });

/** A routing rule: the first rule whose conditions all hold decides. */
export const RoutingRule = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'rule id: lowercase letters, digits, hyphens'),
  when: RuleWhen,
  then: z.object({ disposition: Disposition, destination: z.string().min(1).max(32) }).strict(),
  explain: LocalizedText,
});
export type RoutingRule = z.infer<typeof RoutingRule>;
export type RoutingRuleInput = z.input<typeof RoutingRule>;

/**
 * The rule that routed an item, so the result and review screens can say it in words (its conditions in the
 * operator's language, renderer/src/ui/ruleWhen.ts) with the id small beside it for a lead. `when` is null for
 * the built-in guard (domain/rules/route.ts), which no rule set holds. Beside GradedItem and ReviewDetail in
 * the calls that return them (an entity cannot name a rule's conditions: rules.ts imports entities.ts).
 */
export const FiredRule = z.object({ when: RuleWhen.nullable(), explain: LocalizedText }).strict();
export type FiredRule = z.infer<typeof FiredRule>;

export const RuleSet = z
  .object({
    version: z.number().int().positive(),
    rules: z.array(RoutingRule).min(1),
    /** Who published this version, when, and why (absent on the shipped default). */
    publishedAt: z.string().optional(),
    publishedBy: z.string().optional(),
    note: z.string().max(500).optional(),
    /**
     * Grading profiles published with this version (issue 15: "rule sets and grading profiles are published once
     * at the hub"), at most one per category; a category without one is graded by the shipped profile.
     */
    gradingProfiles: z.array(GradingProfile).max(Category.options.length).optional(),
  })
  .strict()
  .refine((rs) => new Set(rs.rules.map((r) => r.id)).size === rs.rules.length, { message: 'rule ids must be unique', params: { reason: 'uniqueIds' } })
  .refine((rs) => new Set((rs.gradingProfiles ?? []).map((p) => p.category)).size === (rs.gradingProfiles ?? []).length, {
    message: 'one grading profile per category',
    path: ['gradingProfiles'],
    params: { reason: 'profilePerCategory' },
  })
  .refine((rs) => Object.keys(rs.rules.at(-1)?.when ?? { x: 1 }).length === 0, { message: 'the last rule must be a catch-all (empty when)', params: { reason: 'catchAllLast' } });

/**
 * What is wrong with a rule set, for the editor to say in the operator's language: one of the rule set's own
 * checks above, a rule whose fields do not parse (`rule`: its number from 1), or anything else in its shape.
 */
export const RuleSetProblem = z.enum(['priceRange', 'uniqueIds', 'profilePerCategory', 'catchAllLast', 'rule', 'shape']);
export type RuleSetProblem = z.infer<typeof RuleSetProblem>;
export type RuleSet = z.infer<typeof RuleSet>;
export type RuleSetInput = z.input<typeof RuleSet>;

/** What the rules see about one item. Only the first four are required, so older callers keep working. */
export const RoutingFacts = z.object({
  grade: Grade,
  category: Category,
  reason: ReturnReason,
  priceJpy: z.number().int().nonnegative(),
  flags: z.array(FlagCode).optional(),
  returnWindow: ReturnWindowState.optional(),
  resolution: CustomerResolution.optional(),
  packaging: PackagingState.optional(),
  fault: FaultAttribution.optional(),
  condition: ItemCondition.optional(),
});
export type RoutingFacts = z.infer<typeof RoutingFacts>;

export const RouteTarget = z.object({ disposition: Disposition, destination: z.string() });
export type RouteTarget = z.infer<typeof RouteTarget>;

/** "How would the last N items have routed under the proposed rules." */
export const DryRunResult = z.object({
  currentVersion: z.number().int(),
  proposedVersion: z.number().int(),
  total: z.number().int(),
  /** Items whose disposition or destination would change. */
  changed: z.number().int(),
  byTransition: z.array(z.object({ from: RouteTarget, to: RouteTarget, count: z.number().int() })),
  examples: z.array(
    z.object({
      index: z.number().int(),
      facts: RoutingFacts,
      before: RoutingDecision,
      after: RoutingDecision,
      /** Issue 15: at the site hub, which item of which bench this was, so a supervisor can find it. */
      item: z.object({ itemId: z.string(), lpn: z.string(), stationId: z.string(), gradedAt: z.string() }).optional(),
    }),
  ),
});
export type DryRunResult = z.infer<typeof DryRunResult>;
