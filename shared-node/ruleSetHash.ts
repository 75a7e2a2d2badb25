// The content hash of a rule set, recorded with every routing decision (RuleSetOrigin.sha256): a bench's own v3
// and the site's v3 share a number, not their rules. Node's crypto, so it sits here, beside the other code both
// deployables share.
import { createHash } from 'node:crypto';
import { RuleSet, type RuleSetInput } from '../contract/index.js';

/** JSON with every object's keys in code-point order and no whitespace; arrays keep their order (rule order decides). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * sha256 (hex) of what a rule set decides with: its rules in order and its grading profiles, read through the
 * contract (so defaults are filled in and key order does not matter). The version and who published it, when and
 * why are left out: the same rules published again, or published at the site as at a bench, hash the same.
 */
export function ruleSetSha256(ruleSet: RuleSet | RuleSetInput): string {
  const rs = RuleSet.parse(ruleSet);
  const content = { rules: rs.rules, gradingProfiles: rs.gradingProfiles ?? [] };
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}
