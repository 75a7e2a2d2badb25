import type { Category, Disposition, Grade, ReviewDetail, ReviewDetailResult, ReviewQueueItem, ReviewQueuePage, RuleSet, RuleSetSource } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { decideReview, findItem, itemContext, overrideItem, ruleSetOriginOf, type ItemRow } from '../../db/repositories/items.js';
import { listReviewItems, type ReviewListRow } from '../../db/repositories/review.js';
import { photosOfItem } from '../../db/repositories/photos.js';
import { findOperatorById } from '../../db/repositories/operators.js';
import { declarationView } from '../../db/repositories/customerPhotos.js';
import { releaseResolution, resolutionOfItem } from '../../db/repositories/resolutions.js';
import { findParcel } from '../../db/repositories/parcels.js';
import { lineSaleDetails } from '../../db/repositories/lookup.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { firedRule, route } from '../../domain/rules/route.js';
import { waitingMinutes } from '../../domain/review/waiting.js';
import { containsLikePattern, namesBench } from '../../domain/text/normalize.js';
import { ruleSetSha256 } from '../../shared-node/ruleSetHash.js';
import { routingFactsOf } from './itemFacts.js';
import { StationError } from './errors.js';
import type { relabelHandlers } from './relabel.js';
import type { SignedInOperator } from './session.js';
import type { reviewCalls } from '../../contract/calls/review.js';
import { signedIn as op, type CallsOf, type HandlersFor } from './dispatch.js';

/** Where an overridden disposition goes when the lead does not name a destination. */
export const DEFAULT_DESTINATIONS: Readonly<Record<Disposition, string>> = {
  restock: 'RESTOCK',
  resale: 'OUTLET',
  repair: 'REPAIR',
  disposal: 'RECYCLE',
  quarantine: 'QUARANTINE',
};

export interface ReviewServiceDeps {
  db: Db;
  stationId: string;
  ruleSet: () => RuleSet;
  /**
   * An earlier version from the table its source names (the site's v3 is not this bench's v3), to name the rule
   * that routed an item graded under it (core/workflow/rules.ts version); no source for an item graded before it was recorded.
   */
  ruleSetAt?: (version: number, source?: RuleSetSource) => RuleSet | undefined;
  onOutboxAppended: () => void;
  now?: () => Date;
}

export interface ReviewListQuery {
  status: 'pending' | 'decided' | 'all';
  flag?: string | undefined;
  disposition?: Disposition | undefined;
  minAgeMinutes?: number | undefined;
  /** The bench that graded, its whole id in any case: this bench holds only its own items, so all of them or none. */
  stationId?: string | undefined;
  /** Part of the grading operator's id, badge or name, in any case. */
  operatorId?: string | undefined;
  sort: 'oldest' | 'newest' | 'value';
  page: number;
  pageSize: number;
}

export interface OverrideInput {
  itemId: string;
  grade?: Grade | undefined;
  disposition?: Disposition | undefined;
  destination?: string | undefined;
  reason: string;
}

/** The lead review queue: flagged items wait here; approving or overriding releases their resolution. */
export class ReviewService {
  private readonly now: () => Date;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private queueItem(
    r: ReviewListRow | ItemRow,
    rmaNumber: string | null,
    category: Category | null,
    names?: { name: string | null; nameJa: string | null },
  ): ReviewQueueItem {
    const productName = names?.name ?? ('productName' in r ? r.productName : null);
    const productNameJa = names?.nameJa ?? ('productNameJa' in r ? r.productNameJa : null);
    const reviewedByName = 'reviewedByName' in r ? r.reviewedByName : r.reviewedBy === null ? null : (findOperatorById(this.deps.db, r.reviewedBy)?.name ?? null);
    const operatorName = 'operatorName' in r ? r.operatorName : (findOperatorById(this.deps.db, r.operatorId)?.name ?? null);
    const decided = r.reviewStatus === 'approved' || r.reviewStatus === 'overridden';
    return {
      productName,
      productNameJa,
      itemId: r.id,
      lpn: r.lpn,
      parcelId: r.parcelId,
      rmaNumber,
      sku: r.sku,
      kind: r.kind,
      category,
      grade: r.grade,
      disposition: r.disposition,
      flags: r.flags,
      reviewStatus: r.reviewStatus,
      gradedAt: r.gradedAt,
      // A decided item without its time (none is written so) reads as a time that does not parse, not as still waiting.
      ageMinutes: waitingMinutes(r.gradedAt, decided ? (r.reviewedAt ?? '') : null, this.now().getTime()),
      operatorId: r.operatorId,
      reviewedBy: r.reviewedBy,
      reviewedAt: r.reviewedAt,
      reviewedByName,
      // Said here too, not only at the hub: a bench behind a hub shows the bench column, also while the hub is away.
      stationId: this.deps.stationId,
      operatorName,
    };
  }

