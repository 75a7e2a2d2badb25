import type { DryRunResult, RouteTarget, RoutingFacts, RuleSet } from '../../contract/index.js';
import { route } from './route.js';

export interface DryRunOptions {
  /** How many changed items to show as examples. Default 10. */
  examples?: number;
}

/**
 * Routes the same items under the current and the proposed rules: what would change, grouped by
 * transition (most frequent first), with examples the supervisor can open before publishing.
 */
export function dryRun(current: RuleSet, proposed: RuleSet, facts: readonly RoutingFacts[], options: DryRunOptions = {}): DryRunResult {
  const maxExamples = options.examples ?? 10;
  const transitions = new Map<string, { from: RouteTarget; to: RouteTarget; count: number }>();
  const examples: DryRunResult['examples'] = [];
  let changed = 0;
  facts.forEach((f, index) => {
    const before = route(current, f);
    const after = route(proposed, f);
    if (before.disposition === after.disposition && before.destination === after.destination) return;
    changed++;
    const key = `${before.disposition}\u0000${before.destination}\u0000${after.disposition}\u0000${after.destination}`;
    const t = transitions.get(key);
    if (t) t.count++;
    else transitions.set(key, { from: { disposition: before.disposition, destination: before.destination }, to: { disposition: after.disposition, destination: after.destination }, count: 1 });
    if (examples.length < maxExamples) examples.push({ index, facts: f, before, after });
  });
  // Ties keep first-seen order (Array.prototype.sort is stable), so the output is deterministic.
  const byTransition = [...transitions.values()].sort((a, b) => b.count - a.count);
  return { currentVersion: current.version, proposedVersion: proposed.version, total: facts.length, changed, byTransition, examples };
}
