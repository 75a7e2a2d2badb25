import { RuleSet, type DryRunResult, type GradingProfileInput, type RoutingRuleInput, type RuleSetOrigin, type RuleSetSource } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { insertPublishedRuleSet, maxRuleSetVersion, publishedRuleSet, ruleSetBodyOf, ruleSetHistory } from '../../db/repositories/ruleSets.js';
import { recentItems } from '../../db/repositories/items.js';
import { currentSiteRuleSet, siteRuleSetBodyOf, siteRuleSetState, siteRuleSetVersions } from '../../db/repositories/siteRuleSets.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { dryRun } from '../../domain/rules/dryRun.js';
import { ruleSetRefusal, validateRuleSet } from '../../domain/rules/ruleSetVersions.js';
import { ruleSetSha256 } from '../../shared-node/ruleSetHash.js';
import { routingFactsOf } from './itemFacts.js';
import { StationError } from './errors.js';
import type { SignedInOperator } from './session.js';
import type { ruleCalls } from '../../contract/calls/rules.js';
import { signedIn, type CallsOf, type HandlersFor } from './dispatch.js';

export interface RulesServiceDeps {
  db: Db;
  /** This bench: a rule set published here is `bench` with this id on every item it routes (RuleSetOrigin). */
  stationId: string;
  /** The rule set shipped with the app: routes until a supervisor publishes one. */
  shipped: RuleSet;
  now?: () => Date;
  /** Issue 15: the bench belongs to a site; the site's rule set (pulled from the hub) routes once it has one. */
  site?: boolean;
}

export interface RuleSetSummary {
  version: number;
  status: 'published' | 'retired' | 'shipped';
  publishedAt: string | null;
  publishedBy: string | null;
  note: string | null;
}

/** Rule sets live in the database, versioned; exactly one routes at a time. */
export class RulesService {
  private readonly now: () => Date;
  private cached: { ruleSet: RuleSet; origin: RuleSetOrigin } | null = null;

