import { z } from 'zod';
import { Category } from '../entities.js';
import { GradingProfile } from '../grading.js';
import { ANY_OPERATOR, call } from './define.js';

export const gradingCalls = {
  /** The grading profile (branching question set) of a category, as the bench shows it. */
  'grading.profile': call({ access: ANY_OPERATOR, input: z.object({ category: Category }).strict(), output: GradingProfile }),
} as const;
