import type { TFunction } from 'i18next';
import type { RuleIssue } from '../../../domain/rules/ruleIssues.js';

const COUNTED: Partial<Record<RuleIssue['problem'], 'minimum' | 'maximum'>> = { tooShort: 'minimum', tooFew: 'minimum', tooLong: 'maximum', tooMany: 'maximum' };

/** What is wrong in one field, without its place: the device list's refusals say it the same way. */
export function issueProblemText(t: TFunction, problem: RuleIssue['problem'], p: RuleIssue['params']): string {
  const counted = COUNTED[problem];
  return t(`ruleIssue.problem.${problem}`, {
    ...p,
    ...(p.expected !== undefined ? { expected: t(`ruleIssue.typeName.${p.expected}`, { defaultValue: t('ruleIssue.typeName.other') }) } : {}),
    ...(counted ? { count: Number(p[counted] ?? 1) } : {}),
  });
}

/** One rule set issue in the operator's language: its place (rule or profile number, field), then what is wrong there. */
export function ruleIssueText(t: TFunction, issue: RuleIssue): string {
  const what = issueProblemText(t, issue.problem, issue.params);
  const whole = issue.field === '';
  const at = issue.rule !== undefined ? (whole ? 'ruleWhole' : 'rule') : issue.profile !== undefined ? (whole ? 'profileWhole' : 'profile') : whole ? 'whole' : 'field';
  return t(`ruleIssue.at.${at}`, { rule: issue.rule, profile: issue.profile, field: issue.field, what });
}

/** The first issue in words, and how many more there are. */
export function ruleIssuesText(t: TFunction, issues: readonly RuleIssue[], total = issues.length): string {
  const first = issues[0];
  if (!first) return '';
  const more = total - 1;
  return more > 0 ? t('ruleIssue.withMore', { first: ruleIssueText(t, first), more: t('ruleIssue.more', { count: more }) }) : ruleIssueText(t, first);
}
