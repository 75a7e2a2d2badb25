import type { RecoveryFactors } from '../../../contract/index.js';
import type { FactorRule } from '../../../db/repositories/reports.js';

/**
 * Share of the list price a disposition recovers, as data a site can replace (setting
 * `reports.recoveryFactors`). Restock sells at full price; resale follows the grade the way
 * Japanese re-commerce price lists step down; repaired stock sells at a discount after cost;
 * disposal and quarantine recover nothing until someone decides otherwise.
 */
export const defaultRecoveryFactors: RecoveryFactors = {
  restock: { default: 1, byGrade: {} },
  resale: { default: 0.5, byGrade: { N: 0.85, S: 0.8, A: 0.65, B: 0.5, C: 0.35, D: 0.2, scrap: 0.05 } },
  repair: { default: 0.4, byGrade: {} },
  disposal: { default: 0, byGrade: {} },
  quarantine: { default: 0, byGrade: {} },
};

export function factorRules(factors: RecoveryFactors): FactorRule[] {
  const rules: FactorRule[] = [];
  for (const [disposition, f] of Object.entries(factors)) {
    rules.push({ disposition, grade: null, factor: f.default });
    for (const [grade, factor] of Object.entries(f.byGrade)) {
      if (factor !== undefined) rules.push({ disposition, grade, factor });
    }
  }
  return rules;
}
