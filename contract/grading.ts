import { z } from 'zod';
import { Category, Grade } from './entities.js';

/** Text shown at the bench in both languages the station speaks. */
export const LocalizedText = z.object({ en: z.string().min(1), ja: z.string().min(1) }).strict();
export type LocalizedText = z.infer<typeof LocalizedText>;

/** Grades from best to worst; a grade "cap" keeps the worse of two. */
export const GRADE_ORDER = ['N', 'S', 'A', 'B', 'C', 'D', 'scrap'] as const satisfies readonly Grade[];

export const PackagingState = z.enum(['factory_sealed', 'opened_intact', 'damaged', 'none']);
export type PackagingState = z.infer<typeof PackagingState>;

/** The item itself, apart from its packaging; best to worst. */
export const ItemCondition = z.enum(['new', 'like_new', 'used_good', 'used_fair', 'damaged', 'defective', 'unusable']);
export type ItemCondition = z.infer<typeof ItemCondition>;

/** Who caused what is wrong with the item: decides deductions and claims, not the grade. */
export const FaultAttribution = z.enum(['customer', 'carrier', 'warehouse', 'vendor', 'none']);
export type FaultAttribution = z.infer<typeof FaultAttribution>;

export const PhotoReason = z.enum(['damage', 'scrap', 'wrong_item']);
export type PhotoReason = z.infer<typeof PhotoReason>;

/** Facts an answer establishes that flags and rules use beyond the grade. */
export const GradingObservation = z.enum(['serial_mismatch', 'accessories_missing', 'not_powering_on', 'product_opened', 'reset_pending', 'tags_removed']);
export type GradingObservation = z.infer<typeof GradingObservation>;

const Id = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'id: lowercase letters, digits, underscores');
/** `end` finishes the checklist (e.g. "factory sealed" needs no further questions). */
export const END_OF_PROFILE = 'end';

export const AnswerEffects = z
  .object({
    packaging: PackagingState.optional(),
    /** The grade can be no better than this. */
    maxGrade: Grade.optional(),
    /** The condition can be no better than this. */
    condition: ItemCondition.optional(),
    fault: FaultAttribution.exclude(['none']).optional(),
    photo: PhotoReason.optional(),
    observations: z.array(GradingObservation).optional(),
  })
  .strict();
export type AnswerEffects = z.infer<typeof AnswerEffects>;

export const GradingAnswerOption = z
  .object({
    id: Id,
    label: LocalizedText,
    /** One digit answers the question at the bench: letters are the grade keys (N, S, A…), which an answer key would shadow. */
    key: z.string().regex(/^[0-9]$/, 'key: one digit (letters are grade keys)'),
    /** Jump forward to this question, or `end`; absent = the next question in order. */
    next: z.string().optional(),
    effects: AnswerEffects.default({}),
  })
  .strict();
export type GradingAnswerOption = z.infer<typeof GradingAnswerOption>;

export const GradingQuestion = z
  .object({
    id: Id,
    text: LocalizedText,
    answers: z.array(GradingAnswerOption).min(2).max(9),
    /** The answer preselected at the bench: what most items get. */
    likely: Id,
    /** Asked only when an earlier question got one of these answers. */
    askIf: z.object({ question: Id, answers: z.array(Id).min(1) }).strict().optional(),
    /** The station may answer this from a scan (serial compared with the sale) instead of asking. */
    source: z.enum(['serial_scan']).optional(),
  })
  .strict();
export type GradingQuestion = z.infer<typeof GradingQuestion>;

export const GradingProfile = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/),
    category: Category,
    version: z.number().int().positive(),
    title: LocalizedText,
    questions: z.array(GradingQuestion).min(1).max(20),
    /** Grades that always need a photo, whatever the answers. */
    photoRequiredGrades: z.array(Grade).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const index = new Map<string, number>();
    p.questions.forEach((q, i) => {
      if (index.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id ${q.id}` });
      index.set(q.id, i);
    });
    if (p.questions[0]?.id !== 'packaging') ctx.addIssue({ code: 'custom', path: ['questions', 0], message: 'packaging state is asked first' });
    p.questions.forEach((q, i) => {
      const ids = q.answers.map((a) => a.id);
      const keys = q.answers.map((a) => a.key);
      if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions', i, 'answers'], message: `duplicate answer ids in ${q.id}` });
      if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['questions', i, 'answers'], message: `duplicate keys in ${q.id}` });
      if (!ids.includes(q.likely)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'likely'], message: `likely answer ${q.likely} is not an answer of ${q.id}` });
      q.answers.forEach((a, j) => {
        if (a.next === undefined || a.next === END_OF_PROFILE) return;
        const target = index.get(a.next);
        // Forward jumps only, so every path through the checklist ends.
        if (target === undefined || target <= i) {
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'answers', j, 'next'], message: `next must be a later question or "end", got ${a.next}` });
        }
      });
      if (q.askIf) {
        const src = index.get(q.askIf.question);
        const srcQ = src === undefined ? undefined : p.questions[src];
        if (src === undefined || src >= i || !srcQ) {
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'askIf'], message: `askIf must name an earlier question, got ${q.askIf.question}` });
        } else {
          for (const a of q.askIf.answers) {
            if (!srcQ.answers.some((x) => x.id === a)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'askIf'], message: `${a} is not an answer of ${srcQ.id}` });
          }
        }
      }
    });
    const packaging = p.questions[0];
    if (packaging && packaging.answers.some((a) => a.effects.packaging === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['questions', 0, 'answers'], message: 'every packaging answer sets the packaging state' });
    }
  });
export type GradingProfile = z.infer<typeof GradingProfile>;
export type GradingProfileInput = z.input<typeof GradingProfile>;

export const GradeResult = z.object({
  profileId: z.string(),
  profileVersion: z.number().int(),
  grade: Grade,
  condition: ItemCondition,
  /** null until the packaging question is answered. */
  packaging: PackagingState.nullable(),
  faultAttribution: FaultAttribution,
  photosRequired: z.boolean(),
  photoReasons: z.array(PhotoReason),
  observations: z.array(GradingObservation),
  /** The answers on the path that was taken, in order (what the lead sees). */
  path: z.array(z.object({ question: z.string(), answer: z.string() })),
  /** False while a question on the path is unanswered; grade is then provisional. */
  complete: z.boolean(),
});
export type GradeResult = z.infer<typeof GradeResult>;
