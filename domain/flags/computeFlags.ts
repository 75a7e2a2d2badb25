import { FlagConfig, type CustomerDeclaration, type Flag, type FlagCode, type FlagConfigInput, type Grade, type GradeResult, type ReturnReason } from '../../contract/index.js';
import { checkReturnWindow, jstDate } from './returnWindow.js';

export interface FlagInput {
  /** The RMA line's reason; null for a blind return. */
  reason: ReturnReason | null;
  /**
   * What grading found (may be absent before grading, e.g. for parcel-level flags). A quick direct grade
   * knows only the grade: the checks that need condition, fault or observations then do not apply.
   */
  grade?: Pick<GradeResult, 'grade'> & Partial<Pick<GradeResult, 'condition' | 'faultAttribution' | 'observations'>>;
  /** SKU the RMA line expected, and the SKU actually received. */
  expectedSku?: string | null;
  receivedSku?: string;
  /** Serial sold on the line, and the serial scanned on the item. */
  expectedSerial?: string;
  scannedSerial?: string;
  /** Lot sold on the line, and the lot scanned on the item (GS1 AI 10). */
  expectedLot?: string;
  scannedLot?: string;
  /** Expected parcel weight (sum of products) and the scale reading, when a scale is present. */
  expectedWeightGrams?: number;
  measuredWeightGrams?: number;
  priceJpy?: number;
  /** From the WMS (Rma.customerReturnRate), 0–1. */
  customerReturnRate?: number;
  deliveredAt?: string;
  /** When the customer asked to return (RMA createdAt); the parcel's arrival is used when absent. */
  requestedAt?: string;
  receivedAt?: string;
  /** The shop's policy from the RMA; falls back to the config, then to the statutory window. */
  shopReturnPolicyDays?: number;
  /** GS1 expiry (AI 17) as YYYY-MM-DD. */
  expiry?: string;
  blindReturn?: boolean;
  /** What the customer declared in the returns portal (Rma.declaration), photos included as evidence. */
  declaration?: Pick<CustomerDeclaration, 'condition' | 'complete'> & Partial<Pick<CustomerDeclaration, 'photos'>>;
  /** Now, ISO: "today" for expiry is the Japanese calendar day of this instant. */
  now: string;
}

// Reasons that are the customer's choice; a damaged or wrong delivery is the shop's
// non-conformity, which no return window limits.
const WINDOW_REASONS: ReadonlySet<ReturnReason> = new Set(['size', 'colour', 'changed_mind']);
const DAMAGE_CONDITIONS = new Set(['damaged', 'defective', 'unusable']);
// "Unused with tags" is a promise of resaleable-as-new: a bench grade of B (visibly used) or below breaks it.
const WORSE_THAN_A: ReadonlySet<Grade> = new Set(['B', 'C', 'D', 'scrap']);

const yen = (n: number): string => `¥${n.toLocaleString('en-US')}`;
const pct = (r: number): string => `${Math.round(r * 100)}%`;
// Serials and lots are compared as people write them down: case, spaces and hyphens are not what tells units apart.
const normalizeSerial = (s: string): string => s.trim().toUpperCase().replace(/[\s-]/g, '');

/** Whether two serials (or two lots) name the same unit (or lot), as serial_mismatch and lot_mismatch compare them. */
export function sameSerialOrLot(a: string, b: string): boolean {
  return normalizeSerial(a) === normalizeSerial(b);
}

