// Issue 15 (wt-15s): a bench of a site routes by the site's rule set. Each site pull asks the hub for it; a new
// version is checked against the contract before it is stored, and one that does not parse is refused and
// reported (the Rules screen and the log say so) while the bench keeps routing by the version it has. A bench that
// cannot reach the hub keeps its last version too.
import { RuleSet, SITE_PATHS, SiteRuleSetAnswer, type RuleSetRefusal } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { adoptSiteRuleSet, recordSiteRuleSetProblem, recordSiteRuleSetPulled, recordSiteRuleSetSite, siteRuleSetState } from '../../db/repositories/siteRuleSets.js';

/** The i18n keys the Rules screen shows for the last pull (renderer/src/i18n: error.site.*). */
export const RULE_SET_REFUSED = 'error.siteRules.refused';
export const RULE_SET_UNREACHABLE = 'error.siteRules.unreachable';

export interface RuleSetPullDeps {
  db: Db;
  /** GETs a hub path with the bench's credential. */
  get(path: string): Promise<Response>;
  now(): Date;
  /** A new site version routes here from now on (or the one in use learned which site it is: items record it). */
  onAdopted?: (ruleSet: RuleSet) => void;
  /** Tells the hub about a refusal (best effort: the Rules screen and the log have it anyway). */
  report?: (refusal: RuleSetRefusal) => Promise<void>;
  log?: (msg: string) => void;
}

export type RuleSetPullResult = 'adopted' | 'unchanged' | 'refused' | 'unreachable';

export async function pullSiteRuleSet(deps: RuleSetPullDeps): Promise<RuleSetPullResult> {
  const { db } = deps;
  let body: unknown;
  try {
    const res = await deps.get(SITE_PATHS.ruleSet);
    if (!res.ok) throw new Error(`hub answered ${res.status} to ${SITE_PATHS.ruleSet}`);
    body = await res.json();
  } catch (err) {
    recordSiteRuleSetProblem(db, RULE_SET_UNREACHABLE, err instanceof Error ? err.message : String(err));
    return 'unreachable';
  }
  const at = deps.now().toISOString();
  const answer = SiteRuleSetAnswer.safeParse(body);
  if (answer.success && (answer.data.ruleSet === null || answer.data.ruleSet === undefined)) {
    recordSiteRuleSetPulled(db, at);
    return 'unchanged';
  }
  const parsed = answer.success ? RuleSet.safeParse(answer.data.ruleSet) : null;
  if (!parsed?.success) {
    const issue = parsed?.error.issues[0];
    const why = issue ? `${issue.path.join('.') || 'rule set'}: ${issue.message}` : 'the answer is not a rule set';
    // Reported once per problem, not at every pull while the hub keeps sending it.
    const before = siteRuleSetState(db);
    recordSiteRuleSetProblem(db, RULE_SET_REFUSED, why);
    if (before.errorKey !== RULE_SET_REFUSED || before.error !== why) {
      deps.log?.(`site rule set refused (${why}); this bench keeps routing by version ${before.currentVersion ?? 'of its own'}`);
      const named = answer.success ? (answer.data.ruleSet as { version?: unknown } | null) : null;
      const version = named && typeof named === 'object' && Number.isInteger(named.version) ? Number(named.version) : null;
      await deps.report?.({ version, error: why }).catch(() => undefined);
    }
    return 'refused';
  }
  const rs = parsed.data;
  const siteId = answer.success ? (answer.data.siteId ?? null) : null;
  if (siteRuleSetState(db).currentVersion === rs.version) {
    recordSiteRuleSetPulled(db, at);
    // A version pulled before the hub named its site: items routed by it from now on say which site.
    if (siteId !== null && recordSiteRuleSetSite(db, rs.version, siteId)) deps.onAdopted?.(rs);
    return 'unchanged';
  }
  adoptSiteRuleSet(db, rs.version, JSON.stringify(rs), at, siteId);
  deps.onAdopted?.(rs);
  return 'adopted';
}