  constructor(private readonly deps: RulesServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The rule set items are routed with now. */
  current(): RuleSet {
    return this.routing().ruleSet;
  }

  /** Where the rule set items are routed with now came from, which every item records beside its version. */
  origin(): RuleSetOrigin {
    return this.routing().origin;
  }

  private routing(): { ruleSet: RuleSet; origin: RuleSetOrigin } {
    if (this.cached) return this.cached;
    const site = this.siteRuleSet();
    const row = site ? undefined : publishedRuleSet(this.deps.db);
    const ruleSet = site?.ruleSet ?? (row ? RuleSet.parse(JSON.parse(row.body_json)) : this.deps.shipped);
    const sha256 = ruleSetSha256(ruleSet);
    const origin: RuleSetOrigin = site
      ? { source: 'site', ...(site.siteId !== null ? { sourceId: site.siteId } : {}), sha256 }
      : row
        ? { source: 'bench', sourceId: this.deps.stationId, sha256 }
        : { source: 'shipped', sha256 };
    this.cached = { ruleSet, origin };
    return this.cached;
  }

  /** The site's rule set this bench adopted (stored only once it parsed), or null while it routes by its own. */
  private siteRuleSet(): { ruleSet: RuleSet; siteId: string | null } | null {
    if (!this.deps.site) return null;
    const site = currentSiteRuleSet(this.deps.db);
    return site === undefined ? null : { ruleSet: RuleSet.parse(JSON.parse(site.body)), siteId: site.siteId };
  }

  /** Whose rules route here: the site's, or this bench's own (no hub, or the site has published none yet). */
  source(): 'site' | 'bench' {
    return this.deps.site && currentSiteRuleSet(this.deps.db) ? 'site' : 'bench';
  }

  /** The site's sync pulled a new version: route by it from the next item on. */
  siteRuleSetChanged(): void {
    this.cached = null;
  }

  /** What the Rules screen says about the site's rule set at a bench of a site. */
  siteState(): { lastPulledAt: string | null; errorKey: string | null } | undefined {
    if (!this.deps.site) return undefined;
    const s = siteRuleSetState(this.deps.db);
    return { lastPulledAt: s.lastPulledAt, errorKey: s.errorKey };
  }

  /**
   * An older version, for explaining how an item was routed, from the table its source names: the site's v3 and
   * this bench's own v3 are two rule sets. Without a source (an item graded before it was recorded) the site's
   * version is taken first, then the bench's own, then the shipped one.
   */
  version(version: number, source?: RuleSetSource): RuleSet | undefined {
    const siteBody = this.deps.site && (source === undefined || source === 'site') ? siteRuleSetBodyOf(this.deps.db, version) : undefined;
    if (siteBody !== undefined) return RuleSet.parse(JSON.parse(siteBody));
    if (source === 'site') return undefined;
    const body = source === 'shipped' ? undefined : ruleSetBodyOf(this.deps.db, version);
    if (body === undefined) return source !== 'bench' && version === this.deps.shipped.version ? this.deps.shipped : undefined;
    return RuleSet.parse(JSON.parse(body));
  }

  history(): RuleSetSummary[] {
    if (this.source() === 'site') {
      const current = this.current().version;
      return siteRuleSetVersions(this.deps.db).map((v) => {
        const rs = this.version(v.version);
        return { version: v.version, status: v.version === current ? 'published' : 'retired', publishedAt: rs?.publishedAt ?? null, publishedBy: rs?.publishedBy ?? null, note: rs?.note ?? null };
      });
    }
    const rows: RuleSetSummary[] = ruleSetHistory(this.deps.db).map((r) => ({
      version: r.version,
      status: r.status === 'published' ? 'published' : 'retired',
      publishedAt: r.published_at,
      publishedBy: r.published_by,
      note: r.note,
    }));
    if (!rows.some((r) => r.version === this.deps.shipped.version)) {
      rows.push({ version: this.deps.shipped.version, status: rows.length === 0 ? 'shipped' : 'retired', publishedAt: null, publishedBy: null, note: null });
    }
    return rows;
  }

  private proposed(rules: readonly RoutingRuleInput[], version: number, extra: { publishedAt?: string; publishedBy?: string; note?: string; gradingProfiles?: readonly GradingProfileInput[] } = {}): RuleSet {
    const v = validateRuleSet({ version, rules, ...extra });
    if (!v.ok) {
      const refusal = ruleSetRefusal(v.issues);
      throw new StationError('INVALID_INPUT', 'error.ruleSetInvalid', refusal.message, refusal.params);
    }
    return v.ruleSet;
  }

  private nextVersion(): number {
    return Math.max(maxRuleSetVersion(this.deps.db), this.current().version) + 1;
  }

  /** How the last `limit` graded items would route under the proposed rules, before anything is published. */
  dryRun(rules: readonly RoutingRuleInput[], limit: number): DryRunResult {
    const proposed = this.proposed(rules, this.nextVersion());
    const facts = recentItems(this.deps.db, limit).map((i) => routingFactsOf(this.deps.db, i));
    return dryRun(this.current(), proposed, facts);
  }

  /** Publishes the rules as the next version; every item graded from now on records it. */
  publish(op: SignedInOperator, rules: readonly RoutingRuleInput[], note: string | undefined, gradingProfiles?: readonly GradingProfileInput[]): RuleSet {
    const { db } = this.deps;
    if (this.source() === 'site') {
      throw new StationError('CONFLICT', 'error.siteRules.atHub', "This bench routes by the site's rule set: publish rule changes at the site hub.");
    }
    const at = this.now().toISOString();
    const published = db.transaction(() => {
      const before = this.current();
      const profiles = gradingProfiles ?? before.gradingProfiles;
      const rs = this.proposed(rules, this.nextVersion(), { publishedAt: at, publishedBy: op.id, ...(note ? { note } : {}), ...(profiles ? { gradingProfiles: profiles } : {}) });
      insertPublishedRuleSet(db, { version: rs.version, bodyJson: JSON.stringify(rs), by: op.id, at, note: note ?? null });
      appendAudit(db, {
        operatorId: op.id,
        action: 'rules.published',
        entity: `rule_set:${rs.version}`,
        before: { version: before.version, rules: before.rules.map((r) => r.id) },
        after: { version: rs.version, rules: rs.rules.map((r) => r.id), profiles: (rs.gradingProfiles ?? []).map((p) => `${p.id}@${p.version}`), note: note ?? null },
        at,
      });
      return rs;
    })();
    // Read back with its origin (this bench's own, hashed) at the next item.
    this.cached = null;
    return published;
  }
}

export function ruleHandlers(rules: RulesService): HandlersFor<CallsOf<typeof ruleCalls>> {
  return {
    'rules.get': () => {
      const site = rules.siteState();
      return { current: rules.current(), history: rules.history(), source: rules.source(), ...(site ? { site } : {}) };
    },
    'rules.dryRun': (_ctx, i) => rules.dryRun(i.rules, i.limit),
    'rules.publish': (ctx, i) => rules.publish(signedIn(ctx), i.rules, i.note, i.gradingProfiles),
  };
}