/** Every flag that holds for one item, in FlagCode order. Pure: the caller gathers the facts. */
export function computeFlags(input: FlagInput, configInput: FlagConfigInput = {}): Flag[] {
  const config = FlagConfig.parse(configInput);
  const flags: Flag[] = [];
  const add = (code: FlagCode, en: string, ja: string, detail: Flag['detail'] = {}, extra: Partial<Flag> = {}): void => {
    flags.push({ code, explanation: { en, ja }, detail, ...extra });
  };
  const g = input.grade;

  if (g && input.reason === 'damaged' && (g.grade === 'N' || g.grade === 'S')) {
    add('reason_condition_mismatch', `Returned as damaged, but graded ${g.grade}.`, `破損として返品されましたが、${g.grade}判定です。`, { reason: input.reason, grade: g.grade });
  } else if (g?.condition && input.reason === 'changed_mind' && g.faultAttribution === 'customer' && DAMAGE_CONDITIONS.has(g.condition)) {
    add('reason_condition_mismatch', `Returned for a change of mind, but the customer damaged it (${g.condition}).`, `お客様都合の返品ですが、お客様による損傷があります（${g.condition}）。`, {
      reason: input.reason,
      condition: g.condition,
    });
  }

  if (input.expectedSku && input.receivedSku && input.expectedSku !== input.receivedSku) {
    add('wrong_item', `Expected ${input.expectedSku}, received ${input.receivedSku}.`, `${input.expectedSku} のはずが ${input.receivedSku} が届きました。`, {
      expectedSku: input.expectedSku,
      receivedSku: input.receivedSku,
    });
  }

  const serialDiffers = input.expectedSerial !== undefined && input.scannedSerial !== undefined && !sameSerialOrLot(input.expectedSerial, input.scannedSerial);
  if (serialDiffers || g?.observations?.includes('serial_mismatch')) {
    add(
      'serial_mismatch',
      serialDiffers ? `Serial ${input.scannedSerial} is not the one sold (${input.expectedSerial}).` : 'The serial number does not match the sale.',
      serialDiffers ? `シリアル番号 ${input.scannedSerial} は販売時（${input.expectedSerial}）と一致しません。` : 'シリアル番号が販売時と一致しません。',
      { expectedSerial: input.expectedSerial ?? null, scannedSerial: input.scannedSerial ?? null },
    );
  }

  if (input.expectedLot !== undefined && input.scannedLot !== undefined && !sameSerialOrLot(input.expectedLot, input.scannedLot)) {
    add('lot_mismatch', `Lot differs: sold ${input.expectedLot}, returned ${input.scannedLot}.`, `ロットが異なります：販売時 ${input.expectedLot}、返品 ${input.scannedLot}。`, {
      expectedLot: input.expectedLot,
      scannedLot: input.scannedLot,
    });
  }

  const expected = input.expectedWeightGrams;
  const measured = input.measuredWeightGrams;
  if (expected !== undefined && measured !== undefined && expected > 0 && measured < expected * config.emptyBoxWeightRatio) {
    add('empty_box', `Weighs ${measured} g, expected about ${expected} g: the box may be empty.`, `重量 ${measured} g（想定 約${expected} g）：空箱の可能性があります。`, {
      expectedGrams: expected,
      measuredGrams: measured,
    });
  }

  if (input.priceJpy !== undefined && input.priceJpy >= config.highValueJpy) {
    add('high_value', `High value: ${yen(input.priceJpy)} (threshold ${yen(config.highValueJpy)}).`, `高額商品：${yen(input.priceJpy)}（基準 ${yen(config.highValueJpy)}）。`, {
      priceJpy: input.priceJpy,
      thresholdJpy: config.highValueJpy,
    });
  }

  if (input.customerReturnRate !== undefined && input.customerReturnRate >= config.serialReturnerRate) {
    add(
      'serial_returner',
      `This customer returns ${pct(input.customerReturnRate)} of orders (threshold ${pct(config.serialReturnerRate)}).`,
      `このお客様の返品率は ${pct(input.customerReturnRate)} です（基準 ${pct(config.serialReturnerRate)}）。`,
      { returnRate: input.customerReturnRate, threshold: config.serialReturnerRate },
    );
  }

  const returnedAt = input.requestedAt ?? input.receivedAt;
  if (input.deliveredAt && returnedAt && input.reason !== null && WINDOW_REASONS.has(input.reason)) {
    const w = checkReturnWindow(input.deliveredAt, returnedAt, input.shopReturnPolicyDays ?? config.shopReturnPolicyDays);
    if (w.exceeded) {
      const [en, ja] =
        w.basis === 'statutory'
          ? [`Returned on day ${w.dayOfReturn}, after the 8-day statutory window.`, `到着から${w.dayOfReturn}日目の返品で、法定の8日間を過ぎています。`]
          : [`Returned on day ${w.dayOfReturn}, after the shop's ${w.days}-day return policy.`, `到着から${w.dayOfReturn}日目の返品で、ショップの返品期間（${w.days}日）を過ぎています。`];
      add('return_window_exceeded', en, ja, { basis: w.basis, days: w.days, dayOfReturn: w.dayOfReturn }, { returnWindow: w });
    }
  }

  if (input.expiry !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expiry)) throw new RangeError(`expiry must be YYYY-MM-DD, got ${input.expiry}`);
    const today = jstDate(input.now);
    if (input.expiry < today) {
      add('expired_lot', `Expired on ${input.expiry}.`, `使用期限（${input.expiry}）を過ぎています。`, { expiry: input.expiry, today });
    }
  }

  const d = input.declaration;
  if (g && d) {
    const usedAfterAll = d.condition === 'unused_with_tags' && WORSE_THAN_A.has(g.grade);
    const partMissing = d.complete && (g.observations?.includes('accessories_missing') ?? false);
    if (usedAfterAll || partMissing) {
      const en = [
        usedAfterAll ? `Declared unused with tags, but graded ${g.grade}.` : '',
        partMissing ? 'Declared complete, but a part or accessory is missing.' : '',
      ].filter(Boolean);
      const ja = [
        usedAfterAll ? `未使用・タグ付きと申告されましたが、${g.grade}判定です。` : '',
        partMissing ? '付属品ありと申告されましたが、欠品があります。' : '',
      ].filter(Boolean);
      add('declared_condition_mismatch', en.join(' '), ja.join(''), {
        declaredCondition: d.condition,
        declaredComplete: d.complete,
        grade: g.grade,
        partMissing,
        // The customer's photos are the evidence the lead compares with the bench's.
        customerPhotos: (d.photos ?? []).join(','),
      });
    }
  }

  if (input.blindReturn) {
    add('blind_return', 'No RMA found: received as an unexpected return.', '返品依頼が見つからないため、予定外の返品として受け付けました。');
  }
  return flags;
}

/** The codes alone, for routing facts and storage. */
export function flagCodes(flags: readonly Flag[]): FlagCode[] {
  return flags.map((f) => f.code);
}
