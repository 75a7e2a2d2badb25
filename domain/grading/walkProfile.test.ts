import { describe, expect, it } from 'vitest';
import { Category, type GradingProfile } from '../../contract/index.js';
import { answerForKey, computeGrade, gradePhotoReasons, nextQuestion, walkProfile } from './evaluate.js';
import { profileFor } from './profiles/index.js';

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

describe('the bench screen walk (walkProfile)', () => {
  for (const category of Category.options) {
    it(`${category}: asks the next question on every partial path and ends with the station's grade and photos`, () => {
      const profile = profileFor(category);
      for (const answers of allPaths(profile)) {
        const entries = Object.entries(answers);
        for (let n = 0; n < entries.length; n++) {
          const partial = Object.fromEntries(entries.slice(0, n));
          expect(walkProfile(profile, partial).pending?.id).toBe(entries[n]![0]);
        }
        const done = walkProfile(profile, answers);
        const station = computeGrade(profile, answers);
        expect(done.pending).toBeNull();
        expect(done).toMatchObject({ grade: station.grade, photoReasons: station.photoReasons });
        expect(done.path.map((p) => p.question.id)).toEqual(station.path.map((p) => p.question));
      }
    });
  }

  it('packaging comes first, its digit key picks an answer, and factory sealed ends the checklist at grade N', () => {
    const profile = profileFor('electronics');
    const start = walkProfile(profile, {});
    expect(start.pending?.id).toBe('packaging');
    expect(start.pending ? answerForKey(start.pending, '1')?.id : undefined).toBe('factory_sealed');
    expect(walkProfile(profile, { packaging: 'factory_sealed' })).toMatchObject({ pending: null, grade: 'N', photoReasons: [] });
  });

  it('a wrong item needs a photo from the first question on', () => {
    expect(walkProfile(profileFor('apparel'), {}, { wrongItem: true }).photoReasons).toEqual(['wrong_item']);
  });

  it('a grade entered by key owes the photos the walk would ask for that grade', () => {
    const profile = profileFor('apparel');
    expect(gradePhotoReasons(profile, 'scrap')).toEqual(['scrap']);
    expect(gradePhotoReasons(profile, 'A')).toEqual([]);
    expect(gradePhotoReasons(profile, 'A', { wrongItem: true })).toEqual(['wrong_item']);
  });
});
