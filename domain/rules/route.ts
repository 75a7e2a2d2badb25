import type { FiredRule, LocalizedText, RoutingDecision, RoutingFacts, RoutingRule, RuleSet } from '../../contract/index.js';

export type { RoutingFacts } from '../../contract/index.js';

function anyOf<T>(wanted: readonly T[] | undefined, actual: T | undefined): boolean {
  return wanted === undefined || (actual !== undefined && wanted.includes(actual));
}

/** Whether every condition of the rule holds for the facts. */
export function ruleHolds(rule: RoutingRule, f: RoutingFacts): boolean {
  const w = rule.when;
  if (!anyOf(w.grades, f.grade)) return false;
  if (!anyOf(w.categories, f.category)) return false;
  if (!anyOf(w.reasons, f.reason)) return false;
  if (w.minPriceJpy !== undefined && f.priceJpy < w.minPriceJpy) return false;
  if (w.maxPriceJpy !== undefined && f.priceJpy > w.maxPriceJpy) return false;
  if (w.flags) {
    const flags = new Set(f.flags ?? []);
    if (w.flags.any && !w.flags.any.some((c) => flags.has(c))) return false;
    if (w.flags.all && !w.flags.all.every((c) => flags.has(c))) return false;
    if (w.flags.none && w.flags.none.some((c) => flags.has(c))) return false;
  }
  if (w.returnWindow !== undefined && f.returnWindow !== w.returnWindow) return false;
  if (!anyOf(w.resolutions, f.resolution)) return false;
  if (!anyOf(w.packaging, f.packaging)) return false;
  if (!anyOf(w.faults, f.fault)) return false;
  if (!anyOf(w.conditions, f.condition)) return false;
  return true;
}

/** Rule ids of the built-in guards, which no published rule set can switch off. */
export const GUARD_OPENED_COSMETICS = 'guard-opened-cosmetics';

/** The guard in general terms; a decision's own explanation also names the rule it overruled. */
const GUARD_EXPLAIN: LocalizedText = {
  en: 'Opened cosmetics are never restocked, whatever the rules say, so they go to recycling.',
  ja: '開封済みの化粧品は、ルールにかかわらず再入庫せず、リサイクルへ回します。',
};

/**
 * The rule behind a decision, from the rule set version that routed it, for saying it in words; undefined when
 * that version does not hold the rule (an item routed by a version this bench or hub does not keep).
 */
export function firedRule(ruleSet: RuleSet | undefined, ruleId: string): FiredRule | undefined {
  if (ruleId === GUARD_OPENED_COSMETICS) return { when: null, explain: GUARD_EXPLAIN };
  const rule = ruleSet?.rules.find((r) => r.id === ruleId);
  return rule ? { when: rule.when, explain: rule.explain } : undefined;
}

/**
 * Opened cosmetics are never restocked, whatever a supervisor publishes: hygiene law and shop
 * promises both forbid it. "Opened" is any grade below S or an unsealed packaging-and-product.
 */
function guard(facts: RoutingFacts, decision: RoutingDecision): RoutingDecision {
  const opened = facts.grade !== 'N' && facts.grade !== 'S';
  if (facts.category === 'cosmetics' && opened && decision.disposition === 'restock') {
    return {
      disposition: 'disposal',
      destination: 'RECYCLE',
      ruleId: GUARD_OPENED_COSMETICS,
      ruleSetVersion: decision.ruleSetVersion,
      explanation: `Opened cosmetics are never restocked (rule ${decision.ruleId} would have restocked it), so it goes to recycling.`,
      explanationJa: `開封済みの化粧品は再入庫しません（ルール ${decision.ruleId} は再入庫でした）。リサイクルへ回します。`,
    };
  }
  return decision;
}

/** First matching rule wins; a valid RuleSet always ends in a catch-all, so there is always a decision. */
export function route(ruleSet: RuleSet, facts: RoutingFacts): RoutingDecision {
  const rule = ruleSet.rules.find((r) => ruleHolds(r, facts)) ?? ruleSet.rules[ruleSet.rules.length - 1];
  if (!rule) throw new Error('rule set has no rules');
  return guard(facts, {
    disposition: rule.then.disposition,
    destination: rule.then.destination,
    ruleId: rule.id,
    ruleSetVersion: ruleSet.version,
    explanation: rule.explain.en,
    explanationJa: rule.explain.ja,
  });
}
