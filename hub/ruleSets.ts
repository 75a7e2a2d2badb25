// Issue 15 (wt-15s): one rule set for the site. Published here by a supervisor (hub UI Rules screen), versioned in
// `site_rule_sets`, pulled by every bench of the site (GET SITE_PATHS.ruleSet), dry-run against the items the
// site's benches graded, and used by the hub's own overrides. The engine is the bench's: domain/rules.
import type { z } from 'zod';
import {
  Category,
  CustomerResolution,
  Disposition,
  FaultAttribution,
  FlagCode,
  Grade,
  ItemCondition,
  PackagingState,
  ReturnReason,
  RuleSet,
  type Api,
  type DryRunResult,
  type GradingProfileInput,
  type OperatorView,
  type RoutingDecision,
  type RoutingFacts,
  type RoutingRuleInput,
  type RuleSetRefusal,
} from '../contract/index.js';
import { defaultRuleSet } from '../domain/rules/defaultRuleSet.js';
import { dryRun } from '../domain/rules/dryRun.js';
import { route } from '../domain/rules/route.js';
import { ruleSetRefusal, validateRuleSet, type RuleSetIssue } from '../domain/rules/ruleSetVersions.js';
import { inTransaction, type Pool, type PoolClient } from './db.js';
import { appendSiteAudit } from './siteAudit.js';
import { SiteError } from './siteErrors.js';

type Queryable = Pool | PoolClient;
type RulesGet = z.output<Api['rules.get']['output']>;

/** Items of a blind return or extra items have no customer reason: the bench routes them as wrong-item returns (core/workflow/itemFacts.ts). */
const NO_LINE_REASON = 'wrong_item' as const;
/** The bench's fallback for an item whose product it does not know (core/workflow/itemFacts.ts). */
const UNKNOWN_CATEGORY = 'apparel' as const;
/** How many changed items a dry run lists; the counts cover every item. */
const DRY_RUN_EXAMPLES = 200;

/** The site's newest published rule set, or null while the site has published none (benches then route by their own). */
export async function siteRuleSet(db: Queryable, siteId: string): Promise<RuleSet | null> {
  const r = await db.query<{ body: unknown }>('SELECT body FROM site_rule_sets WHERE site_id = $1 ORDER BY version DESC LIMIT 1', [siteId]);
  const row = r.rows[0];
  return row ? RuleSet.parse(row.body) : null;
}

/**
 * The newest version's body as stored, for the benches: they check it against the contract themselves and refuse
 * one that does not parse (core/sync/ruleSetPull.ts), so a damaged row cannot make a bench route by nonsense.
 */
export async function siteRuleSetBody(db: Queryable, siteId: string): Promise<unknown> {
  const r = await db.query<{ body: unknown }>('SELECT body FROM site_rule_sets WHERE site_id = $1 ORDER BY version DESC LIMIT 1', [siteId]);
  return r.rows[0]?.body ?? null;
}

/**
 * The site's version `version`, to name the rule an item was routed by; before the site published, benches routed
 * by the shipped set. Undefined for a version this site never published (a bench's own, before it joined).
 * `shippedToo: false`: the site's own versions only (an item whose event says the site's rules routed it).
 */
export async function siteRuleSetAt(db: Queryable, siteId: string, version: number, options: { shippedToo?: boolean } = {}): Promise<RuleSet | undefined> {
  const r = await db.query<{ body: unknown }>('SELECT body FROM site_rule_sets WHERE site_id = $1 AND version = $2', [siteId, version]);
  const row = r.rows[0];
  if (row) return RuleSet.parse(row.body);
  return (options.shippedToo ?? true) && version === defaultRuleSet.version ? defaultRuleSet : undefined;
}

/** What the hub routes by: the site's rule set, or before the first publication the one every bench ships with. */
async function routingRuleSet(db: Queryable, siteId: string): Promise<RuleSet> {
  return (await siteRuleSet(db, siteId)) ?? defaultRuleSet;
}

export async function getSiteRules(pool: Pool, siteId: string): Promise<RulesGet> {
  const site = await siteRuleSet(pool, siteId);
  // Who published, as a supervisor reads it: the hub's operator ids are generated (op-<uuid>), which told the
  // history's reader nothing; an id the roster no longer has is shown as it was recorded.
  const r = await pool.query<{ version: number; published_by: string; name: string | null; badge: string | null; published_at: Date; note: string | null }>(
    `SELECT r.version, r.published_by, o.name, o.badge, r.published_at, r.note
     FROM site_rule_sets r LEFT JOIN operators o ON o.site_id = r.site_id AND o.id = r.published_by
     WHERE r.site_id = $1 ORDER BY r.version DESC LIMIT 50`,
    [siteId],
  );
  const history: RulesGet['history'] = r.rows.map((row, i) => ({
    version: row.version,
    status: i === 0 ? 'published' : 'retired',
    publishedAt: row.published_at.toISOString(),
    publishedBy: row.name !== null && row.badge !== null ? `${row.name} (${row.badge})` : row.published_by,
    note: row.note,
  }));
  if (!site) history.push({ version: defaultRuleSet.version, status: 'shipped', publishedAt: null, publishedBy: null, note: null });
  return { current: site ?? defaultRuleSet, history, source: site ? 'site' : 'bench' };
}

