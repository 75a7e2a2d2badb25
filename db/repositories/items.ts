import { z } from 'zod';
import {
  Category,
  Disposition,
  FaultAttribution,
  FlagCode,
  Grade,
  GradingAnswers,
  ItemCondition,
  ItemKind,
  ItemLookup,
  PackagingState,
  ReturnReason,
  ReviewStatus,
  RuleSetSource,
  type RuleSetOrigin,
} from '../../contract/index.js';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

/** Stored flags: codes the station no longer knows (older data) are dropped, not fatal. */
const StoredFlags = z.string().transform((json): FlagCode[] => {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((c): c is FlagCode => FlagCode.safeParse(c).success) : [];
});

const StoredAnswers = z
  .string()
  .nullable()
  .transform((json): GradingAnswers | null => (json === null ? null : GradingAnswers.parse(JSON.parse(json))));

/** One graded item, as every service sees it: camelCase, typed, JSON columns already parsed. */
export const ItemRow = z.object({
  id: z.string(),
  lpn: z.string(),
  parcelId: z.string(),
  rmaLineId: z.string().nullable(),
  sku: z.string(),
  grade: Grade,
  disposition: Disposition,
  destination: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.number().int(),
  /** Whose rule set routed it and its content hash (migration 016); null for items graded before. */
  ruleSetSource: RuleSetSource.nullable(),
  ruleSetSourceId: z.string().nullable(),
  ruleSetSha256: z.string().nullable(),
  operatorId: z.string(),
  gradedAt: z.string(),
  kind: ItemKind,
  expectedSku: z.string().nullable(),
  gtin: z.string().nullable(),
  serial: z.string().nullable(),
  lot: z.string().nullable(),
  expiry: z.string().nullable(),
  epc: z.string().nullable(),
  condition: ItemCondition.nullable(),
  packaging: PackagingState.nullable(),
  fault: FaultAttribution.nullable(),
  profileId: z.string().nullable(),
  profileVersion: z.number().int().nullable(),
  answers: StoredAnswers,
  flags: StoredFlags,
  explanation: z.string().nullable(),
  reviewStatus: ReviewStatus,
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewReason: z.string().nullable(),
  containerId: z.string().nullable(),
});
export type ItemRow = z.output<typeof ItemRow>;

const ITEM_COLUMNS = `id, lpn, parcel_id AS parcelId, rma_line_id AS rmaLineId, sku, grade, disposition, destination, rule_id AS ruleId,
  rule_set_version AS ruleSetVersion, rule_set_source AS ruleSetSource, rule_set_source_id AS ruleSetSourceId, rule_set_sha256 AS ruleSetSha256,
  operator_id AS operatorId, graded_at AS gradedAt, kind, expected_sku AS expectedSku, gtin, serial,
  lot, expiry, epc, condition, packaging, fault, profile_id AS profileId, profile_version AS profileVersion, answers_json AS answers,
  flags_json AS flags, explanation, review_status AS reviewStatus, reviewed_by AS reviewedBy, reviewed_at AS reviewedAt,
  review_reason AS reviewReason, container_id AS containerId`;

/** The item's RuleSetOrigin as the contract sends it; undefined for an item graded before it was recorded. */
export function ruleSetOriginOf(item: Pick<ItemRow, 'ruleSetSource' | 'ruleSetSourceId' | 'ruleSetSha256'>): RuleSetOrigin | undefined {
  if (item.ruleSetSource === null || item.ruleSetSha256 === null) return undefined;
  return { source: item.ruleSetSource, ...(item.ruleSetSourceId !== null ? { sourceId: item.ruleSetSourceId } : {}), sha256: item.ruleSetSha256 };
}

function one(row: unknown): ItemRow | undefined {
  return row === undefined ? undefined : ItemRow.parse(row);
}

function many(rows: unknown[]): ItemRow[] {
  return rows.map((r) => ItemRow.parse(r));
}

/** Columns a new item may leave out; review outcomes and the container come later. */
type Defaulted = 'ruleSetSource' | 'ruleSetSourceId' | 'ruleSetSha256' | 'kind' | 'expectedSku' | 'gtin' | 'serial' | 'lot' | 'expiry' | 'epc' | 'condition' | 'packaging' | 'fault' | 'profileId' | 'profileVersion' | 'answers' | 'flags' | 'explanation';
type Later = 'reviewStatus' | 'reviewedBy' | 'reviewedAt' | 'reviewReason' | 'containerId';

export type NewItem = Omit<ItemRow, Defaulted | Later> & Partial<Pick<ItemRow, Defaulted>> & { reviewStatus?: 'none' | 'pending' };