  list(q: ReviewListQuery): ReviewQueuePage {
    // Every item here was graded at this bench (items has no bench column; only grading inserts items).
    if (q.stationId !== undefined && !namesBench(q.stationId, this.deps.stationId)) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    const statuses = q.status === 'pending' ? (['pending'] as const) : q.status === 'decided' ? (['approved', 'overridden'] as const) : (['pending', 'approved', 'overridden'] as const);
    // Every item has waited at least 0 minutes: no filter.
    const minWaitMs = (q.minAgeMinutes ?? 0) * 60_000;
    const minWait = minWaitMs > 0 ? { ms: minWaitMs, gradedBefore: new Date(this.now().getTime() - minWaitMs).toISOString() } : undefined;
    const { rows, total } = listReviewItems(this.deps.db, {
      statuses,
      ...(q.flag ? { flag: q.flag } : {}),
      ...(q.disposition ? { disposition: q.disposition } : {}),
      ...(minWait ? { minWait } : {}),
      ...(q.operatorId ? { operatorLike: containsLikePattern(q.operatorId) } : {}),
      sort: q.sort,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return { items: rows.map((r) => this.queueItem(r, r.rmaNumber, r.category)), total, page: q.page, pageSize: q.pageSize };
  }

  private item(itemId: string): ItemRow {
    const item = findItem(this.deps.db, itemId);
    if (!item) throw new StationError('NOT_FOUND', 'error.noItem', 'That item is not known at this station.');
    return item;
  }

  get(itemId: string): ReviewDetailResult {
    const { db } = this.deps;
    const item = this.item(itemId);
    const parcel = findParcel(db, item.parcelId);
    const extra = itemContext(db, itemId);
    const res = resolutionOfItem(db, itemId);
    const identity: ReviewDetail['identity'] = {};
    if (item.gtin) identity.gtin = item.gtin;
    if (item.serial) identity.serial = item.serial;
    if (item.lot) identity.lot = item.lot;
    if (item.expiry) identity.expiry = item.expiry;
    if (item.epc) identity.epc = item.epc;
    const line = item.rmaLineId ? lineSaleDetails(db, item.rmaLineId) : undefined;
    const sold: NonNullable<ReviewDetail['sold']> = {};
    if (line?.serialNumber) sold.serial = line.serialNumber;
    if (line?.lot) sold.lot = line.lot;
    const origin = ruleSetOriginOf(item);
    const current = this.deps.ruleSet();
    const kept = origin ? this.deps.ruleSetAt?.(item.ruleSetVersion, origin.source) : current.version === item.ruleSetVersion ? current : this.deps.ruleSetAt?.(item.ruleSetVersion);
    // Explained only by the very rules that routed it: a kept version whose content differs (a shipped table
    // changed by an update under the same number) names no rule rather than the wrong one.
    const routedBy = kept && origin && ruleSetSha256(kept) !== origin.sha256 ? undefined : kept;
    const rule = firedRule(routedBy, item.ruleId);
    return {
      ...this.queueItem(item, parcel?.rmaNumber ?? null, extra?.category ?? null, extra ? { name: extra.name, nameJa: extra.nameJa } : undefined),
      expectedSku: item.expectedSku,
      lineId: item.rmaLineId,
      reason: extra?.reason ?? null,
      condition: item.condition,
      packaging: item.packaging,
      fault: item.fault,
      answers: item.answers,
      photos: photosOfItem(db, itemId),
      identity,
      ...(sold.serial || sold.lot ? { sold } : {}),
      ...(rule ? { rule } : {}),
      destination: item.destination,
      ruleId: item.ruleId,
      ruleSetVersion: item.ruleSetVersion,
      ...(origin ? { ruleSetOrigin: origin } : {}),
      explanation: item.explanation,
      reviewReason: item.reviewReason,
      resolution: res ? { status: res.status, recommendation: res.recommendation } : null,
      ...(parcel?.rmaNumber ? declarationView(db, parcel.rmaNumber) : undefined),
    };
  }

  /** Sends a held resolution on its way, now that a lead has looked at the item. Inside the caller's transaction. */
  private release(op: SignedInOperator, item: ItemRow, at: string): void {
    const { db, stationId } = this.deps;
    if (!releaseResolution(db, item.id, at)) return;
    const res = resolutionOfItem(db, item.id)!;
    const parcel = findParcel(db, item.parcelId);
    appendEvent(db, 'item', item.id, {
      type: 'resolution.recommended',
      payload: {
        itemId: item.id,
        lpn: item.lpn,
        rmaNumber: parcel?.rmaNumber ?? null,
        lineId: item.rmaLineId,
        recommendation: res.recommendation,
        approvedBy: op.id,
        stationId,
        recommendedAt: at,
      },
    }, at);
  }

  approve(op: SignedInOperator, itemId: string, note: string | undefined): ReviewDetailResult {
    const { db, stationId } = this.deps;
    const item = this.item(itemId);
    if (item.reviewStatus !== 'pending') throw new StationError('CONFLICT', 'error.notPendingReview', 'This item is not waiting for review.', { lpn: item.lpn });
    const at = this.now().toISOString();
    db.transaction(() => {
      if (!decideReview(db, itemId, { status: 'approved', by: op.id, at, reason: note ?? null })) {
        throw new StationError('CONFLICT', 'error.notPendingReview', 'This item is not waiting for review.', { lpn: item.lpn });
      }
      appendEvent(db, 'item', itemId, { type: 'item.approved', payload: { itemId, lpn: item.lpn, operatorId: op.id, stationId, reviewedAt: at } }, at);
      this.release(op, item, at);
      appendAudit(db, { operatorId: op.id, action: 'review.approved', entity: `item:${itemId}`, before: { reviewStatus: 'pending' }, after: { reviewStatus: 'approved', note: note ?? null }, at });
    })();
    this.deps.onOutboxAppended();
    return this.get(itemId);
  }

  /** Approves many at once; items no longer pending (another lead was quicker) are reported, not failed. */
  bulkApprove(op: SignedInOperator, itemIds: readonly string[]): { approved: string[]; skipped: string[] } {
    const approved: string[] = [];
    const skipped: string[] = [];
    for (const id of new Set(itemIds)) {
      try {
        this.approve(op, id, undefined);
        approved.push(id);
      } catch (err) {
        if (!(err instanceof StationError)) throw err;
        skipped.push(id);
      }
    }
    return { approved, skipped };
  }

  /**
   * A lead changes grade and/or disposition with a reason. A new grade alone is re-routed under the
   * current rules; a disposition given names where the item goes regardless.
   */
  override(op: SignedInOperator, input: OverrideInput): ReviewDetailResult {
    const { db, stationId } = this.deps;
    const item = this.item(input.itemId);
    const grade = input.grade ?? item.grade;
    let disposition: Disposition;
    let destination: string;
    if (input.disposition) {
      disposition = input.disposition;
      destination = input.destination ?? DEFAULT_DESTINATIONS[disposition];
    } else if (input.grade) {
      // Re-routed as if the lead's review cleared the flags: that is what the override decides.
      const decision = route(this.deps.ruleSet(), { ...routingFactsOf(db, item), grade, flags: [] });
      disposition = decision.disposition;
      destination = input.destination ?? decision.destination;
    } else {
      throw new StationError('INVALID_INPUT', 'error.invalidInput', 'Change the grade or the disposition.', { field: 'grade' });
    }
    const before = { grade: item.grade, disposition: item.disposition, destination: item.destination };
    const after = { grade, disposition, destination };
    const at = this.now().toISOString();
    db.transaction(() => {
      overrideItem(db, item.id, { by: op.id, at, reason: input.reason, ...after });
      appendEvent(db, 'item', item.id, {
        type: 'item.overridden',
        payload: { itemId: item.id, lpn: item.lpn, operatorId: op.id, stationId, reviewedAt: at, before, after, reason: input.reason },
      }, at);
      this.release(op, item, at);
      appendAudit(db, { operatorId: op.id, action: 'review.overridden', entity: `item:${item.id}`, before: { ...before, reviewStatus: item.reviewStatus }, after: { ...after, reason: input.reason }, at });
    })();
    this.deps.onOutboxAppended();
    return this.get(item.id);
  }
}

/** `relabel`: the site hub's re-routed items on this bench (relabel.ts), the rest of the review.* room. */
export function reviewHandlers(review: ReviewService, relabel: ReturnType<typeof relabelHandlers>): HandlersFor<CallsOf<typeof reviewCalls>> {
  return {
    ...relabel,
    'review.list': (_ctx, i) => review.list(i),
    'review.get': (_ctx, i) => review.get(i.itemId),
    'review.approve': (ctx, i) => review.approve(op(ctx), i.itemId, i.note),
    'review.override': (ctx, i) => review.override(op(ctx), i),
    'review.bulkApprove': (ctx, i) => review.bulkApprove(op(ctx), i.itemIds),
  };
}