function invalid(issues: readonly RuleSetIssue[]): SiteError {
  const refusal = ruleSetRefusal(issues);
  return new SiteError('INVALID_INPUT', 'error.ruleSetInvalid', refusal.message, refusal.params);
}

async function nextVersion(db: Queryable, siteId: string): Promise<number> {
  const r = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM site_rule_sets WHERE site_id = $1', [siteId]);
  // Above the shipped version too, so a bench never mistakes the site's first version for the one it shipped with.
  return Math.max(r.rows[0]?.v ?? 0, defaultRuleSet.version) + 1;
}

/**
 * Publishes the rules as the site's next version. A rule set that does not parse is refused with the path of the
 * problem and nothing changes. Versions are taken under a lock, so two supervisors publishing at once get two
 * versions, never one twice.
 */
export async function publishSiteRuleSet(
  pool: Pool,
  siteId: string,
  op: OperatorView,
  rules: readonly RoutingRuleInput[],
  note: string | undefined,
  gradingProfiles?: readonly GradingProfileInput[],
): Promise<RuleSet> {
  return inTransaction(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtextextended('rs_hub.rule_sets.' || $1, 0))", [siteId]);
    const before = await routingRuleSet(c, siteId);
    const version = await nextVersion(c, siteId);
    // Left out, the grading profiles of the version before are kept: a change of rules does not drop them.
    const profiles = gradingProfiles ?? before.gradingProfiles;
    const v = validateRuleSet({ version, rules, publishedAt: new Date().toISOString(), publishedBy: op.id, ...(note ? { note } : {}), ...(profiles ? { gradingProfiles: profiles } : {}) });
    if (!v.ok) throw invalid(v.issues);
    const rs = v.ruleSet;
    await c.query('INSERT INTO site_rule_sets (site_id, version, body, published_by, published_at, note) VALUES ($1, $2, $3, $4, $5, $6)', [
      siteId,
      rs.version,
      JSON.stringify(rs),
      op.id,
      rs.publishedAt,
      note ?? null,
    ]);
    await appendSiteAudit(c, siteId, {
      actor: op.id,
      action: 'rules.published',
      entity: `rule_set:${rs.version}`,
      details: {
        before: { version: before.version, rules: before.rules.map((r) => r.id) },
        after: { version: rs.version, rules: rs.rules.map((r) => r.id), profiles: (rs.gradingProfiles ?? []).map((p) => `${p.id}@${p.version}`) },
        note: note ?? null,
      },
    });
    return rs;
  });
}

/** A bench refused the rule set it was served (core/sync/ruleSetPull.ts): in the site's audit, by the bench. */
export async function recordRuleSetRefusal(pool: Pool, siteId: string, stationId: string, r: RuleSetRefusal): Promise<void> {
  await inTransaction(pool, (c) =>
    appendSiteAudit(c, siteId, { actor: stationId, action: 'rules.refusedByBench', entity: `rule_set:${r.version ?? '?'}`, details: { error: r.error } }),
  );
}

/** One graded item as the hub has it: its event's payload with the product and the RMA line from the site's reference data. */
interface GradedRow {
  payload: Record<string, unknown>;
  station_id: string;
  product: { category?: unknown; priceJpy?: unknown } | null;
  line: { reason?: unknown; resolution?: unknown } | null;
}

const GRADED_WITH_REFERENCE = `
  SELECT e.payload, e.station_id, p.body AS product,
         (SELECT l FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.body->'lines') = 'array' THEN r.body->'lines' ELSE '[]'::jsonb END) l
           WHERE l->>'id' = e.payload->>'lineId' LIMIT 1) AS line
  FROM graded e
  LEFT JOIN reference_rows p ON p.site_id = $1 AND p.resource = 'products' AND p.id = e.payload->>'sku'
  LEFT JOIN reference_rows r ON r.site_id = $1 AND r.resource = 'rmas' AND r.id = e.payload->>'rmaNumber'`;

/**
 * What the rules see about an item, built as the bench builds it (core/workflow/itemFacts.ts) from what the bench
 * reported and the site's reference data; null when the event does not even carry a grade the rules know.
 */
