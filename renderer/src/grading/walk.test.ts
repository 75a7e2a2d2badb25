import { describe, expect, it } from 'vitest';
import { Category, type GradingProfile } from '../../../core/contract/index.js';
import { computeGrade, nextQuestion } from '../../../core/domain/grading/evaluate.js';
import { profileFor } from '../../../core/domain/grading/profiles/index.js';
import { answerForKey, walkProfile } from './walk.js';

/** Every path through a profile, each as its answers: small enough to enumerate in full. */
function allPaths(profile: GradingProfile): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const go = (answers: Record<string, string>) => {
    const q = nextQuestion(profile, answers);
    if (!q) return void out.push(answers);
    for (const a of q.answers) go({ ...answers, [q.id]: a.id });
  };
  go({});
  return out;
}

describe('the bench walks grading profiles like the station', () => {
  for (const category of Category.options) {
    it(`${category}: same questions, grade and photo needs on every path`, () => {
      const profile = profileFor(category);
      const paths = allPaths(profile);
      expect(paths.length).toBeGreaterThan(2);
      for (const answers of paths) {
        const domain = computeGrade(profile, answers);
        const bench = walkProfile(profile, answers);
        expect(bench.pending).toBeNull();
        expect(bench.grade).toBe(domain.grade);
        expect(bench.photoReasons).toEqual(domain.photoReasons);
        expect(bench.path.map((p) => p.question.id)).toEqual(domain.path.map((p) => p.question));
        // Partway along the path, the next question matches too.
        const firstTwo = Object.fromEntries(Object.entries(answers).slice(0, 1));
        expect(walkProfile(profile, firstTwo).pending?.id ?? null).toBe(nextQuestion(profile, firstTwo)?.id ?? null);
      }
    });
  }

  it('packaging comes first, and factory sealed ends the checklist at grade N', () => {
    const profile = profileFor('electronics');
    const start = walkProfile(profile, {});
    expect(start.pending?.id).toBe('packaging');
    const sealed = start.pending ? answerForKey(start.pending, '1') : undefined;
    expect(sealed?.id).toBe('factory_sealed');
    const done = walkProfile(profile, { packaging: 'factory_sealed' });
    expect(done).toMatchObject({ pending: null, grade: 'N', photoReasons: [] });
  });

  it('a wrong item always needs a photo', () => {
    expect(walkProfile(profileFor('apparel'), { packaging: 'factory_sealed' }, { wrongItem: true }).photoReasons).toEqual(['wrong_item']);
  });
});
