import {
  END_OF_PROFILE,
  GRADE_ORDER,
  type Grade,
  type GradingAnswerOption,
  type GradingProfile,
  type GradingQuestion,
  type PhotoReason,
} from '../../../core/contract/index.js';

/** Answer ids by question id, as item.grade takes them. */
export type Answers = Readonly<Record<string, string>>;

export interface ProfileWalk {
  /** The question to ask now; null when the checklist is complete. */
  pending: GradingQuestion | null;
  /** The questions answered on the path taken, in order. */
  path: readonly { question: GradingQuestion; option: GradingAnswerOption }[];
  /** The grade the answers so far allow (the station computes the real one; this drives the screen). */
  grade: Grade;
  photoReasons: readonly PhotoReason[];
}

function worse(a: Grade, b: Grade): Grade {
  return GRADE_ORDER.indexOf(a) >= GRADE_ORDER.indexOf(b) ? a : b;
}

/**
 * Follows the answers through the profile the way the station does (jumps, askIf, `end`), so the
 * bench asks exactly the questions the station expects. The renderer may not import core/domain;
 * a test checks this walk against the domain's computeGrade for every profile.
 */
export function walkProfile(profile: GradingProfile, answers: Answers, context: { wrongItem?: boolean } = {}): ProfileWalk {
  const path: { question: GradingQuestion; option: GradingAnswerOption }[] = [];
  const chosen = new Map<string, string>();
  let pending: GradingQuestion | null = null;
  let i = 0;
  while (i < profile.questions.length) {
    const q = profile.questions[i] as GradingQuestion;
    if (q.askIf) {
      const prior = chosen.get(q.askIf.question);
      if (prior === undefined || !q.askIf.answers.includes(prior)) {
        i++;
        continue;
      }
    }
    const option = q.answers.find((a) => a.id === answers[q.id]);
    if (!option) {
      pending = q;
      break;
    }
    path.push({ question: q, option });
    chosen.set(q.id, option.id);
    if (option.next === END_OF_PROFILE) break;
    const jump = option.next === undefined ? i + 1 : profile.questions.findIndex((x) => x.id === option.next);
    // A bad jump ends the walk rather than looping; the station refuses such a profile anyway.
    if (jump <= i) break;
    i = jump;
  }
  let grade: Grade = 'N';
  const photos = new Set<PhotoReason>();
  for (const { option } of path) {
    if (option.effects.maxGrade) grade = worse(grade, option.effects.maxGrade);
    if (option.effects.photo) photos.add(option.effects.photo);
  }
  if (pending === null && profile.photoRequiredGrades.includes(grade)) photos.add(grade === 'scrap' ? 'scrap' : 'damage');
  if (context.wrongItem) photos.add('wrong_item');
  return { pending, path, grade, photoReasons: [...photos].sort() };
}

/** The answer a key press picks in the current question, if any. */
export function answerForKey(question: GradingQuestion, key: string): GradingAnswerOption | undefined {
  const k = key.toLowerCase();
  return question.answers.find((a) => a.key === k);
}

/**
 * Photos a grade entered by key owes: the same the question walk would ask for that grade (the profile's
 * photo grades, e.g. scrap) and a wrong item's. The station refuses the grade without them.
 */
export function quickGradePhotoReasons(profile: GradingProfile | undefined, grade: Grade, context: { wrongItem?: boolean } = {}): PhotoReason[] {
  const reasons = new Set<PhotoReason>();
  if (profile?.photoRequiredGrades.includes(grade)) reasons.add(grade === 'scrap' ? 'scrap' : 'damage');
  if (context.wrongItem) reasons.add('wrong_item');
  return [...reasons].sort();
}
