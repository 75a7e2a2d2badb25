import type { GradingProfileInput } from '../../../contract/index.js';

type QuestionInput = GradingProfileInput['questions'][number];

/**
 * Packaging state is asked first in every profile. A factory-sealed item needs nothing else:
 * it is grade N. Damaged outer packaging is the carrier's doing unless the item says otherwise.
 */
export function packagingQuestion(likely: 'factory_sealed' | 'opened_intact' | 'none' = 'opened_intact'): QuestionInput {
  return {
    id: 'packaging',
    text: { en: 'Packaging state?', ja: 'パッケージの状態は？' },
    likely,
    answers: [
      { id: 'factory_sealed', key: '1', label: { en: 'Factory sealed', ja: '未開封（メーカー封印あり）' }, next: 'end', effects: { packaging: 'factory_sealed' } },
      { id: 'opened_intact', key: '2', label: { en: 'Opened, packaging intact', ja: '開封済み・パッケージ良好' }, effects: { packaging: 'opened_intact', maxGrade: 'S' } },
      {
        id: 'damaged',
        key: '3',
        label: { en: 'Packaging damaged', ja: 'パッケージ破損' },
        effects: { packaging: 'damaged', maxGrade: 'A', fault: 'carrier', photo: 'damage' },
      },
      { id: 'none', key: '4', label: { en: 'No packaging', ja: 'パッケージなし' }, effects: { packaging: 'none', maxGrade: 'A' } },
    ],
  };
}
