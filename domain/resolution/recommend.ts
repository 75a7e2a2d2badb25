import {
  ResolutionPolicy,
  type Category,
  type CustomerResolution,
  type FlagCode,
  type GradeResult,
  type ResolutionCondition,
  type ResolutionPolicyInput,
  type ResolutionRecommendation,
  type ReturnReason,
} from '../../contract/index.js';
import { defaultResolutionPolicy } from './defaultPolicy.js';

export interface ResolutionInput {
  /** RmaLine.resolution; absent = the policy's default. */
  requested?: CustomerResolution;
  reason: ReturnReason | null;
  category: Category;
  priceJpy: number;
  /** Units this recommendation covers (usually 1 per graded item). */
  qty: number;
  grade: Pick<GradeResult, 'grade' | 'condition' | 'faultAttribution'>;
  flags: readonly FlagCode[];
}

function holds(when: ResolutionCondition, input: ResolutionInput): boolean {
  const inList = <T>(list: readonly T[] | undefined, v: T | null): boolean => list === undefined || (v !== null && list.includes(v));
  if (!inList(when.grades, input.grade.grade)) return false;
  if (!inList(when.faults, input.grade.faultAttribution)) return false;
  if (!inList(when.conditions, input.grade.condition)) return false;
  if (!inList(when.categories, input.category)) return false;
  if (!inList(when.reasons, input.reason)) return false;
  if (when.flagsAny && !when.flagsAny.some((f) => input.flags.includes(f))) return false;
  return true;
}

const yen = (n: number): string => `¥${n.toLocaleString('en-US')}`;

/**
 * What the station recommends for one RMA line (or the items received against it): the customer's
 * choice, less a deduction for damage they caused, or a rejection. Flagged recommendations are held
 * for a lead. Deductions round to the nearest yen; the store-credit bonus rounds down.
 */
export function recommendResolution(input: ResolutionInput, policyInput: ResolutionPolicy | ResolutionPolicyInput = defaultResolutionPolicy): ResolutionRecommendation {
  const policy = ResolutionPolicy.parse(policyInput);
  if (!Number.isInteger(input.priceJpy) || input.priceJpy < 0) throw new RangeError(`priceJpy must be a non-negative integer, got ${input.priceJpy}`);
  if (!Number.isInteger(input.qty) || input.qty < 1) throw new RangeError(`qty must be a positive integer, got ${input.qty}`);
  const lineValueJpy = input.priceJpy * input.qty;
  const flagHolds = policy.holdOnFlags.filter((f) => input.flags.includes(f));
  const common = { requested: input.requested ?? null, lineValueJpy, policyVersion: policy.version };

  const reject = policy.reject.find((r) => holds(r.when, input));
  if (reject) {
    return {
      ...common,
      kind: 'reject',
      deductionJpy: 0,
      deductionRuleId: null,
      bonusJpy: 0,
      amountJpy: 0,
      customerOwesJpy: 0,
      rejectRuleId: reject.id,
      // A rejection always waits for a lead: the customer gets nothing back.
      held: true,
      holdReasons: ['reject', ...flagHolds],
      explanation: reject.explain,
    };
  }

  const kind = input.requested ?? policy.defaultResolution;
  const deduction = policy.deductions.find((d) => holds(d.when, input));
  const deductionJpy = deduction ? Math.round((lineValueJpy * deduction.percent) / 100) : 0;
  const credited = lineValueJpy - deductionJpy;
  const bonusJpy = kind === 'store_credit' ? Math.floor((credited * policy.storeCreditBonusPercent) / 100) : 0;
  const amountJpy = kind === 'exchange' ? 0 : credited + bonusJpy;
  const customerOwesJpy = kind === 'exchange' ? deductionJpy : 0;

  const en: string[] = [];
  const ja: string[] = [];
  if (kind === 'refund') {
    en.push(deduction ? `Refund ${yen(amountJpy)} of ${yen(lineValueJpy)}.` : `Full refund of ${yen(amountJpy)}.`);
    ja.push(deduction ? `${yen(lineValueJpy)}のうち${yen(amountJpy)}を返金します。` : `${yen(amountJpy)}を全額返金します。`);
  } else if (kind === 'store_credit') {
    en.push(`Store credit of ${yen(amountJpy)} (incl. ${policy.storeCreditBonusPercent}% bonus, ${yen(bonusJpy)}).`);
    ja.push(`${yen(amountJpy)}分のストアクレジット（ボーナス${policy.storeCreditBonusPercent}%・${yen(bonusJpy)}を含む）を付与します。`);
  } else {
    en.push(deductionJpy > 0 ? `Exchange once the customer pays ${yen(deductionJpy)}.` : 'Exchange for the same item.');
    ja.push(deductionJpy > 0 ? `${yen(deductionJpy)}のお支払い後に交換します。` : '同じ商品と交換します。');
  }
  if (deduction) {
    en.push(deduction.explain.en);
    ja.push(deduction.explain.ja);
  }
  if (flagHolds.length > 0) {
    en.push(`Held for a lead: ${flagHolds.join(', ')}.`);
    ja.push(`リーダーの承認待ち：${flagHolds.join('、')}。`);
  }
  return {
    ...common,
    kind,
    deductionJpy,
    deductionRuleId: deduction?.id ?? null,
    bonusJpy,
    amountJpy,
    customerOwesJpy,
    rejectRuleId: null,
    held: flagHolds.length > 0,
    holdReasons: flagHolds,
    explanation: { en: en.join(' '), ja: ja.join(' ') },
  };
}
