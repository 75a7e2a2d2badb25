import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Api, DecisionPage, OperatorView, ReviewDetail, ReviewDetailResult, ReviewQueueItem, ReviewQueuePage } from '../contract/index.js';
import { Category, Disposition, Grade, ItemKind, ReviewStatus, RuleSetOrigin, type RuleSet } from '../contract/index.js';
import { waitingMinutes } from '../domain/review/waiting.js';
import { containsLikePattern } from '../domain/text/normalize.js';
import { inTransaction, type Pool, type PoolClient } from './db.js';
import { firedRule } from '../domain/rules/route.js';
import { defaultRuleSet } from '../domain/rules/defaultRuleSet.js';
import { ruleSetSha256 } from '../shared-node/ruleSetHash.js';
import { routeSiteOverride, siteRuleSetAt } from './ruleSets.js';
import { siteFlagsOf } from './siteFlags.js';
import { appendSiteAudit } from './siteAudit.js';
import { SiteError } from './siteErrors.js';

/** The station id the hub's own events carry: a decision taken at the hub, not at any bench. */
export const HUB_STATION_ID = 'HUB';

type ListInput = z.output<Api['review.list']['input']>;

interface Row {
  item_id: string;
  station_id: string;
  lpn: string;
  parcel_id: string;
  rma_number: string | null;
  sku: string;
  kind: string;
  grade: string;
  disposition: string;
  destination: string;
  rule_id: string;
  rule_set_version: number;
  flags: string[];
  photos: string[];
  operator_id: string;
  graded_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  product: { name?: string; nameJa?: string; category?: string } | null;
  operator_name: string | null;
  decided_by_name: string | null;
}

const JOINS = `LEFT JOIN reference_rows p ON p.site_id = r.site_id AND p.resource = 'products' AND p.id = r.sku
  LEFT JOIN operators o ON o.site_id = r.site_id AND o.id = r.operator_id
  LEFT JOIN operators d ON d.site_id = r.site_id AND d.id = r.decided_by`;
const COLUMNS = 'r.*, p.body AS product, o.name AS operator_name, d.name AS decided_by_name';
const SELECT = `SELECT ${COLUMNS} FROM site_review_items r ${JOINS}`;

function queueItem(r: Row, now: number): ReviewQueueItem {
  const category = Category.safeParse(r.product?.category);
  return {
    itemId: r.item_id,
    lpn: r.lpn,
    parcelId: r.parcel_id,
    rmaNumber: r.rma_number,
    sku: r.sku,
    kind: ItemKind.catch('expected').parse(r.kind),
    category: category.success ? category.data : null,
    grade: Grade.parse(r.grade),
    disposition: Disposition.parse(r.disposition),
    flags: r.flags,
    reviewStatus: ReviewStatus.parse(r.status),
    gradedAt: r.graded_at,
    // A decided row without its time (none is written so) reads as a time that does not parse, not as still waiting.
    ageMinutes: waitingMinutes(r.graded_at, r.status === 'pending' ? null : (r.decided_at ?? ''), now),
    operatorId: r.operator_id,
    reviewedBy: r.decided_by,
    reviewedAt: r.decided_at,
    reviewedByName: r.decided_by_name,
    productName: r.product?.name ?? null,
    productNameJa: r.product?.nameJa ?? null,
    stationId: r.station_id,
    operatorName: r.operator_name,
  };
}

/** A name as compared with what a lead types: 佐藤花子 finds 佐藤 花子 (spaces ASCII or ideographic). */
const NAME_WITHOUT_SPACES = "replace(replace(name, ' ', ''), '\u3000', '')";

/** Each sort's ORDER BY and its exact reverse (every key turned, NULLs too), item id last so the order is total. */
const ORDERS: Record<ListInput['sort'], [string, string]> = {
  oldest: ['r.graded_at, r.item_id', 'r.graded_at DESC, r.item_id DESC'],
  newest: ['r.graded_at DESC, r.item_id DESC', 'r.graded_at, r.item_id'],
  value: [
    "(p.body->>'priceJpy')::bigint DESC NULLS LAST, r.graded_at, r.item_id",
    "(p.body->>'priceJpy')::bigint ASC NULLS FIRST, r.graded_at DESC, r.item_id DESC",
  ],
};

