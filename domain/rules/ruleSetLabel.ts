import { RULE_SET_SOURCE_NAMES, type DisplayLanguage, type RuleSetOrigin } from '../../contract/index.js';

/**
 * The rule set that routed an item as the screens and the exports say it: "サイト v3 / site v3", "作業台 BENCH-01 v3 /
 * bench BENCH-01 v3", "標準 v2 / shipped v2"; only "v3" for an item graded before benches recorded where their rules
 * came from. The site goes unnamed (a hub serves one site); the export has the id in a column of its own.
 */
export function ruleSetLabel(version: number, origin: Pick<RuleSetOrigin, 'source' | 'sourceId'> | null | undefined, language: DisplayLanguage): string {
  if (!origin) return `v${version}`;
  const name = RULE_SET_SOURCE_NAMES[origin.source][language];
  return origin.source === 'bench' && origin.sourceId ? `${name} ${origin.sourceId} v${version}` : `${name} v${version}`;
}