export function insertItem(db: Db, item: NewItem): void {
  prepared(db,
    `INSERT INTO items (id, lpn, parcel_id, rma_line_id, sku, grade, disposition, destination, rule_id, rule_set_version,
                        rule_set_source, rule_set_source_id, rule_set_sha256, operator_id, graded_at,
                        kind, expected_sku, gtin, serial, lot, expiry, epc, condition, packaging, fault, profile_id, profile_version,
                        answers_json, flags_json, explanation, review_status)
     VALUES (@id, @lpn, @parcelId, @rmaLineId, @sku, @grade, @disposition, @destination, @ruleId, @ruleSetVersion,
             @ruleSetSource, @ruleSetSourceId, @ruleSetSha256, @operatorId, @gradedAt,
             @kind, @expectedSku, @gtin, @serial, @lot, @expiry, @epc, @condition, @packaging, @fault, @profileId, @profileVersion,
             @answers, @flags, @explanation, @reviewStatus)`,
  ).run({
    id: item.id,
    lpn: item.lpn,
    parcelId: item.parcelId,
    rmaLineId: item.rmaLineId,
    sku: item.sku,
    grade: item.grade,
    disposition: item.disposition,
    destination: item.destination,
    ruleId: item.ruleId,
    ruleSetVersion: item.ruleSetVersion,
    ruleSetSource: item.ruleSetSource ?? null,
    ruleSetSourceId: item.ruleSetSourceId ?? null,
    ruleSetSha256: item.ruleSetSha256 ?? null,
    operatorId: item.operatorId,
    gradedAt: item.gradedAt,
    kind: item.kind ?? 'expected',
    expectedSku: item.expectedSku ?? null,
    gtin: item.gtin ?? null,
    serial: item.serial ?? null,
    lot: item.lot ?? null,
    expiry: item.expiry ?? null,
    epc: item.epc ?? null,
    condition: item.condition ?? null,
    packaging: item.packaging ?? null,
    fault: item.fault ?? null,
    profileId: item.profileId ?? null,
    profileVersion: item.profileVersion ?? null,
    answers: item.answers ? JSON.stringify(item.answers) : null,
    flags: JSON.stringify(item.flags ?? []),
    explanation: item.explanation ?? null,
    reviewStatus: item.reviewStatus ?? 'none',
  });
}

// Schemas live at module level: zod compiles each new object schema on its first parse (about 0.2 ms), so one
// built inside a function is compiled again on every call (issue 16: once per graded item).
const CounterRow = z.object({ value: z.number().int() });

/** Next value of a named counter; call inside the transaction that uses it so a crash cannot hand it out twice. */
export function nextCounter(db: Db, name: string): number {
  const row = CounterRow.parse(prepared(db, 'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value').get(name));
  return row.value;
}

export function findItem(db: Db, id: string): ItemRow | undefined {
  return one(prepared(db, `SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`).get(id));
}

export function findItemByLpn(db: Db, lpn: string): ItemRow | undefined {
  return one(prepared(db, `SELECT ${ITEM_COLUMNS} FROM items WHERE lpn = ?`).get(lpn));
}

/** The latest item graded with this serial or EPC (a unit coming back again, or a relabelled one). */
export function findItemBySerial(db: Db, serial: string): ItemRow | undefined {
  return one(prepared(db, `SELECT ${ITEM_COLUMNS} FROM items WHERE serial = ? ORDER BY graded_at DESC LIMIT 1`).get(serial));
}

export function findItemByEpc(db: Db, epc: string): ItemRow | undefined {
  return one(prepared(db, `SELECT ${ITEM_COLUMNS} FROM items WHERE epc = ? ORDER BY graded_at DESC LIMIT 1`).get(epc));
}

export function itemsOfParcel(db: Db, parcelId: string): ItemRow[] {
  return many(prepared(db, `SELECT ${ITEM_COLUMNS} FROM items WHERE parcel_id = ? ORDER BY graded_at, lpn`).all(parcelId));
}

/** The most recently graded items, newest first: the sample a rules dry run re-routes. */
export function recentItems(db: Db, limit: number): ItemRow[] {
  return many(prepared(db, `SELECT ${ITEM_COLUMNS} FROM items ORDER BY graded_at DESC, lpn DESC LIMIT ?`).all(limit));
}

/** What the catalogue and the RMA line say about an item: the rest of the facts the rules route on. */
export const ItemContext = z.object({
  category: Category.nullable(),
  priceJpy: z.number().int().nullable(),
  reason: ReturnReason.nullable(),
  name: z.string().nullable(),
  nameJa: z.string().nullable(),
});
export type ItemContext = z.output<typeof ItemContext>;

