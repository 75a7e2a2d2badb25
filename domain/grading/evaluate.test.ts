import { describe, expect, it } from 'vitest';
import { GradingProfile, type GradingProfileInput } from '../../contract/index.js';
import { computeGrade, GradingAnswerError, nextQuestion, scanAnswers, type AnswerMap } from './evaluate.js';
import { GRADING_PROFILES, apparelProfile, cosmeticsProfile, electronicsProfile, shoesProfile } from './profiles/index.js';

/** Every complete answer path through a profile (depth-first over nextQuestion). */
function allPaths(profile: GradingProfile): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const visit = (answers: Record<string, string>): void => {
    const q = nextQuestion(profile, answers);
    if (!q) return void out.push(answers);
    for (const a of q.answers) visit({ ...answers, [q.id]: a.id });
  };
  visit({});
  return out;
}

const likelyPath = (profile: GradingProfile, overrides: AnswerMap = {}): AnswerMap => {
  const answers: Record<string, string | boolean | number> = { ...overrides };
  for (let q = nextQuestion(profile, answers); q; q = nextQuestion(profile, answers)) answers[q.id] = q.likely;
  return answers;
};

describe('grading profiles', () => {
  it.each(Object.values(GRADING_PROFILES))('$id: asks packaging first, and factory sealed ends the checklist at grade N', (profile) => {
    expect(nextQuestion(profile, {})?.id).toBe('packaging');
    const r = computeGrade(profile, { packaging: 'factory_sealed' });
    expect(r).toMatchObject({ grade: 'N', condition: 'new', packaging: 'factory_sealed', faultAttribution: 'none', photosRequired: false, complete: true });
    expect(r.path).toEqual([{ question: 'packaging', answer: 'factory_sealed' }]);
  });

  it.each(Object.values(GRADING_PROFILES))('$id: every path ends complete, every answer is reachable, keys are single keys', (profile) => {
    const paths = allPaths(profile);
    const reached = new Set<string>();
    for (const answers of paths) {
      const r = computeGrade(profile, answers);
      expect(r.complete).toBe(true);
      expect(r.packaging).not.toBeNull();
      for (const s of r.path) reached.add(`${s.question}=${s.answer}`);
      // Photos are demanded exactly where the profile says: damage/scrap answers or a scrap grade.
      if (r.grade === 'scrap') expect(r.photoReasons).toContain('scrap');
    }
    for (const q of profile.questions) for (const a of q.answers) expect(reached.has(`${q.id}=${a.id}`), `${q.id}=${a.id}`).toBe(true);
  });

  it.each(Object.values(GRADING_PROFILES))('$id: opened with every likely answer is grade S, not complete until all are answered', (profile) => {
    const partial = computeGrade(profile, { packaging: 'opened_intact' });
    expect(partial.complete).toBe(false);
    const r = computeGrade(profile, likelyPath(profile, { packaging: 'opened_intact' }));
    expect(r).toMatchObject({ grade: 'S', packaging: 'opened_intact', faultAttribution: 'none', photosRequired: false, complete: true });
  });

  it('packaging: damaged caps at A, blames the carrier and wants a photo; none caps at A', () => {
    const damaged = computeGrade(apparelProfile, likelyPath(apparelProfile, { packaging: 'damaged' }));
    expect(damaged).toMatchObject({ grade: 'A', packaging: 'damaged', faultAttribution: 'carrier', photosRequired: true, photoReasons: ['damage'] });
    expect(computeGrade(apparelProfile, likelyPath(apparelProfile, { packaging: 'none' }))).toMatchObject({ grade: 'A', packaging: 'none', faultAttribution: 'none' });
  });
});

