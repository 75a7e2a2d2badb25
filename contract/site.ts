// Issue 15: what a bench and the site hub say to each other beyond the WMS contract (the site's roster and
// the site's review decisions), and the hub UI's own settings. The bench's sync code parses these; the hub
// serves them.
import { z } from 'zod';
import { BadgeRef } from './badge.js';
import { Disposition, Grade, Role } from './entities.js';
import { ToteId } from './totes.js';

export const SITE_PATHS = {
  /** The site's roster by cursor: operators whose `rev` is after `after`, in rev order. */
  roster: '/hub/v1/roster',
  /** A bench's sign-in checked against the site-wide PIN lock-out. */
  checkPin: '/hub/v1/roster/check-pin',
  /** Review decisions taken at the hub for items graded at the asking bench, by cursor. */
  decisions: '/hub/v1/review/decisions',
  /** Issue 17: the bags of a tote received at any bench of the site, from the benches' delivered tote.closed events. */
  toteReceived: '/hub/v1/totes/:toteId/received',
  /** A bench's Review, Reports and Dashboard screens, answered by the hub for the whole site (SITE_SCOPED_CALLS). */
  siteCall: '/hub/v1/site/call/:name',
  /** The site's published rule set (issue 15): every bench of the site routes by it. */
  ruleSet: '/hub/v1/rule-set',
  /** A bench reports a rule set it refused (it did not parse), so the site's audit shows which bench runs what. */
  ruleSetRefused: '/hub/v1/rule-set/refused',
} as const;

/**
 * The calls a bench connected to its hub asks the hub, so its lead and supervisor screens show the whole site; with the
 * hub away the bench answers them from its own copy and says so (`scope`).
 */
export const SITE_SCOPED_CALLS: ReadonlySet<string> = new Set([
  'review.list',
  'review.get',
  'review.approve',
  'review.override',
  'review.bulkApprove',
  'reports.summary',
  'dashboard.shift',
]);

/**
 * Calls a bench behind its hub answers from its own copy first and asks the hub only for what it does not hold: an LPN
 * scanned on the Review screen that another bench graded. The hub answers them on the same route (siteCall).
 */
export const SITE_FALLBACK_CALLS: ReadonlySet<string> = new Set(['item.lookup']);

export const siteCallPath = (name: string): string => SITE_PATHS.siteCall.replace(':name', encodeURIComponent(name));

/** What a bench sends for a site-scoped call: the operator it signed in (checked against the hub's roster) and the call's input. */
export const SiteCallRequest = z.object({ operatorId: z.string().min(1).max(64), input: z.unknown() }).strict();
export const SiteCallParams = z.object({ name: z.string().min(1).max(64) });

export const siteToteReceivedPath = (toteId: string): string => SITE_PATHS.toteReceived.replace(':toteId', encodeURIComponent(toteId));

export const SiteToteParams = z.object({ toteId: ToteId });

/** One bag of the tote as a bench of the site reported it received when it closed its part of the tote. */
export const SiteReceivedBag = z.object({ bagCode: z.string(), stationId: z.string(), closedAt: z.string() });
export type SiteReceivedBag = z.infer<typeof SiteReceivedBag>;

export const SiteToteReceived = z.object({ toteId: z.string(), bags: z.array(SiteReceivedBag) });
export type SiteToteReceived = z.infer<typeof SiteToteReceived>;

/** One operator of the site as a bench stores it: the PIN hash travels so a bench offline still checks a PIN. */
export const RosterEntry = z.object({
  id: z.string().min(1).max(64),
  // Normalized as the bench stores badges: a hub that kept one in lower case still matches what staff scan.
  badge: BadgeRef,
  name: z.string().min(1).max(120),
  role: Role,
  pinHash: z.string().min(1).max(400),
  disabled: z.boolean(),
  rev: z.number().int().positive(),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

export const RosterQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type RosterQuery = z.infer<typeof RosterQuery>;

/** `next` is the rev to ask after for the following page; null when this page is the last. */
export const RosterPage = z.object({ operators: z.array(RosterEntry), next: z.number().int().nullable() });
export type RosterPage = z.infer<typeof RosterPage>;

export const CheckPinRequest = z.object({ badge: BadgeRef, pin: z.string().regex(/^\d{4,8}$/) }).strict();
export type CheckPinRequest = z.infer<typeof CheckPinRequest>;

/** A decision a lead took at the hub about an item graded at a bench (approve, or override with its new values). */
export const SiteDecision = z.object({
  seq: z.number().int().positive(),
  itemId: z.string(),
  lpn: z.string(),
  kind: z.enum(['approved', 'overridden']),
  operatorId: z.string(),
  decidedAt: z.string(),
  reason: z.string().nullable(),
  after: z.object({ grade: Grade, disposition: Disposition, destination: z.string() }).nullable(),
});
export type SiteDecision = z.infer<typeof SiteDecision>;

export const DecisionPage = z.object({ decisions: z.array(SiteDecision), next: z.number().int().nullable() });
export type DecisionPage = z.infer<typeof DecisionPage>;

/**
 * The site's rule set as the hub serves it; null until a supervisor publishes one at the hub (benches then route
 * by their own). A bench parses `ruleSet` itself with the contract's RuleSet and refuses one that does not
 * parse, keeping the version it has (core/sync/ruleSetPull.ts).
 */
export const SiteRuleSetAnswer = z.object({
  ruleSet: z.unknown(),
  /** The site it belongs to, which the bench records on each item it routes by it (RuleSetOrigin); absent from older hubs. */
  siteId: z.string().min(1).max(64).optional(),
});
export type SiteRuleSetAnswer = z.infer<typeof SiteRuleSetAnswer>;

/** What a bench reports when it refuses the site's rule set; `version` when the answer named one. */
export const RuleSetRefusal = z.object({ version: z.number().int().nullable(), error: z.string().min(1).max(500) }).strict();
export type RuleSetRefusal = z.infer<typeof RuleSetRefusal>;
