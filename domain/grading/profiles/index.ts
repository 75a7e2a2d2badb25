import type { Category, GradingProfile } from '../../../contract/index.js';
import { apparelProfile } from './apparel.js';
import { cosmeticsProfile } from './cosmetics.js';
import { electronicsProfile } from './electronics.js';
import { shoesProfile } from './shoes.js';

/** The current profile per category. Items record profile id and version, so old grades stay explainable. */
export const GRADING_PROFILES: Readonly<Record<Category, GradingProfile>> = Object.freeze({
  apparel: apparelProfile,
  shoes: shoesProfile,
  cosmetics: cosmeticsProfile,
  electronics: electronicsProfile,
});

export function profileFor(category: Category): GradingProfile {
  return GRADING_PROFILES[category];
}

export { apparelProfile, cosmeticsProfile, electronicsProfile, shoesProfile };