describe('apparel', () => {
  const grade = (answers: AnswerMap) => computeGrade(apparelProfile, likelyPath(apparelProfile, { packaging: 'opened_intact', ...answers }));

  it('tags removed: A, customer, observation', () => {
    expect(grade({ tags: 'no' })).toMatchObject({ grade: 'A', condition: 'like_new', faultAttribution: 'customer', observations: ['tags_removed'] });
    expect(grade({ tags: false }).grade).toBe('A');
    expect(grade({ tags: true }).grade).toBe('S');
  });

  it('never worn skips stains and odour', () => {
    const r = grade({ worn: 'none' });
    expect(r.path.map((s) => s.question)).toEqual(['packaging', 'tags', 'worn', 'damage']);
    // A stray answer off the path does not count.
    expect(grade({ worn: 'none', stains: 'heavy' }).grade).toBe('S');
  });

  it('tried on: A; worn: B and customer fault', () => {
    expect(grade({ worn: 'tried_on' })).toMatchObject({ grade: 'A', condition: 'like_new', faultAttribution: 'none' });
    expect(grade({ worn: 'tried_on' }).path.map((s) => s.question)).toContain('stains');
    expect(grade({ worn: 'worn' })).toMatchObject({ grade: 'B', condition: 'used_good', faultAttribution: 'customer' });
  });

  it('stains: light C, heavy D, both with a photo', () => {
    expect(grade({ worn: 'worn', stains: 'light' })).toMatchObject({ grade: 'C', condition: 'used_fair', photosRequired: true, photoReasons: ['damage'] });
    expect(grade({ worn: 'worn', stains: 'heavy' })).toMatchObject({ grade: 'D', condition: 'damaged', photosRequired: true });
    expect(grade({ worn: 'worn', stains: 'none' }).photosRequired).toBe(false);
  });

  it('odour: C', () => {
    expect(grade({ worn: 'worn', odor: 'present' })).toMatchObject({ grade: 'C', faultAttribution: 'customer', photosRequired: false });
  });

  it('damage: defect is the vendor’s, torn D customer, destroyed scrap with a scrap photo', () => {
    expect(grade({ damage: 'defect' })).toMatchObject({ grade: 'D', condition: 'defective', faultAttribution: 'vendor', photoReasons: ['damage'] });
    expect(grade({ damage: 'torn' })).toMatchObject({ grade: 'D', condition: 'damaged', faultAttribution: 'customer' });
    expect(grade({ damage: 'destroyed' })).toMatchObject({ grade: 'scrap', condition: 'unusable', photoReasons: ['scrap'] });
  });

  it('the worst cap wins and customer fault outweighs vendor and carrier', () => {
    const r = computeGrade(apparelProfile, { packaging: 'damaged', tags: 'yes', worn: 'worn', stains: 'light', odor: 'present', damage: 'defect' });
    expect(r).toMatchObject({ grade: 'D', condition: 'defective', faultAttribution: 'customer', complete: true });
    const vendorOverCarrier = computeGrade(apparelProfile, { packaging: 'damaged', tags: 'yes', worn: 'none', damage: 'defect' });
    expect(vendorOverCarrier.faultAttribution).toBe('vendor');
  });
});

describe('shoes', () => {
  const grade = (answers: AnswerMap) => computeGrade(shoesProfile, likelyPath(shoesProfile, { packaging: 'opened_intact', ...answers }));

  it('asks about the box only when there is one', () => {
    expect(grade({}).path.map((s) => s.question)).toEqual(['packaging', 'box', 'sole_wear', 'upper']);
    expect(computeGrade(shoesProfile, likelyPath(shoesProfile, { packaging: 'damaged' })).path.map((s) => s.question)).toContain('box');
    expect(computeGrade(shoesProfile, likelyPath(shoesProfile, { packaging: 'none' })).path.map((s) => s.question)).toEqual(['packaging', 'sole_wear', 'upper']);
    expect(grade({ box: 'marked' })).toMatchObject({ grade: 'A', faultAttribution: 'customer' });
  });

  it('sole wear: indoor A, light B, heavy D with photo', () => {
    expect(grade({ sole_wear: 'indoor' })).toMatchObject({ grade: 'A', condition: 'like_new' });
    expect(grade({ sole_wear: 'light' })).toMatchObject({ grade: 'B', condition: 'used_good', faultAttribution: 'customer' });
    expect(grade({ sole_wear: 'heavy' })).toMatchObject({ grade: 'D', condition: 'damaged', photosRequired: true });
  });

  it('upper: scuffs C, defect D vendor, destroyed scrap', () => {
    expect(grade({ upper: 'scuffs' })).toMatchObject({ grade: 'C', photoReasons: ['damage'] });
    expect(grade({ upper: 'defect' })).toMatchObject({ grade: 'D', faultAttribution: 'vendor' });
    expect(grade({ upper: 'destroyed' })).toMatchObject({ grade: 'scrap', photoReasons: ['scrap'] });
  });
});

describe('cosmetics', () => {
  const grade = (answers: AnswerMap) => computeGrade(cosmeticsProfile, likelyPath(cosmeticsProfile, { packaging: 'opened_intact', ...answers }));

  it('outer box opened but product sealed: S and no more questions', () => {
    const r = grade({ product_seal: 'sealed' });
    expect(r).toMatchObject({ grade: 'S', observations: [], complete: true });
    expect(r.path.map((s) => s.question)).toEqual(['packaging', 'product_seal']);
  });

  it('opened product: at best B, marked opened, then asks about leaks', () => {
    expect(grade({ product_seal: 'opened_unused' })).toMatchObject({ grade: 'B', observations: ['product_opened'], faultAttribution: 'customer' });
    expect(grade({ product_seal: 'used' })).toMatchObject({ grade: 'D', condition: 'used_fair' });
    expect(grade({ product_seal: 'used', leaking: 'yes' })).toMatchObject({ grade: 'scrap', condition: 'unusable', photoReasons: ['scrap'] });
    expect(nextQuestion(cosmeticsProfile, { packaging: 'none', product_seal: 'opened_unused' })?.id).toBe('leaking');
  });
});

