import { z } from 'zod';
import { Category, Disposition, Grade, ReturnReason } from './entities.js';

/** A routing rule: the first rule whose conditions all hold decides. Absent condition = any. */
export const RoutingRule = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'rule id: lowercase letters, digits, hyphens'),
  when: z
    .object({
      grades: z.array(Grade).min(1).optional(),
      categories: z.array(Category).min(1).optional(),
      reasons: z.array(ReturnReason).min(1).optional(),
      minPriceJpy: z.number().int().nonnegative().optional(),
      maxPriceJpy: z.number().int().nonnegative().optional(),
    })
    .strict(),
  then: z.object({ disposition: Disposition, destination: z.string().min(1).max(32) }).strict(),
  explain: z.object({ en: z.string().min(1), ja: z.string().min(1) }).strict(),
});
export type RoutingRule = z.infer<typeof RoutingRule>;

export const RuleSet = z
  .object({
    version: z.number().int().positive(),
    rules: z.array(RoutingRule).min(1),
  })
  .strict()
  .refine((rs) => new Set(rs.rules.map((r) => r.id)).size === rs.rules.length, 'rule ids must be unique')
  .refine((rs) => Object.keys(rs.rules.at(-1)?.when ?? { x: 1 }).length === 0, 'the last rule must be a catch-all (empty when)');
export type RuleSet = z.infer<typeof RuleSet>;
