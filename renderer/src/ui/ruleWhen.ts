import type { TFunction } from 'i18next';
import type { FiredRule, RoutingRuleInput } from '../../../contract/index.js';

/** Where the dictionaries name each condition's values (a value they do not know is shown as it is). */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  grades: 'grade',
  categories: 'category',
  reasons: 'reason',
  flags: 'flag',
  returnWindow: 'returnWindow',
  resolutions: 'resolution',
  packaging: 'packaging',
  faults: 'fault',
  conditions: 'itemCondition',
};

/** A rule's conditions as short lines in the operator's language ("グレード：A（美品）、B（使用感あり）"), readable at a glance unlike raw JSON. */
export function describeWhen(t: TFunction, when: RoutingRuleInput['when']): string[] {
  const sep = t('ruleWhen.sep');
  const name = (k: string, code: unknown): string => {
    const c = String(code);
    const named = t(`${VALUE_NAMES[k] ?? k}.${c}`, { defaultValue: c });
    // Grades are known by their letter on the floor: the letter stays, with its name.
    return k === 'grades' && c !== 'scrap' ? t('ruleWhen.gradeWithName', { grade: c, name: named }) : named;
  };
  const names = (k: string, list: unknown): string => (Array.isArray(list) ? list : [list]).map((c) => name(k, c)).join(sep);
  return Object.entries(when).map(([k, v]) => {
    if (typeof v === 'number') return t(`ruleWhen.${k}`, { value: v.toLocaleString('ja-JP'), defaultValue: `${k}: ${v}` });
    const label = t(`ruleWhen.${k}`, { defaultValue: k });
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return `${label}${t('ruleWhen.labelSep')}${Object.entries(v as Record<string, unknown>).map(([op, list]) => `${t(`ruleWhen.op.${op}`, { defaultValue: op })} ${names(k, list)}`).join('; ')}`;
    }
    return `${label}${t('ruleWhen.labelSep')}${names(k, v)}`;
  });
}

/**
 * The rule that routed an item in words, for the result and review screens: its conditions as the Rules screen
 * says them, the catch-all and the built-in guard by name. Null when the station could not say which rule it
 * was (a rule-set version it does not keep): the screen then shows the id alone. Given the item's flags, a rule
 * that holds for "any of" a list of flags names only those the item has: they are why it fired.
 */
export function ruleInWords(t: TFunction, rule: FiredRule | undefined, itemFlags?: readonly string[]): string | null {
  if (!rule) return null;
  if (rule.when === null) return t('result.ruleBuiltIn');
  const { flags, ...rest } = rule.when;
  const { any, ...otherOps } = flags ?? {};
  const raised = any && itemFlags ? any.filter((f) => itemFlags.includes(f)) : [];
  const lines =
    raised.length === 0
      ? describeWhen(t, rule.when)
      : [
          `${t('ruleWhen.flags')}${t('ruleWhen.labelSep')}${raised.map((f) => t(`flag.${f}`, { defaultValue: f })).join(t('ruleWhen.sep'))}`,
          ...describeWhen(t, Object.keys(otherOps).length > 0 ? { ...rest, flags: otherOps } : rest),
        ];
  return lines.length === 0 ? t('result.ruleCatchAll') : t('result.ruleWords', { words: lines.join(t('result.ruleSep')) });
}