describe('electronics', () => {
  const grade = (answers: AnswerMap) => computeGrade(electronicsProfile, likelyPath(electronicsProfile, { packaging: 'opened_intact', ...answers }));

  it('answers yes/no with digits, so no answer key shadows a grade key (N)', () => {
    const q = electronicsProfile.questions.find((x) => x.id === 'powers_on');
    expect(q?.answers.map((a) => a.key)).toEqual(['1', '2']);
  });

  it('not powering on: D, vendor, photo, and no factory reset question', () => {
    const r = grade({ powers_on: 'no' });
    expect(r).toMatchObject({ grade: 'D', condition: 'defective', faultAttribution: 'vendor', photosRequired: true, observations: ['not_powering_on'] });
    expect(r.path.map((s) => s.question)).not.toContain('factory_reset');
    expect(grade({}).path.map((s) => s.question)).toContain('factory_reset');
  });

  it('serial mismatch: observation and a wrong-item photo, answerable from a scan', () => {
    expect(scanAnswers(electronicsProfile, { serialMatches: false })).toEqual({ serial_match: 'no' });
    expect(scanAnswers(apparelProfile, { serialMatches: false })).toEqual({});
    expect(scanAnswers(electronicsProfile, {})).toEqual({});
    const r = grade(scanAnswers(electronicsProfile, { serialMatches: false }));
    expect(r).toMatchObject({ grade: 'S', observations: ['serial_mismatch'], photoReasons: ['wrong_item'] });
  });

  it('accessories missing: B, customer', () => {
    expect(grade({ accessories: 'no' })).toMatchObject({ grade: 'B', faultAttribution: 'customer', observations: ['accessories_missing'] });
  });

  it('screen: none/flawless S, light A, heavy C, cracked D', () => {
    expect(grade({ screen: 'no_screen' }).grade).toBe('S');
    expect(grade({ screen: 'flawless' }).grade).toBe('S');
    expect(grade({ screen: 'light_scratches' }).grade).toBe('A');
    expect(grade({ screen: 'heavy_scratches' })).toMatchObject({ grade: 'C', photosRequired: true });
    expect(grade({ screen: 'cracked' })).toMatchObject({ grade: 'D', condition: 'damaged', faultAttribution: 'customer' });
  });

  it('reset pending is recorded without changing the grade', () => {
    expect(grade({ factory_reset: 'no' })).toMatchObject({ grade: 'S', observations: ['reset_pending'] });
  });
});

describe('answers and context', () => {
  it('rejects an answer that is not an option, naming the question', () => {
    expect(() => computeGrade(apparelProfile, { packaging: 'crushed' })).toThrow(GradingAnswerError);
    expect(() => computeGrade(apparelProfile, { packaging: 'opened_intact', tags: 3 })).toThrow(/tags/);
  });

  it('a wrong item needs a photo even when the item is perfect', () => {
    const r = computeGrade(apparelProfile, { packaging: 'factory_sealed' }, { wrongItem: true });
    expect(r).toMatchObject({ grade: 'N', photosRequired: true, photoReasons: ['wrong_item'] });
  });
});

describe('profile validation', () => {
  const base = (): GradingProfileInput => ({
    id: 'test',
    category: 'apparel',
    version: 1,
    title: { en: 'T', ja: 'T' },
    questions: [
      {
        id: 'packaging',
        text: { en: 'P', ja: 'P' },
        likely: 'a',
        answers: [
          { id: 'a', key: '1', label: { en: 'a', ja: 'a' }, effects: { packaging: 'opened_intact' } },
          { id: 'b', key: '2', label: { en: 'b', ja: 'b' }, effects: { packaging: 'none' } },
        ],
      },
      {
        id: 'q2',
        text: { en: 'Q', ja: 'Q' },
        likely: 'x',
        answers: [
          { id: 'x', key: '1', label: { en: 'x', ja: 'x' } },
          { id: 'z', key: '2', label: { en: 'z', ja: 'z' } },
        ],
      },
    ],
  });
  const messages = (p: unknown): string => {
    const r = GradingProfile.safeParse(p);
    return r.success ? '' : r.error.issues.map((i) => i.message).join('; ');
  };

  it('accepts a minimal valid profile', () => {
    expect(GradingProfile.safeParse(base()).success).toBe(true);
  });

  it('rejects backward jumps, unknown likely answers, duplicate keys, multi-character keys and a late packaging question', () => {
    const back = base();
    back.questions[1]!.answers[0]!.next = 'packaging';
    expect(messages(back)).toMatch(/later question/);
    const likely = base();
    likely.questions[1]!.likely = 'nope';
    expect(messages(likely)).toMatch(/likely answer/);
    const keys = base();
    keys.questions[1]!.answers[1]!.key = '1';
    expect(messages(keys)).toMatch(/duplicate keys/);
    const longKey = base();
    longKey.questions[1]!.answers[1]!.key = '12';
    expect(messages(longKey)).toMatch(/one digit/);
    const letterKey = base();
    letterKey.questions[1]!.answers[1]!.key = 'n';
    expect(messages(letterKey)).toMatch(/letters are grade keys/);
    const order = base();
    order.questions.reverse();
    expect(messages(order)).toMatch(/packaging state is asked first/);
    const noPackaging = base();
    delete noPackaging.questions[0]!.answers[1]!.effects;
    expect(messages(noPackaging)).toMatch(/sets the packaging state/);
    const askIf = base();
    askIf.questions[1]!.askIf = { question: 'packaging', answers: ['c'] };
    expect(messages(askIf)).toMatch(/not an answer of packaging/);
  });
});
