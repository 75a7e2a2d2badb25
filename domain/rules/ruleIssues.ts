// What is wrong in a rule set a supervisor wrote, as codes the screens put in words in each language (the renderer's
// `ruleIssue.*` texts): never zod's English. Each issue names its place (rule or grading profile number from 1, as
// the editor numbers them, and the field inside it as the JSON names it) and what is wrong there, with the values the
// sentence needs (the choices allowed, the limit, the unknown fields).
import type { z } from 'zod';

export const RULE_ISSUE_PROBLEMS = [
  'json',
  'missing',
  'type',
  'integer',
  'oneOf',
  'empty',
  'tooShort',
  'tooLong',
  'tooFew',
  'tooMany',
  'tooSmall',
  'tooBig',
  'unknownFields',
  'ruleId',
  'format',
  'flagsNone',
  'priceRange',
  'uniqueIds',
  'catchAllLast',
  'profilePerCategory',
  'other',
] as const;
export type RuleIssueProblem = (typeof RULE_ISSUE_PROBLEMS)[number];

export function isRuleIssueProblem(value: unknown): value is RuleIssueProblem {
  return typeof value === 'string' && (RULE_ISSUE_PROBLEMS as readonly string[]).includes(value);
}

/** The JSON types a field may be expected to hold, as the sentences name them. */
export const RULE_ISSUE_TYPES = ['string', 'number', 'int', 'boolean', 'array', 'object'] as const;

export interface RuleIssue {
  /** The rule it is in, numbered from 1. */
  rule?: number;
  /** The grading profile it is in, numbered from 1. */
  profile?: number;
  /** The field inside the rule or profile (`then.disposition`), or from the top of the rule set; '' for the whole. */
  field: string;
  problem: RuleIssueProblem;
  /** What the sentence needs: expected (a type), values and given (a choice), minimum or maximum, keys, line and column. */
  params: Record<string, string | number>;
}

/** The rule set's own checks (contract/rules.ts), by the reason they carry. */
const OWN_CHECKS = new Set<RuleIssueProblem>(['priceRange', 'uniqueIds', 'catchAllLast', 'profilePerCategory']);

type Path = readonly PropertyKey[];

/** The value at `path` inside `input`; undefined where the path leads nowhere. */
export function valueAt(input: unknown, path: Path): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A value as the sentence quotes it: a string as written, anything else as JSON, cut short. */
function quoted(v: unknown): string {
  let text = '';
  try {
    text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  } catch {
    text = typeof v;
  }
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function placeOf(path: Path): Pick<RuleIssue, 'rule' | 'profile' | 'field'> {
  const [head, index, ...rest] = path;
  const field = (keys: Path) => keys.map(String).join('.');
  if (head === 'rules' && typeof index === 'number') return { rule: index + 1, field: field(rest) };
  if (head === 'gradingProfiles' && typeof index === 'number') return { profile: index + 1, field: field(rest) };
  return { field: field(path) };
}

function problemOf(issue: z.core.$ZodIssue, path: Path, input: unknown, place: Pick<RuleIssue, 'rule' | 'field'>): Pick<RuleIssue, 'problem' | 'params'> {
  const here = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_type':
      if (here === undefined) return { problem: 'missing', params: {} };
      if (issue.expected === 'int' && typeof here === 'number') return { problem: 'integer', params: { given: quoted(here) } };
      return { problem: 'type', params: { expected: (RULE_ISSUE_TYPES as readonly string[]).includes(issue.expected) ? issue.expected : 'other', given: quoted(here) } };
    case 'invalid_value':
      if (here === undefined) return { problem: 'missing', params: {} };
      return { problem: 'oneOf', params: { values: issue.values.map((v) => String(v)).join(', '), given: quoted(here) } };
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return minimum <= 1 ? { problem: 'empty', params: {} } : { problem: 'tooShort', params: { minimum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { problem: 'tooFew', params: { minimum } };
      return { problem: 'tooSmall', params: { minimum, given: quoted(here) } };
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return { problem: 'tooLong', params: { maximum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { problem: 'tooMany', params: { maximum } };
      return { problem: 'tooBig', params: { maximum, given: quoted(here) } };
    }
    case 'unrecognized_keys':
      return { problem: 'unknownFields', params: { keys: issue.keys.join(', ') } };
    case 'invalid_format':
      if (place.rule !== undefined && place.field === 'id') return { problem: 'ruleId', params: { given: quoted(here) } };
      return { problem: 'format', params: { given: quoted(here) } };
    case 'custom': {
      const reason = issue.params?.reason;
      if (isRuleIssueProblem(reason) && OWN_CHECKS.has(reason)) return { problem: reason, params: {} };
      if (path.at(-1) === 'flags') return { problem: 'flagsNone', params: {} };
      return { problem: 'other', params: {} };
    }
    default:
      return { problem: 'other', params: {} };
  }
}

/**
 * zod's issues about a rule set (or the editor's list of rules or of profiles, given `under` 'rules' or
 * 'gradingProfiles' so the place is numbered the same), each as a place and a problem. `input` is what was parsed,
 * so a field that is absent is told apart from one of the wrong type, and the value given can be quoted.
 */
export function ruleIssuesOf(issues: readonly z.core.$ZodIssue[], input: unknown, under?: 'rules' | 'gradingProfiles'): RuleIssue[] {
  const whole = under ? { [under]: input } : input;
  return issues.map((issue) => {
    const path: Path = under ? [under, ...issue.path] : issue.path;
    const place = placeOf(path);
    return { ...place, ...problemOf(issue, path, whole, place) };
  });
}

/** A text that is not JSON, with where it stops being JSON (line and column from 1) when the parser says. */
export function jsonIssue(text: string, parserMessage: string): RuleIssue {
  const at = /position (\d+)/.exec(parserMessage);
  const position = at ? Math.min(Number(at[1]), text.length) : text.length;
  const before = text.slice(0, position).split('\n');
  return { field: '', problem: 'json', params: { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 } };
}

/** An issue as the flat params of a call's refusal (error.ruleSetInvalid), and back. */
export function ruleIssueParams(issue: RuleIssue): Record<string, string | number> {
  return {
    problem: issue.problem,
    place: issue.field,
    ...(issue.rule !== undefined ? { rule: issue.rule } : {}),
    ...(issue.profile !== undefined ? { profile: issue.profile } : {}),
    ...issue.params,
  };
}

export function ruleIssueFromParams(params: Readonly<Record<string, string | number>>): RuleIssue | null {
  const { problem, place, rule, profile, ...rest } = params;
  if (!isRuleIssueProblem(problem)) return null;
  const out: Record<string, string | number> = {};
  for (const key of ['expected', 'values', 'given', 'minimum', 'maximum', 'keys', 'line', 'column']) {
    const v = rest[key];
    if (v !== undefined) out[key] = v;
  }
  return {
    field: typeof place === 'string' ? place : '',
    problem,
    ...(typeof rule === 'number' ? { rule } : {}),
    ...(typeof profile === 'number' ? { profile } : {}),
    params: out,
  };
}
