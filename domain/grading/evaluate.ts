import {
  END_OF_PROFILE,
  GRADE_ORDER,
  ItemCondition,
  type FaultAttribution,
  type GradeResult,
  type Grade,
  type GradingAnswerOption,
  type GradingObservation,
  type GradingProfile,
  type GradingQuestion,
  type PackagingState,
  type PhotoReason,
} from '../../contract/index.js';

/** What the bench sends per question: an answer id, or yes/no as a boolean (answer ids `yes` / `no`). */
export type AnswerValue = string | boolean | number;
export type AnswerMap = Readonly<Record<string, AnswerValue>>;

export class GradingAnswerError extends Error {
  constructor(
    readonly questionId: string,
    readonly answer: AnswerValue,
    message: string,
  ) {
    super(message);
    this.name = 'GradingAnswerError';
  }
}

export interface GradingContext {
  /** The item is not the SKU the RMA line expected: a photo is required. */
  wrongItem?: boolean;
}

interface Step {
  question: GradingQuestion;
  option: GradingAnswerOption;
}

function optionFor(q: GradingQuestion, value: AnswerValue): GradingAnswerOption {
  const id = typeof value === 'boolean' ? (value ? 'yes' : 'no') : typeof value === 'string' ? value : undefined;
  const option = id === undefined ? undefined : q.answers.find((a) => a.id === id);
  if (!option) throw new GradingAnswerError(q.id, value, `"${String(value)}" is not an answer to ${q.id} (expected one of ${q.answers.map((a) => a.id).join(', ')})`);
  return option;
}

/** Follows the answers through the profile; stops at the first unanswered question on the path. */
function walk(profile: GradingProfile, answers: AnswerMap): { steps: Step[]; pending: GradingQuestion | null } {
  const steps: Step[] = [];
  const chosen = new Map<string, string>();
  const { questions } = profile;
  let i = 0;
  while (i < questions.length) {
    const q = questions[i] as GradingQuestion;
    if (q.askIf) {
      const prior = chosen.get(q.askIf.question);
      if (prior === undefined || !q.askIf.answers.includes(prior)) {
        i++;
        continue;
      }
    }
    const value = Object.hasOwn(answers, q.id) ? answers[q.id] : undefined;
    if (value === undefined) return { steps, pending: q };
    const option = optionFor(q, value);
    steps.push({ question: q, option });
    chosen.set(q.id, option.id);
    if (option.next === END_OF_PROFILE) break;
    // Profile validation guarantees a `next` names a later question, so the walk always ends.
    i = option.next === undefined ? i + 1 : questions.findIndex((x) => x.id === option.next);
  }
  return { steps, pending: null };
}

/** The bench's view of a walk in progress: the question to ask now and the path taken so far. */
export interface ProfileWalk {
  pending: GradingQuestion | null;
  path: readonly { question: GradingQuestion; option: GradingAnswerOption }[];
  /** The grade the answers so far allow (caps only lower it, so it is final once pending is null). */
  grade: Grade;
  photoReasons: readonly PhotoReason[];
}

/** The walk the bench screen follows: the station's own walk, so both always ask the same questions. */
export function walkProfile(profile: GradingProfile, answers: AnswerMap, context: GradingContext = {}): ProfileWalk {
  const { steps, pending } = walk(profile, answers);
  const result = computeGrade(profile, answers, context);
  // The profile's photo grades apply only once the checklist is done; a step's own photo (and a wrong item) at once.
  const photoReasons = pending === null ? result.photoReasons : gradePhotoReasons(null, result.grade, context, steps.map((s) => s.option.effects.photo));
  return { pending, path: steps, grade: result.grade, photoReasons };
}

/** The answer a key press picks in a question, if any. */
export function answerForKey(question: GradingQuestion, key: string): GradingAnswerOption | undefined {
  const k = key.toLowerCase();
  return question.answers.find((a) => a.key === k);
}

/**
 * Photos a grade owes: the profile's photo grades (e.g. scrap), a wrong item, and any the answers asked for.
 * A grade entered by key owes the same as the question walk would for that grade.
 */
export function gradePhotoReasons(
  profile: GradingProfile | null | undefined,
  grade: Grade,
  context: GradingContext = {},
  fromAnswers: readonly (PhotoReason | undefined)[] = [],
): PhotoReason[] {
  const photos = new Set<PhotoReason>(fromAnswers.filter((r): r is PhotoReason => r !== undefined));
  if (profile?.photoRequiredGrades.includes(grade)) photos.add(grade === 'scrap' ? 'scrap' : 'damage');
  if (context.wrongItem) photos.add('wrong_item');
  return [...photos].sort();
}

/** The question to ask now, or null when the checklist is complete. */
export function nextQuestion(profile: GradingProfile, answers: AnswerMap): GradingQuestion | null {
  return walk(profile, answers).pending;
}

/** Questions the station can answer from a scan: today, whether the serial matches the sale. */
export function scanAnswers(profile: GradingProfile, scan: { serialMatches?: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of profile.questions) {
    if (q.source === 'serial_scan' && scan.serialMatches !== undefined) out[q.id] = scan.serialMatches ? 'yes' : 'no';
  }
  return out;
}

export function worseGrade(a: Grade, b: Grade): Grade {
  return GRADE_ORDER.indexOf(a) >= GRADE_ORDER.indexOf(b) ? a : b;
}

const CONDITION_ORDER = ItemCondition.options;
function worseCondition(a: ItemCondition, b: ItemCondition): ItemCondition {
  return CONDITION_ORDER.indexOf(a) >= CONDITION_ORDER.indexOf(b) ? a : b;
}

// The customer's doing outweighs a vendor defect, which outweighs transit damage to the box.
const FAULT_PRECEDENCE: readonly FaultAttribution[] = ['customer', 'vendor', 'carrier', 'warehouse'];

/**
 * Grade, condition, packaging and fault from the answers on the path taken. The grade starts at N
 * and each answer can only cap it lower, so the result does not depend on answer order.
 */
export function computeGrade(profile: GradingProfile, answers: AnswerMap, context: GradingContext = {}): GradeResult {
  const { steps, pending } = walk(profile, answers);
  let grade: Grade = 'N';
  let condition: ItemCondition = 'new';
  let packaging: PackagingState | null = null;
  const faults = new Set<FaultAttribution>();
  const photos = new Set<PhotoReason>();
  const observations = new Set<GradingObservation>();
  for (const { option } of steps) {
    const e = option.effects;
    if (e.packaging) packaging = e.packaging;
    if (e.maxGrade) grade = worseGrade(grade, e.maxGrade);
    if (e.condition) condition = worseCondition(condition, e.condition);
    if (e.fault) faults.add(e.fault);
    if (e.photo) photos.add(e.photo);
    for (const o of e.observations ?? []) observations.add(o);
  }
  const photoReasons = gradePhotoReasons(profile, grade, context, [...photos]);
  return {
    profileId: profile.id,
    profileVersion: profile.version,
    grade,
    condition,
    packaging,
    faultAttribution: FAULT_PRECEDENCE.find((f) => faults.has(f)) ?? 'none',
    photosRequired: photoReasons.length > 0,
    photoReasons,
    observations: [...observations].sort(),
    path: steps.map((s) => ({ question: s.question.id, answer: s.option.id })),
    complete: pending === null,
  };
}
