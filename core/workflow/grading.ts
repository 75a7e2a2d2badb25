import { randomUUID } from 'node:crypto';
import type {
  Category,
  CustomerDeclaration,
  FlagCode,
  Grade,
  GradedItem,
  GradedItemResult,
  GradeResult,
  GradingAnswers,
  GradingProfile,
  ItemIdentity,
  ItemKind,
  ItemLookup,
  ParcelLineView,
  PhotoReason,
  PrintOutcome,
  ReturnReason,
  RoutingFacts,
  RuleSet,
  RuleSetOrigin,
} from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import type { ItemLabel } from '../../contract/label.js';
import type { LabelOutput } from '../ports.js';
import { insertItem, itemLabelFacts, lookupItemByLpn, nextCounter } from '../../db/repositories/items.js';
import { latestLabelJob } from '../../db/repositories/printJobs.js';
import { findProductByGtin, findProductBySku, lineSaleDetails, rmaSaleDetails } from '../../db/repositories/lookup.js';
import { linkPhoto } from '../../db/repositories/photos.js';
import { parcelWeightGrams } from '../../db/repositories/parcelWeight.js';
import { insertResolution } from '../../db/repositories/resolutions.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { formatLpn, parseLpn } from '../../domain/identifiers/rma.js';
import { firedRule, route } from '../../domain/rules/route.js';
import { computeGrade, gradePhotoReasons, GradingAnswerError } from '../../domain/grading/evaluate.js';
import { profileFor } from '../../domain/grading/profiles/index.js';
import { StationError } from './errors.js';
import { NO_LINE_REASON } from './itemFacts.js';
import type { IntakeService } from './intake.js';
import type { SignedInOperator } from './session.js';
import type { gradingCalls } from '../../contract/calls/grading.js';
import type { itemCalls } from '../../contract/calls/item.js';
import { signedIn, type CallsOf, type HandlersFor } from './dispatch.js';
import { itemLabelOf, UNEXPECTED_LABEL_RMA } from './itemLabel.js';

/** Where labels go: an SVG for the screen and bytes for the bench printer. */
/** Everything the flag rules may look at for one item being graded. */
export interface FlagFacts {
  kind: ItemKind;
  blindReturn: boolean;
  rmaNumber: string | null;
  line: ParcelLineView | null;
  category: Category;
  priceJpy: number;
  reason: ReturnReason;
  grade: Grade;
  result: GradeResult | null;
  identity: ItemIdentity;
  now: Date;
  /** From the WMS's RMA and line (absent in older data). */
  sale?: {
    requestedAt?: string;
    deliveredAt?: string;
    customerReturnRate?: number;
    shopReturnPolicyDays?: number;
    requestedResolution?: string;
    soldSerial?: string;
    soldLot?: string;
    /** What the customer declared in the returns portal. */
    declaration?: CustomerDeclaration;
  };
  /** The parcel's weight on the bench scale beside what its expected items should weigh. */
  parcelWeight?: { measuredGrams: number; expectedGrams: number };
}

/** Computes flags for an item (the domain's flag rules, adapted by the composition root). */
export type FlagPolicy = (facts: FlagFacts) => FlagCode[];

/** The resolution the station recommends for an item on an RMA line; null when there is nothing to resolve. */
export type ResolutionPolicyFn = (facts: FlagFacts & { flags: FlagCode[] }) => { held: boolean; recommendation: Record<string, unknown> } | null;

/** Flags the station can tell from the item alone; the composition root adds the domain's richer rules. */
export const structuralFlags: FlagPolicy = (f) => {
  const flags = new Set<FlagCode>();
  if (f.kind === 'wrong') flags.add('wrong_item');
  if (f.blindReturn) flags.add('blind_return');
  if (f.result?.observations.includes('serial_mismatch')) flags.add('serial_mismatch');
  if (f.identity.expiry && f.identity.expiry < f.now.toISOString().slice(0, 10)) flags.add('expired_lot');
  return [...flags];
};

export interface GradingDeps {
  db: Db;
  stationId: string;
  intake: IntakeService;
  ruleSet: () => RuleSet;
  /** Where `ruleSet()` came from (shipped, this bench's own, the site's) and its hash, recorded on each item (RulesService.origin). */
  ruleSetOrigin: () => RuleSetOrigin;
  labels: LabelOutput;
  onOutboxAppended: () => void;
  now?: () => Date;
  flags?: FlagPolicy;
  resolution?: ResolutionPolicyFn;
  /** Photos named by hash must have been uploaded (photo.attach) first. */
  requirePhotos?: (hashes: readonly string[]) => void;
  profileFor?: (category: Category) => GradingProfile;
}