/** Every bench's held items in one queue, oldest first unless asked otherwise; the bench and operator are filters too. */
export async function listSiteReview(pool: Pool, siteId: string, q: ListInput): Promise<ReviewQueuePage> {
  const where = ['r.site_id = $1'];
  const params: unknown[] = [siteId];
  const add = (sql: (n: string) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (q.status === 'pending') where.push("r.status = 'pending'");
  else if (q.status === 'decided') where.push("r.status <> 'pending'");
  if (q.flag) add((n) => `r.flags ? ${n}`, q.flag);
  if (q.disposition) add((n) => `r.disposition = ${n}`, q.disposition);
  // A bench as a lead types it (bench-a, or full-width with the IME on) is the bench BENCH-A: its enrolled ids are
  // matched in any case, and the queue is then read by the exact id (the bench index still serves).
  if (q.stationId) add((n) => `r.station_id IN (SELECT station_id FROM benches WHERE site_id = $1 AND upper(station_id) = upper(${n}))`, q.stationId.normalize('NFKC'));
  // A lead types part of a badge or a name, in any case: it finds the operator in the site roster, or the id an item
  // carries for an operator the roster does not know (a bench's own). The roster is read once, not per row.
  if (q.operatorId) {
    add(
      (n) =>
        `(r.operator_id ILIKE ${n} ESCAPE '\\' OR r.operator_id IN (SELECT id FROM operators WHERE site_id = $1 AND (badge ILIKE ${n} ESCAPE '\\' OR ${NAME_WITHOUT_SPACES} ILIKE ${n} ESCAPE '\\')))`,
      containsLikePattern(q.operatorId),
    );
  }
  // "Waiting at least N minutes" as the rows show the wait (domain/review/waiting.ts): an item still waiting, from its
  // grading to now; a decided one, from its grading to its decision (waited_ms, migration 0013), so one decided
  // quickly long ago is not "waiting" for hours. Every item has waited at least 0 minutes.
  const minutes = q.minAgeMinutes ?? 0;
  if (minutes > 0) {
    const param = (value: unknown): string => `$${params.push(value)}`;
    const waiting = (): string => `(r.status = 'pending' AND r.graded_at <= ${param(new Date(Date.now() - minutes * 60_000).toISOString())})`;
    const decided = (): string => `(r.status <> 'pending' AND r.waited_ms >= ${param(minutes * 60_000)})`;
    where.push(q.status === 'pending' ? waiting() : q.status === 'decided' ? decided() : `(${waiting()} OR ${decided()})`);
  }
  const [order, reversed] = ORDERS[q.sort];
  const filter = where.join(' AND ');
  const total = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM site_review_items r WHERE ${filter}`, params)).rows[0]?.n ?? 0);
  // A page in the back half is read from the other end: the jump to the last page of a long queue costs what the
  // first page does, instead of walking (and joining) every row before it.
  const from = (q.page - 1) * q.pageSize;
  const to = Math.min(from + q.pageSize, total);
  const fromEnd = from > total / 2 && to > from;
  const rows = fromEnd
    ? (await pool.query<Row>(`${SELECT} WHERE ${filter} ORDER BY ${reversed} LIMIT ${to - from} OFFSET ${total - to}`, params)).rows.reverse()
    : (await pool.query<Row>(`${SELECT} WHERE ${filter} ORDER BY ${order} LIMIT ${q.pageSize} OFFSET ${from}`, params)).rows;
  const now = Date.now();
  return { items: rows.map((r) => queueItem(r, now)), total, page: q.page, pageSize: q.pageSize };
}

const notFound = (): SiteError => new SiteError('NOT_FOUND', 'error.site.itemNotInQueue', 'No item of the site queue has this id.');

/**
 * What the item's RMA line sold (serial, lot), from the site's copy of the WMS's RMAs: the bench compared it with
 * the scan to raise serial_mismatch or lot_mismatch, and the lead reads the flag as "sold X, returned Y".
 */
async function soldOnLine(pool: Pool, siteId: string, rmaNumber: string | null, lineId: string | null): Promise<ReviewDetail['sold']> {
  if (!rmaNumber || !lineId) return undefined;
  const r = await pool.query<{ serial: string | null; lot: string | null }>(
    `SELECT l->>'serialNumber' AS serial, l->>'lot' AS lot
     FROM reference_rows, jsonb_array_elements(body->'lines') AS l
     WHERE site_id = $1 AND resource = 'rmas' AND id = $2 AND l->>'id' = $3`,
    [siteId, rmaNumber, lineId],
  );
  const row = r.rows[0];
  if (!row?.serial && !row?.lot) return undefined;
  return { ...(row.serial ? { serial: row.serial } : {}), ...(row.lot ? { lot: row.lot } : {}) };
}

/** The graded event's RuleSetOrigin (absent from older benches' events); a site set the bench could not name the site of is this site's. */
function ruleSetOriginOf(value: unknown, siteId: string): RuleSetOrigin | undefined {
  const parsed = RuleSetOrigin.safeParse(value);
  if (!parsed.success) return undefined;
  return parsed.data.source === 'site' && parsed.data.sourceId === undefined ? { ...parsed.data, sourceId: siteId } : parsed.data;
}

/**
 * The rule set that routed an item, to name its rule: the site's version, or the shipped one; never a bench's own
 * (the hub does not hold it), and never a kept version whose content is not what the bench hashed. An item from an
 * older bench (no origin) is looked up as before: the site's version of that number, else the shipped one.
 */
async function routedBy(pool: Pool, siteId: string, version: number, origin: RuleSetOrigin | undefined): Promise<RuleSet | undefined> {
  if (!origin) return siteRuleSetAt(pool, siteId, version);
  const kept = origin.source === 'site' ? await siteRuleSetAt(pool, siteId, version, { shippedToo: false }) : origin.source === 'shipped' && version === defaultRuleSet.version ? defaultRuleSet : undefined;
  return kept && ruleSetSha256(kept) === origin.sha256 ? kept : undefined;
}

export async function getSiteReview(pool: Pool, siteId: string, itemId: string): Promise<ReviewDetailResult> {
  const r = await pool.query<Row & { payload: Record<string, unknown> }>(
    `SELECT ${COLUMNS}, e.payload FROM site_review_items r
     ${JOINS}
     JOIN events e ON e.site_id = r.site_id AND e.idempotency_key = r.graded_event
     WHERE r.site_id = $1 AND r.item_id = $2`,
    [siteId, itemId],
  );
  const row = r.rows[0];
  if (!row) throw notFound();
  const p = row.payload;
  const text = (k: string): string | null => (typeof p[k] === 'string' ? (p[k] as string) : null);
  const identity: ReviewDetail['identity'] = {};
  for (const k of ['gtin', 'serial', 'lot', 'expiry', 'epc'] as const) {
    const v = text(k);
    if (v !== null) identity[k] = v;
  }
  const sold = await soldOnLine(pool, siteId, text('rmaNumber'), text('lineId'));
  const origin = ruleSetOriginOf(p.ruleSetOrigin, siteId);
  const rule = firedRule(await routedBy(pool, siteId, row.rule_set_version, origin), row.rule_id);
  return {
    ...queueItem(row, Date.now()),
    expectedSku: text('expectedSku'),
    lineId: text('lineId'),
    reason: null,
    condition: text('condition'),
    packaging: text('packaging'),
    fault: text('fault'),
    answers: null,
    photos: row.photos,
    identity,
    ...(sold ? { sold } : {}),
    ...(rule ? { rule } : {}),
    destination: row.destination,
    ruleId: row.rule_id,
    ruleSetVersion: row.rule_set_version,
    ...(origin ? { ruleSetOrigin: origin } : {}),
    explanation: null,
    reviewReason: row.reason,
    resolution: null,
    siteFlags: await siteFlagsOf(pool, siteId, itemId),
  };
}

interface Decision {
  kind: 'approved' | 'overridden';
  reason: string | null;
  after: { grade: string; disposition: string; destination: string } | null;
  /** The site rule (and its version) an override was routed by, for the site audit. */
  routedBy?: { ruleId: string; ruleSetVersion: number };
}

/**
 * Records one lead's decision as the hub's own event, relayed to the WMS through the relay outbox in the same
 * transaction. The hub's decisions about an item form their own stream (aggregate `<itemId>/site`): the
 * bench owns the item's sequence numbers, and a decision numbered in that stream would take one the bench
 * is about to use. The row moves from pending only once, so a second decision (another lead, or the bench
 * itself) is refused as stale.
 */
async function decide(c: PoolClient, siteId: string, op: OperatorView, itemId: string, d: (row: Row) => Decision): Promise<void> {
  const cur = await c.query<Row>('SELECT * FROM site_review_items WHERE site_id = $1 AND item_id = $2 FOR UPDATE', [siteId, itemId]);
  const row = cur.rows[0];
  if (!row) throw notFound();
  if (row.status !== 'pending') {
    const who = await c.query<{ name: string }>('SELECT name FROM operators WHERE site_id = $1 AND id = $2', [siteId, row.decided_by]);
    throw new SiteError('CONFLICT', 'error.site.alreadyDecided', `This item was already decided (${row.status}) by ${row.decided_by ?? '?'}.`, {
      lpn: row.lpn,
      status: row.status,
      by: who.rows[0]?.name ?? row.decided_by ?? '',
    });
  }
  const decision = d({ ...row, product: null, operator_name: null, decided_by_name: null });
  const at = new Date().toISOString();
  const after = decision.after ?? { grade: row.grade, disposition: row.disposition, destination: row.destination };
  await c.query(
    `UPDATE site_review_items SET status = $3, decided_by = $4, decided_at = $5, decided_where = $6, reason = $7, grade = $8, disposition = $9, destination = $10
     WHERE site_id = $1 AND item_id = $2`,
    [siteId, itemId, decision.kind, op.id, at, HUB_STATION_ID, decision.reason, after.grade, after.disposition, after.destination],
  );
  const aggregateId = `${itemId}/site`;
  const head = await c.query<{ last_sequence: number }>(
    `INSERT INTO aggregate_heads (site_id, aggregate_type, aggregate_id, last_sequence) VALUES ($1, 'item', $2, 1)
     ON CONFLICT (site_id, aggregate_type, aggregate_id) DO UPDATE SET last_sequence = aggregate_heads.last_sequence + 1
     RETURNING last_sequence`,
    [siteId, aggregateId],
  );
  const sequence = head.rows[0]!.last_sequence;
  const base = { itemId, lpn: row.lpn, operatorId: op.id, stationId: HUB_STATION_ID, reviewedAt: at };
  const payload =
    decision.kind === 'approved'
      ? base
      : { ...base, before: { grade: row.grade, disposition: row.disposition, destination: row.destination }, after, reason: decision.reason ?? '' };
  const key = randomUUID();
  await c.query(
    `INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, previous_sequence, type, payload, occurred_at)
     VALUES ($1, $2, $3, 'item', $4, $5, NULL, $6, $7, $8)`,
    [siteId, key, HUB_STATION_ID, aggregateId, sequence, decision.kind === 'approved' ? 'item.approved' : 'item.overridden', JSON.stringify(payload), at],
  );
  await c.query(`INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id) VALUES ($1, $2, $3, 'item', $4)`, [
    siteId,
    key,
    HUB_STATION_ID,
    aggregateId,
  ]);
  await c.query(
    `INSERT INTO site_review_decisions (site_id, item_id, station_id, lpn, kind, operator_id, decided_at, reason, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [siteId, itemId, row.station_id, row.lpn, decision.kind, op.id, at, decision.reason, decision.kind === 'overridden' ? JSON.stringify(after) : null],
  );
  await appendSiteAudit(c, siteId, {
    actor: op.id,
    action: decision.kind === 'approved' ? 'review.approved' : 'review.overridden',
    entity: itemId,
    details:
      decision.kind === 'approved'
        ? { lpn: row.lpn }
        : { lpn: row.lpn, before: { grade: row.grade, disposition: row.disposition, destination: row.destination }, after, reason: decision.reason, ...(decision.routedBy ?? {}) },
  });
}

