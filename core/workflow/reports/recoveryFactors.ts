import type { RecoveryFactors } from '../../../contract/index.js';
import type { FactorRule } from '../../../db/repositories/reports.js';

export { defaultRecoveryFactors } from '../../../contract/index.js';

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