export function itemContext(db: Db, itemId: string): ItemContext | undefined {
  const row = prepared(db,
      `SELECT p.category, p.price_jpy AS priceJpy, l.reason, p.name, p.name_ja AS nameJa FROM items i LEFT JOIN products p ON p.sku = i.sku
         LEFT JOIN rma_lines l ON l.id = i.rma_line_id WHERE i.id = ?`,
    )
    .get(itemId);
  return row === undefined ? undefined : ItemContext.parse(row);
}

/** What an item's label printed at grading: the item as graded, its RMA and the product's Japanese name. */
export interface ItemLabelFacts {
  lpn: string;
  sku: string;
  /** The catalogue's Japanese name; null when the product is not in the catalogue (the label shows the SKU). */
  nameJa: string | null;
  grade: string;
  disposition: string;
  destination: string;
  rmaNumber: string | null;
  gradedAt: string;
}

export function itemLabelFacts(db: Db, itemId: string): ItemLabelFacts | undefined {
  return prepared(
    db,
    `SELECT i.lpn, i.sku, pr.name_ja AS nameJa, i.grade, i.disposition, i.destination, pa.rma_number AS rmaNumber, i.graded_at AS gradedAt
       FROM items i JOIN parcels pa ON pa.id = i.parcel_id LEFT JOIN products pr ON pr.sku = i.sku
      WHERE i.id = ?`,
  ).get(itemId) as ItemLabelFacts | undefined;
}

export interface ReviewDecision {
  status: 'approved' | 'overridden';
  by: string;
  at: string;
  reason: string | null;
  grade?: Grade;
  disposition?: Disposition;
  destination?: string;
}

/** Records a lead's decision on a pending item; false if it was not waiting for review. */
export function decideReview(db: Db, itemId: string, d: ReviewDecision): boolean {
  const info = prepared(db,
      `UPDATE items SET review_status = @status, reviewed_by = @by, reviewed_at = @at, review_reason = @reason,
              grade = COALESCE(@grade, grade), disposition = COALESCE(@disposition, disposition), destination = COALESCE(@destination, destination)
        WHERE id = @id AND review_status = 'pending'`,
    )
    .run({ id: itemId, status: d.status, by: d.by, at: d.at, reason: d.reason, grade: d.grade ?? null, disposition: d.disposition ?? null, destination: d.destination ?? null });
  return info.changes === 1;
}

/** A lead overriding an item that was not flagged: same record, no pending state required. */
export function overrideItem(db: Db, itemId: string, d: Required<Pick<ReviewDecision, 'by' | 'at' | 'grade' | 'disposition' | 'destination'>> & { reason: string }): boolean {
  const info = prepared(db,
      `UPDATE items SET review_status = 'overridden', reviewed_by = @by, reviewed_at = @at, review_reason = @reason,
              grade = @grade, disposition = @disposition, destination = @destination WHERE id = @id`,
    )
    .run({ id: itemId, ...d });
  return info.changes === 1;
}

export function setItemContainer(db: Db, itemId: string, containerId: string): void {
  prepared(db, 'UPDATE items SET container_id = ? WHERE id = ?').run(containerId, itemId);
}

/** Items of a parcel that were extra become expected when a lead links the parcel to an RMA listing their SKU. */
export function attachItemToLine(db: Db, itemId: string, lineId: string): void {
  prepared(db, "UPDATE items SET rma_line_id = ?, kind = 'expected' WHERE id = ?").run(lineId, itemId);
}

/** An item by its LPN with the names the station shows for it (product, operator) and its parcel; see item.lookup. */
// The contract's answer but for the label job, which the caller reads from the print queue.
export const ItemLookupRow = ItemLookup.omit({ labelPrinted: true });
export type ItemLookupRow = z.output<typeof ItemLookupRow>;

export function lookupItemByLpn(db: Db, lpn: string): ItemLookupRow | undefined {
  const row: unknown = prepared(
    db,
    `SELECT i.id AS itemId, i.lpn, i.sku, pr.name, pr.name_ja AS nameJa, i.kind, i.grade, i.disposition, i.destination,
            i.parcel_id AS parcelId, pa.status AS parcelStatus, COALESCE(pa.rma_number, '') AS rmaNumber, i.review_status AS reviewStatus,
            COALESCE(rv.name, i.reviewed_by) AS reviewedBy, i.reviewed_at AS reviewedAt, i.graded_at AS gradedAt, i.operator_id AS operatorId,
            op.name AS operatorName
       FROM items i JOIN parcels pa ON pa.id = i.parcel_id LEFT JOIN products pr ON pr.sku = i.sku LEFT JOIN operators op ON op.id = i.operator_id
            LEFT JOIN operators rv ON rv.id = i.reviewed_by
      WHERE i.lpn = ?`,
  ).get(lpn);
  return row === undefined ? undefined : ItemLookupRow.parse(row);
}