function factsOf(row: GradedRow): RoutingFacts | null {
  const p = row.payload;
  const grade = Grade.safeParse(p.grade);
  if (!grade.success) return null;
  const category = Category.safeParse(row.product?.category);
  const reason = ReturnReason.safeParse(row.line?.reason);
  const price = row.product?.priceJpy;
  const facts: RoutingFacts = {
    grade: grade.data,
    category: category.success ? category.data : UNKNOWN_CATEGORY,
    reason: reason.success ? reason.data : NO_LINE_REASON,
    priceJpy: typeof price === 'number' && Number.isInteger(price) && price >= 0 ? price : 0,
    flags: Array.isArray(p.flags) ? p.flags.flatMap((f) => (FlagCode.safeParse(f).success ? [FlagCode.parse(f)] : [])) : [],
  };
  const packaging = PackagingState.safeParse(p.packaging);
  if (packaging.success) facts.packaging = packaging.data;
  const fault = FaultAttribution.safeParse(p.fault);
  if (fault.success) facts.fault = fault.data;
  const condition = ItemCondition.safeParse(p.condition);
  if (condition.success) facts.condition = condition.data;
  const resolution = CustomerResolution.safeParse(row.line?.resolution);
  if (resolution.success) facts.resolution = resolution.data;
  return facts;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * "This change would have routed N of the last `limit` items differently; here they are": the engine over the
 * items the site's benches graded most recently (newest accepted first), under the site's current rules and the
 * proposed ones. The same output as a bench's dry run, with each listed item's bench, LPN and id.
 */
export async function dryRunSite(pool: Pool, siteId: string, rules: readonly RoutingRuleInput[], limit: number): Promise<DryRunResult> {
  const current = await routingRuleSet(pool, siteId);
  const v = validateRuleSet({ version: await nextVersion(pool, siteId), rules });
  if (!v.ok) throw invalid(v.issues);
  const r = await pool.query<GradedRow>(
    `WITH graded AS (SELECT payload, station_id, accepted_at FROM events WHERE site_id = $1 AND type = 'item.graded' ORDER BY accepted_at DESC LIMIT $2)
     ${GRADED_WITH_REFERENCE} ORDER BY e.accepted_at DESC`,
    [siteId, limit],
  );
  const items = r.rows.flatMap((row) => {
    const facts = factsOf(row);
    return facts ? [{ row, facts }] : [];
  });
  const result = dryRun(
    current,
    v.ruleSet,
    items.map((i) => i.facts),
    { examples: DRY_RUN_EXAMPLES },
  );
  return {
    ...result,
    examples: result.examples.map((x) => {
      const row = items[x.index]?.row;
      return row
        ? { ...x, item: { itemId: text(row.payload.itemId), lpn: text(row.payload.lpn), stationId: row.station_id, gradedAt: text(row.payload.gradedAt) } }
        : x;
    }),
  };
}

/**
 * Where a lead's override at the hub sends the item, by the site's rule set. A new grade is routed as the bench
 * routes an override (core/workflow/review.ts): as if the lead's review cleared the flags. A disposition named by
 * the lead goes to the destination the rule set uses for it, unless the lead names one.
 */
export async function routeSiteOverride(
  c: PoolClient,
  siteId: string,
  gradedEvent: string,
  input: { grade?: string | undefined; disposition?: string | undefined; destination?: string | undefined },
): Promise<Pick<RoutingDecision, 'disposition' | 'destination' | 'ruleId' | 'ruleSetVersion'> & { grade: string } | null> {
  const rs = await routingRuleSet(c, siteId);
  const r = await c.query<GradedRow>(
    `WITH graded AS (SELECT payload, station_id FROM events WHERE site_id = $1 AND idempotency_key = $2) ${GRADED_WITH_REFERENCE}`,
    [siteId, gradedEvent],
  );
  const row = r.rows[0];
  const facts = row ? factsOf(row) : null;
  if (!facts) return null;
  const grade = input.grade !== undefined ? Grade.parse(input.grade) : facts.grade;
  const disposition = input.disposition !== undefined ? Disposition.parse(input.disposition) : undefined;
  if (disposition === undefined) {
    const d = route(rs, { ...facts, grade, flags: [] });
    return { grade, disposition: d.disposition, destination: input.destination ?? d.destination, ruleId: d.ruleId, ruleSetVersion: d.ruleSetVersion };
  }
  const rule = rs.rules.find((x) => x.then.disposition === disposition);
  return {
    grade,
    disposition,
    destination: input.destination ?? rule?.then.destination ?? disposition.toUpperCase(),
    ruleId: rule?.id ?? 'lead-override',
    ruleSetVersion: rs.version,
  };
}
