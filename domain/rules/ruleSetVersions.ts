import type { z } from 'zod';
import { RuleSet, RuleSetProblem, type RoutingRuleInput } from '../../contract/index.js';
import { ruleIssueParams, ruleIssuesOf, type RuleIssue } from './ruleIssues.js';

export interface RuleSetIssue {
  /** Where in the rule set, e.g. "rules.2.when.minPriceJpy". */
  path: string;
  message: string;
  reason: RuleSetProblem;
  /** The rule it is in, numbered from 1 (the editor's numbering), when it is in one. */
  rule?: number;
  /** Its place and what is wrong there, for the screens to say in the operator's language. */
  issue: RuleIssue;
}

export type RuleSetValidation = { ok: true; ruleSet: RuleSet } | { ok: false; issues: RuleSetIssue[] };

/** Checks a rule set from the editor (or a file) and says what is wrong in words a supervisor can act on. */
export function validateRuleSet(input: unknown): RuleSetValidation {
  const r = RuleSet.safeParse(input);
  if (r.success) return { ok: true, ruleSet: r.data };
  return { ok: false, issues: ruleSetIssuesOf(r.error.issues, input) };
}

/** zod's issues about a rule set (or a call's input holding `rules` and `gradingProfiles`), with their reason and place. */
function ruleSetIssuesOf(issues: readonly z.core.$ZodIssue[], input: unknown): RuleSetIssue[] {
  const described = ruleIssuesOf(issues, input);
  return issues.map((i, n) => {
    const own = i.code === 'custom' ? RuleSetProblem.safeParse(i.params?.reason) : null;
    const rule = i.path[0] === 'rules' && typeof i.path[1] === 'number' ? i.path[1] + 1 : undefined;
    const reason: RuleSetProblem = own?.success ? own.data : rule !== undefined ? 'rule' : 'shape';
    const issue = described[n] ?? { field: '', problem: 'other' as const, params: {} };
    return { path: i.path.map(String).join('.'), message: i.message, reason, ...(rule !== undefined ? { rule } : {}), issue };
  });
}

/**
 * A rules.dryRun or rules.publish input whose rules or grading profiles do not parse, refused as a rule set is (so
 * the screen names the rule and what is wrong), not as a generic invalid input; null when the problem is elsewhere.
 */
export function proposedRulesRefusal(issues: readonly z.core.$ZodIssue[], input: unknown): { message: string; params: Record<string, string | number> } | null {
  const head = issues[0]?.path[0];
  if (head !== 'rules' && head !== 'gradingProfiles') return null;
  return ruleSetRefusal(ruleSetIssuesOf(issues, input));
}

/**
 * The refusal of a rule set, as the bench and the hub say it: an English sentence (for the log), and the params
 * error.ruleSetInvalid is worded by: its reason, and the first issue's place and problem (ruleIssueParams).
 */
export function ruleSetRefusal(issues: readonly RuleSetIssue[]): { message: string; params: Record<string, string | number> } {
  const first = issues[0];
  return {
    message: `The rules are not valid: ${first ? `${first.path}: ${first.message}` : 'unknown problem'}`,
    params: {
      ...(first ? ruleIssueParams(first.issue) : {}),
      field: first?.path ?? 'rules',
      issues: issues.length,
      reason: first?.reason ?? 'shape',
      ...(first?.rule !== undefined ? { rule: first.rule } : {}),
    },
  };
}

export interface PublishMeta {
  publishedAt: string;
  publishedBy: string;
  note?: string;
}

/**
 * The next version of the rules: always current.version + 1, so every routed item's
 * (rule id, version) points at exactly one published table.
 */
export function nextRuleSetVersion(current: RuleSet, rules: readonly RoutingRuleInput[], meta: PublishMeta): RuleSetValidation {
  return validateRuleSet({
    version: current.version + 1,
    rules,
    publishedAt: meta.publishedAt,
    publishedBy: meta.publishedBy,
    ...(meta.note === undefined ? {} : { note: meta.note }),
  });
}

/** Picks the version an item was routed under, from the kept history. */
export function ruleSetAt(history: readonly RuleSet[], version: number): RuleSet | undefined {
  return history.find((rs) => rs.version === version);
}