export async function approveSiteReview(pool: Pool, siteId: string, op: OperatorView, itemId: string, note?: string): Promise<void> {
  await inTransaction(pool, (c) => decide(c, siteId, op, itemId, () => ({ kind: 'approved', reason: note ?? null, after: null })));
}

/**
 * A lead's override from the hub, routed by the site's rule set (hub/ruleSets.ts) as a bench routes its own: a new
 * grade goes where the rules send it; a disposition named goes to the rule set's destination for it (or the one
 * the lead names).
 */
export async function overrideSiteReview(
  pool: Pool,
  siteId: string,
  op: OperatorView,
  input: { itemId: string; grade?: string | undefined; disposition?: string | undefined; destination?: string | undefined; reason: string },
): Promise<void> {
  await inTransaction(pool, async (c) => {
    const ev = await c.query<{ graded_event: string }>('SELECT graded_event FROM site_review_items WHERE site_id = $1 AND item_id = $2', [siteId, input.itemId]);
    const routed = ev.rows[0] ? await routeSiteOverride(c, siteId, ev.rows[0].graded_event, input) : null;
    await decide(c, siteId, op, input.itemId, (row) => ({
      kind: 'overridden',
      reason: input.reason,
      after: routed
        ? { grade: routed.grade, disposition: routed.disposition, destination: routed.destination }
        : { grade: input.grade ?? row.grade, disposition: input.disposition ?? row.disposition, destination: input.destination ?? row.destination },
      ...(routed ? { routedBy: { ruleId: routed.ruleId, ruleSetVersion: routed.ruleSetVersion } } : {}),
    }));
  });
}

