import type { Category, Grade, ReturnReason, RoutingDecision, RoutingRule, RuleSet } from '../../contract/index.js';

export interface RoutingFacts {
  grade: Grade;
  category: Category;
  reason: ReturnReason;
  priceJpy: number;
}

function holds(rule: RoutingRule, f: RoutingFacts): boolean {
  const w = rule.when;
  if (w.grades && !w.grades.includes(f.grade)) return false;
  if (w.categories && !w.categories.includes(f.category)) return false;
  if (w.reasons && !w.reasons.includes(f.reason)) return false;
  if (w.minPriceJpy !== undefined && f.priceJpy < w.minPriceJpy) return false;
  if (w.maxPriceJpy !== undefined && f.priceJpy > w.maxPriceJpy) return false;
  return true;
}

/** First matching rule wins; a valid RuleSet always ends in a catch-all, so there is always a decision. */
export function route(ruleSet: RuleSet, facts: RoutingFacts): RoutingDecision {
  const rule = ruleSet.rules.find((r) => holds(r, facts)) ?? ruleSet.rules[ruleSet.rules.length - 1];
  if (!rule) throw new Error('rule set has no rules');
  return {
    disposition: rule.then.disposition,
    destination: rule.then.destination,
    ruleId: rule.id,
    ruleSetVersion: ruleSet.version,
    explanation: rule.explain.en,
    explanationJa: rule.explain.ja,
  };
}
