import { CustomerResolution, type FlagConfigInput, type ResolutionPolicy } from '../../contract/index.js';
import { computeFlags, flagCodes } from '../../domain/flags/computeFlags.js';
import { recommendResolution } from '../../domain/resolution/recommend.js';
import { defaultResolutionPolicy } from '../../domain/resolution/defaultPolicy.js';
import type { FlagPolicy, ResolutionPolicyFn } from './grading.js';

/** The domain's flag rules, fed with what the bench knows about the item being graded. */
export function domainFlagPolicy(config: FlagConfigInput = {}): FlagPolicy {
  return (f) => {
    const flags = computeFlags(
      {
        reason: f.line ? f.reason : null,
        // A quick grade has no condition or fault, but its grade alone must still meet the reason check.
        grade: f.result ?? { grade: f.grade },
        priceJpy: f.priceJpy,
        ...(f.identity.expiry ? { expiry: f.identity.expiry } : {}),
        ...(f.identity.serial ? { scannedSerial: f.identity.serial } : {}),
        ...(f.sale?.soldSerial ? { expectedSerial: f.sale.soldSerial } : {}),
        ...(f.identity.lot ? { scannedLot: f.identity.lot } : {}),
        ...(f.sale?.soldLot ? { expectedLot: f.sale.soldLot } : {}),
        ...(f.sale?.deliveredAt ? { deliveredAt: f.sale.deliveredAt } : {}),
        ...(f.sale?.requestedAt ? { requestedAt: f.sale.requestedAt } : {}),
        ...(f.sale?.customerReturnRate !== undefined ? { customerReturnRate: f.sale.customerReturnRate } : {}),
        ...(f.sale?.shopReturnPolicyDays !== undefined ? { shopReturnPolicyDays: f.sale.shopReturnPolicyDays } : {}),
        // The declaration speaks for the items the customer listed, not for extras that came along.
        ...(f.sale?.declaration && f.line ? { declaration: f.sale.declaration } : {}),
        ...(f.parcelWeight ? { measuredWeightGrams: f.parcelWeight.measuredGrams, expectedWeightGrams: f.parcelWeight.expectedGrams } : {}),
        blindReturn: f.blindReturn,
        receivedAt: f.now.toISOString(),
        now: f.now.toISOString(),
      },
      config,
    );
    return flagCodes(flags);
  };
}

/**
 * The resolution the customer's choice leads to. Only items graded with the checklist get one: a
 * deduction needs the condition and fault that the quick direct grade does not record.
 */
export function domainResolutionPolicy(policy: ResolutionPolicy = defaultResolutionPolicy): ResolutionPolicyFn {
  return (f) => {
    if (!f.result || !f.line) return null;
    const requested = CustomerResolution.safeParse(f.sale?.requestedResolution);
    const rec = recommendResolution(
      {
        reason: f.reason,
        category: f.category,
        priceJpy: f.priceJpy,
        qty: 1,
        grade: f.result,
        flags: f.flags,
        ...(requested.success ? { requested: requested.data } : {}),
      },
      policy,
    );
    return { held: rec.held, recommendation: rec as unknown as Record<string, unknown> };
  };
}