/** Each item in its own transaction: one another lead decided meanwhile is skipped, not a reason to fail the rest. */
export async function bulkApproveSiteReview(pool: Pool, siteId: string, op: OperatorView, itemIds: readonly string[]): Promise<{ approved: string[]; skipped: string[] }> {
  const approved: string[] = [];
  const skipped: string[] = [];
  for (const id of new Set(itemIds)) {
    try {
      await approveSiteReview(pool, siteId, op, id);
      approved.push(id);
    } catch (err) {
      if (!(err instanceof SiteError)) throw err;
      skipped.push(id);
    }
  }
  return { approved, skipped };
}

/** The hub's decisions about items one bench graded, after `after`, in order: that bench pulls them. */
export async function decisionsFor(pool: Pool, siteId: string, stationId: string, after: number, limit: number): Promise<DecisionPage> {
  const r = await pool.query<{ seq: string; item_id: string; lpn: string; kind: 'approved' | 'overridden'; operator_id: string; decided_at: string; reason: string | null; after: DecisionPage['decisions'][number]['after'] }>(
    'SELECT * FROM site_review_decisions WHERE site_id = $1 AND station_id = $2 AND seq > $3 ORDER BY seq LIMIT $4',
    [siteId, stationId, after, limit],
  );
  const decisions = r.rows.map((d) => ({ seq: Number(d.seq), itemId: d.item_id, lpn: d.lpn, kind: d.kind, operatorId: d.operator_id, decidedAt: d.decided_at, reason: d.reason, after: d.after }));
  return { decisions, next: decisions.length === limit ? (decisions.at(-1)?.seq ?? null) : null };
}