/** An item not on the RMA: identified by SKU or GTIN; a wrong item names the line it came instead of. */
export interface UnexpectedItem {
  kind: 'extra' | 'wrong';
  sku?: string | undefined;
  gtin?: string | undefined;
  insteadOfLineId?: string | undefined;
  category?: Category | undefined;
}

export interface GradeRequest {
  parcelId: string;
  lineId?: string | undefined;
  unexpected?: UnexpectedItem | undefined;
  /** A direct grade (the quick path); or answers to the category's grading profile. */
  grade?: Grade | undefined;
  answers?: GradingAnswers | undefined;
  photos?: readonly string[] | undefined;
  /** From parcel.matchItem for this line; the identity it stands for never leaves the station. */
  matchToken?: string | undefined;
  /** The language the label is printed in (the operator's); Japanese unless said. */
  language?: 'ja' | 'en' | undefined;
}

interface Subject {
  kind: ItemKind;
  line: ParcelLineView | null;
  sku: string;
  expectedSku: string | null;
  category: Category;
  priceJpy: number;
  reason: ReturnReason;
  productNameJa: string;
}

export class GradingService {
  private readonly now: () => Date;

  constructor(private readonly deps: GradingDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The category's profile: given by the caller, else published with the rule set that routes here, else shipped. */
  profile(category: Category): GradingProfile {
    if (this.deps.profileFor) return this.deps.profileFor(category);
    return this.deps.ruleSet().gradingProfiles?.find((p) => p.category === category) ?? profileFor(category);
  }

  /** The skeleton's signature: one line, one direct grade. */
  async grade(op: SignedInOperator, parcelId: string, lineId: string, grade: Grade): Promise<GradedItem> {
    return this.gradeItem(op, { parcelId, lineId, grade });
  }

  private subject(req: GradeRequest, lines: readonly ParcelLineView[], blindReturn: boolean): Subject {
    const { db } = this.deps;
    if (req.lineId !== undefined) {
      const line = lines.find((l) => l.lineId === req.lineId);
      if (!line) throw new StationError('NOT_FOUND', 'error.lineNotInParcel', 'That line is not part of this return.');
      if (line.receivedQty >= line.expectedQty) {
        // Over-receipt is the operator's decision (extra item or another line), never a silent extra count on this line.
        throw new StationError(
          'CONFLICT',
          'error.overReceipt',
          `Line ${line.sku} expects ${line.expectedQty} and already has ${line.receivedQty}: is this an extra item, or did it come instead of another line?`,
          { sku: line.sku, lineId: line.lineId, expected: line.expectedQty, received: line.receivedQty, gtin: line.gtin },
        );
      }
      return { kind: 'expected', line, sku: line.sku, expectedSku: null, category: line.category, priceJpy: line.priceJpy, reason: line.reason, productNameJa: line.productNameJa };
    }
    const u = req.unexpected;
    if (!u) throw new StationError('INVALID_INPUT', 'error.invalidInput', 'Say which line the item is, or grade it as a wrong or extra item.', { field: 'lineId' });
    const product = (u.sku ? findProductBySku(db, u.sku) : undefined) ?? (u.gtin ? findProductByGtin(db, u.gtin) : undefined);
    const sku = product?.sku ?? u.sku;
    if (!sku) {
      throw new StationError('NOT_FOUND', 'error.unknownProduct', 'This product is not in the catalogue: type its SKU.', { gtin: u.gtin ?? '' });
    }
    const category = product?.category ?? u.category;
    if (!category) throw new StationError('INVALID_INPUT', 'error.categoryNeeded', 'This product is not in the catalogue: choose its category.', { field: 'unexpected.category', sku });
    const base = { sku, category, priceJpy: product?.priceJpy ?? 0, productNameJa: product?.nameJa ?? sku };
    if (u.kind === 'extra') return { ...base, kind: 'extra', line: null, expectedSku: null, reason: NO_LINE_REASON };
    if (blindReturn) throw new StationError('CONFLICT', 'error.blindNoWrongItem', 'A parcel without a return has no expected items: grade it as an extra item.');
    const line = lines.find((l) => l.lineId === u.insteadOfLineId);
    if (!line) throw new StationError('NOT_FOUND', 'error.lineNotInParcel', 'Choose the line this item came instead of.', { field: 'unexpected.insteadOfLineId' });
    if (line.sku === sku) throw new StationError('CONFLICT', 'error.notAWrongItem', 'This is the expected product: grade it on its line.', { sku });
    return { ...base, kind: 'wrong', line, expectedSku: line.sku, reason: line.reason };
  }

  private evaluate(req: GradeRequest, s: Subject): { grade: Grade; result: GradeResult | null; photoReasons: PhotoReason[] } {
    if (!req.answers) {
      if (!req.grade) throw new StationError('INVALID_INPUT', 'error.invalidInput', 'Give a grade or answer the grading questions.', { field: 'grade' });
      // The quick path owes the same photos as the question walk: the profile's photo grades (scrap) and a wrong item.
      return { grade: req.grade, result: null, photoReasons: gradePhotoReasons(this.profile(s.category), req.grade, { wrongItem: s.kind === 'wrong' }) };
    }
    let result: GradeResult;
    try {
      result = computeGrade(this.profile(s.category), req.answers, { wrongItem: s.kind === 'wrong' });
    } catch (err) {
      if (err instanceof GradingAnswerError) {
        throw new StationError('INVALID_INPUT', 'error.gradingAnswer', err.message, { field: `answers.${err.questionId}`, question: err.questionId });
      }
      throw err;
    }
    if (!result.complete) {
      throw new StationError('INVALID_INPUT', 'error.gradingIncomplete', 'Answer every grading question first.', { profile: result.profileId });
    }
    if (req.grade && req.grade !== result.grade) {
      throw new StationError('CONFLICT', 'error.gradeDisagrees', `The answers give grade ${result.grade}, not ${req.grade}.`, { computed: result.grade });
    }
    return { grade: result.grade, result, photoReasons: result.photoReasons };
  }

  private saleOf(rmaNumber: string | null, lineId: string | null): NonNullable<FlagFacts['sale']> {
    const sale: NonNullable<FlagFacts['sale']> = {};
    const rma = rmaNumber ? rmaSaleDetails(this.deps.db, rmaNumber) : undefined;
    if (rma) {
      sale.requestedAt = rma.requestedAt;
      if (rma.deliveredAt) sale.deliveredAt = rma.deliveredAt;
      if (rma.customerReturnRate !== null) sale.customerReturnRate = rma.customerReturnRate;
      if (rma.shopReturnPolicyDays !== null) sale.shopReturnPolicyDays = rma.shopReturnPolicyDays;
      if (rma.declaration) sale.declaration = rma.declaration;
    }
    const line = lineId ? lineSaleDetails(this.deps.db, lineId) : undefined;
    if (line?.resolution) sale.requestedResolution = line.resolution;
    if (line?.serialNumber) sale.soldSerial = line.serialNumber;
    if (line?.lot) sale.soldLot = line.lot;
    return sale;
  }

  /**
   * Grades one item: the item, its LPN, photos, flags, routing, the held or released resolution, the WMS
   * events and the audit entry commit together; then the label prints.
   */
  async gradeItem(op: SignedInOperator, req: GradeRequest, sessionKey = ''): Promise<GradedItemResult> {
    const { db, stationId } = this.deps;
    const { parcel: row, rmaNumber: parcelRma, lines } = this.deps.intake.lines(req.parcelId);
    const weightGrams = parcelWeightGrams(db, req.parcelId);
    const parcel = { status: row.status, blindReturn: row.blindReturn, rmaNumber: parcelRma, lines, weightGrams: weightGrams ?? undefined };
    if (parcel.status !== 'open') throw new StationError('CONFLICT', 'error.parcelClosed', 'This parcel is already closed.');
    // The unit's serial, lot and EPC come only from the station's own record of the scan.
    const matches = this.deps.intake.matches;
    const identity: ItemIdentity =
      req.matchToken !== undefined && req.lineId !== undefined
        ? matches.identityFor(req.matchToken, { sessionKey, operatorId: op.id, parcelId: req.parcelId, lineId: req.lineId })
        : {};
    const blindReturn = parcel.blindReturn ?? false;
    const s = this.subject(req, parcel.lines, blindReturn);
    const { grade, result, photoReasons } = this.evaluate(req, s);
    const photos = [...new Set(req.photos ?? [])];
    if (photoReasons.length > 0 && photos.length === 0) {
      throw new StationError('INVALID_INPUT', 'error.photosRequired', 'Take a photo of the item first.', { reasons: photoReasons.join(',') });
    }
    this.deps.requirePhotos?.(photos);

    const now = this.now();
    const facts: FlagFacts = {
      kind: s.kind,
      blindReturn,
      rmaNumber: parcel.rmaNumber || null,
      line: s.line,
      category: s.category,
      priceJpy: s.priceJpy,
      reason: s.reason,
      grade,
      result,
      identity,
      now,
      sale: this.saleOf(parcel.rmaNumber || null, s.line?.lineId ?? null),
    };
    const expectedGrams = parcel.lines.reduce((sum, l) => sum + (l.weightGrams ?? 0) * l.expectedQty, 0);
    if (parcel.weightGrams !== undefined && expectedGrams > 0) facts.parcelWeight = { measuredGrams: parcel.weightGrams, expectedGrams };
    const flags = [...new Set([...structuralFlags(facts), ...(this.deps.flags?.(facts) ?? [])])].sort();
    // Contradicting the customer's declaration needs the bench's own evidence for the lead to set beside theirs.
    if (flags.includes('declared_condition_mismatch') && photos.length === 0) {
      throw new StationError('INVALID_INPUT', 'error.photosRequired', 'Take a photo of the item first.', { reasons: 'damage' });
    }
    const routingFacts: RoutingFacts = { grade, category: s.category, reason: s.reason, priceJpy: s.priceJpy, flags };
    if (result?.packaging) routingFacts.packaging = result.packaging;
    if (result) {
      routingFacts.condition = result.condition;
      routingFacts.fault = result.faultAttribution;
    }
    const ruleSet = this.deps.ruleSet();
    const ruleSetOrigin = this.deps.ruleSetOrigin();
    const routing = { ...route(ruleSet, routingFacts), ruleSetOrigin };
    const reviewPending = flags.length > 0;
    const resolution = s.line && s.kind === 'expected' ? (this.deps.resolution?.({ ...facts, flags }) ?? null) : null;
    const held = resolution !== null && (resolution.held || reviewPending);

    const itemId = randomUUID();
    const gradedAt = now.toISOString();
    const rmaNumber = parcel.rmaNumber || null;
    const lineId = s.line?.lineId ?? null;

    const { lpn, eventId } = db.transaction(() => {
      const lpn = formatLpn(stationId, nextCounter(db, 'lpn'));
      insertItem(db, {
        id: itemId,
        lpn,
        parcelId: req.parcelId,
        rmaLineId: lineId,
        sku: s.sku,
        grade,
        disposition: routing.disposition,
        destination: routing.destination,
        ruleId: routing.ruleId,
        ruleSetVersion: routing.ruleSetVersion,
        ruleSetSource: ruleSetOrigin.source,
        ruleSetSourceId: ruleSetOrigin.sourceId ?? null,
        ruleSetSha256: ruleSetOrigin.sha256,
        operatorId: op.id,
        gradedAt,
        kind: s.kind,
        expectedSku: s.expectedSku,
        gtin: identity.gtin ?? null,
        serial: identity.serial ?? null,
        lot: identity.lot ?? null,
        expiry: identity.expiry ?? null,
        epc: identity.epc ?? null,
        condition: result?.condition ?? null,
        packaging: result?.packaging ?? null,
        fault: result?.faultAttribution ?? null,
        profileId: result?.profileId ?? null,
        profileVersion: result?.profileVersion ?? null,
        answers: req.answers ?? null,
        flags,
        explanation: routing.explanation,
        reviewStatus: reviewPending ? 'pending' : 'none',
      });
      for (const h of photos) linkPhoto(db, itemId, h, op.id, gradedAt);
      const payload = {
        itemId,
        lpn,
        parcelId: req.parcelId,
        rmaNumber,
        lineId,
        sku: s.sku,
        kind: s.kind,
        expectedSku: s.expectedSku,
        ...definedOnly(identity),
        ...(result ? { condition: result.condition, fault: result.faultAttribution, ...(result.packaging ? { packaging: result.packaging } : {}) } : {}),
        flags,
        heldForReview: reviewPending,
        // By hash: sync uploads each blob before it sends this event.
        ...(photos.length > 0 ? { photos } : {}),
        grade,
        disposition: routing.disposition,
        destination: routing.destination,
        ruleId: routing.ruleId,
        ruleSetVersion: routing.ruleSetVersion,
        ruleSetOrigin,
        operatorId: op.id,
        stationId,
        gradedAt,
      };
      const event = appendEvent(db, 'item', itemId, { type: 'item.graded', payload }, gradedAt);
      if (resolution) {
        insertResolution(db, {
          id: randomUUID(),
          itemId,
          rmaNumber,
          rmaLineId: lineId,
          recommendation: resolution.recommendation,
          status: held ? 'held' : 'released',
          createdAt: gradedAt,
        });
        if (!held) {
          appendEvent(db, 'item', itemId, {
            type: 'resolution.recommended',
            payload: { itemId, lpn, rmaNumber, lineId, recommendation: resolution.recommendation, stationId, recommendedAt: gradedAt },
          }, gradedAt);
        }
      }
      appendAudit(db, {
        operatorId: op.id,
        action: 'item.graded',
        entity: `item:${itemId}`,
        after: { lpn, kind: s.kind, sku: s.sku, grade, routing, flags, photos, answers: req.answers ?? null },
        at: gradedAt,
      });
      return { lpn, eventId: event.idempotencyKey };
    })();
    // Spent only once the grade has committed: a refusal above leaves the scan usable for the retry.
    if (req.matchToken !== undefined) matches.consume(req.matchToken);
    this.deps.onOutboxAppended();

    const label: ItemLabel = {
      lpn,
      sku: s.sku,
      productName: s.productNameJa,
      grade,
      disposition: routing.disposition,
      destination: routing.destination,
      rmaNumber: rmaNumber ?? UNEXPECTED_LABEL_RMA,
      stationId,
      printedAt: gradedAt,
      language: req.language ?? 'ja',
    };
    const print = await this.deps.labels.print(label);
    const rule = firedRule(ruleSet, routing.ruleId);
    const out: GradedItemResult = {
      itemId,
      lpn,
      parcelId: req.parcelId,
      sku: s.sku,
      grade,
      routing,
      print,
      outboxEventId: eventId,
      kind: s.kind,
      flags,
      reviewStatus: reviewPending ? 'pending' : 'none',
      ...(rule ? { rule } : {}),
    };
    if (result) {
      out.condition = result.condition;
      out.packaging = result.packaging;
      out.fault = result.faultAttribution;
    }
    return out;
  }

  /**
   * The label of a graded item as the screen shows it: the same fields item.grade printed, from the item's
   * row (a lead's later decision shows here too; the relabel list prints it). The SVG's barcode is the
   * slow part of a label (bwip-js, about 1.5 ms), so the result screen asks for it after the grade returned.
   */
  lookup(lpn: string): ItemLookup {
    return lookupItem(this.deps.db, lpn);
  }

  labelPreview(itemId: string, language: 'ja' | 'en' = 'ja'): { labelSvg: string } {
    const facts = itemLabelFacts(this.deps.db, itemId);
    if (!facts) throw new StationError('NOT_FOUND', 'error.noItem', 'That item is not known at this station.');
    const label = itemLabelOf(facts, { stationId: this.deps.stationId, printedAt: facts.gradedAt, language });
    return { labelSvg: this.deps.labels.preview(label) };
  }
}

/** The item a scanned or typed LPN names, with what the station knows about it (item.lookup). */
export function lookupItem(db: Db, code: string): ItemLookup {
  const parsed = parseLpn(code);
  const row = parsed.ok ? lookupItemByLpn(db, parsed.value) : undefined;
  if (!row) {
    throw new StationError('NOT_FOUND', 'error.noItemForLpn', `No item with the label ${code} was graded at this station.`, { lpn: parsed.ok ? parsed.value : code });
  }
  return { ...row, labelPrinted: latestLabelJob(db, row.lpn) !== undefined };
}

function definedOnly(identity: ItemIdentity): ItemIdentity {
  return Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined)) as ItemIdentity;
}

export function itemHandlers(grading: GradingService): HandlersFor<CallsOf<typeof itemCalls>> {
  return {
    'item.grade': (ctx, i) => grading.gradeItem(signedIn(ctx), i, ctx.sessionKey),
    'item.labelPreview': (_ctx, i) => grading.labelPreview(i.itemId, i.language),
    'item.lookup': (_ctx, i) => grading.lookup(i.lpn),
  };
}

export function gradingHandlers(grading: GradingService): HandlersFor<CallsOf<typeof gradingCalls>> {
  return { 'grading.profile': (_ctx, i) => grading.profile(i.category) };
}
