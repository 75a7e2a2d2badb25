import { z } from 'zod';
import { GradingProfile } from '../grading.js';
import { DryRunResult, RoutingRule, RuleSet } from '../rules.js';
import { call, LEADS, ANY_OPERATOR, SUPERVISORS } from './define.js';

const RuleSetSummary = z.object({
  version: z.number().int(),
  status: z.enum(['published', 'retired', 'shipped']),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  note: z.string().nullable(),
});

/** The rules are checked in full on the main side (ids unique, catch-all last) and refused with the path of the problem. */
const ProposedRules = z.array(RoutingRule).min(1).max(200);

export const ruleCalls = {
  'rules.get': call({
    access: ANY_OPERATOR,
    input: z.object({}).strict(),
    output: z.object({
      current: RuleSet,
      history: z.array(RuleSetSummary),
      /**
       * Issue 15: whose rule set routes here. `site`: published at the site hub (at the hub itself, or pulled by a
       * bench of the site); `bench`: this bench's own (no hub, or the site has published none yet).
       */
      source: z.enum(['site', 'bench']).optional(),
      /** At a bench of a site: when it last heard from the hub about the rule set, and what went wrong since. */
      site: z.object({ lastPulledAt: z.string().nullable(), errorKey: z.string().nullable() }).optional(),
    }),
  }),
  /** How the last `limit` graded items would route under the proposed rules. */
  'rules.dryRun': call({
    access: LEADS,
    input: z.object({ rules: ProposedRules, limit: z.number().int().min(1).max(5000).default(200) }).strict(),
    output: DryRunResult,
  }),
  'rules.publish': call({
    access: SUPERVISORS,
    input: z
      .object({
        rules: ProposedRules,
        note: z.string().trim().min(1).max(500).optional(),
        /** The grading profiles of the new version; left out, the current version's are kept. */
        gradingProfiles: z.array(GradingProfile).max(20).optional(),
      })
      .strict(),
    output: RuleSet,
  }),
} as const;
