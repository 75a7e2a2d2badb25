import type { GradingAnswers, GradingProfile } from '../../../contract/index.js';

export interface AnswerInWords {
  id: string;
  question: string;
  answer: string;
}

/**
 * A graded item's checklist answers as a lead reads them: each question and answer by the profile's own text in
 * the operator's language (the question without its question mark), in the checklist's order. What the profile
 * does not name (a question a later version dropped, a value that is no option) stays as it was stored.
 */
export function answersInWords(profile: GradingProfile | undefined, answers: GradingAnswers, lang: 'ja' | 'en'): AnswerInWords[] {
  const order = new Map(profile?.questions.map((q, i) => [q.id, i]) ?? []);
  return Object.entries(answers)
    .sort(([a], [b]) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER))
    .map(([id, value]) => {
      const q = profile?.questions.find((x) => x.id === id);
      const option = q?.answers.find((a) => a.id === value);
      return { id, question: q ? q.text[lang].replace(/\s*[?？]\s*$/u, '') : id, answer: option ? option.label[lang] : String(value) };
    });
}
