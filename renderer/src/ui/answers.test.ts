import { describe, expect, it } from 'vitest';
import { profileFor } from '../../../domain/grading/profiles/index.js';
import { answersInWords } from './answers.js';

describe('answersInWords: a graded item’s checklist answers as the lead reads them', () => {
  const cosmetics = profileFor('cosmetics');

  it('names each question and answer in the operator’s language, in the checklist’s order', () => {
    const answers = { product_seal: 'sealed', packaging: 'opened_intact' };
    expect(answersInWords(cosmetics, answers, 'ja')).toEqual([
      { id: 'packaging', question: 'パッケージの状態は', answer: '開封済み・パッケージ良好' },
      { id: 'product_seal', question: '商品本体は未開封ですか', answer: '未開封（中栓・シールあり）' },
    ]);
    expect(answersInWords(cosmetics, answers, 'en')[0]).toMatchObject({ answer: expect.not.stringMatching(/_/) });
  });

  it('keeps what the checklist does not name as it was stored (a question dropped in a later version), and works without a profile', () => {
    expect(answersInWords(cosmetics, { gone: 'x' }, 'ja')).toEqual([{ id: 'gone', question: 'gone', answer: 'x' }]);
    expect(answersInWords(undefined, { packaging: true }, 'en')).toEqual([{ id: 'packaging', question: 'packaging', answer: 'true' }]);
  });
});
