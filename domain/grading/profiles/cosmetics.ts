import { GradingProfile } from '../../../contract/index.js';
import { packagingQuestion } from './packaging.js';

/** Opened cosmetics grade B or worse, and the rules never restock them (hygiene). */
export const cosmeticsProfile: GradingProfile = GradingProfile.parse({
  id: 'cosmetics',
  category: 'cosmetics',
  version: 1,
  title: { en: 'Cosmetics', ja: '化粧品' },
  photoRequiredGrades: ['scrap'],
  questions: [
    packagingQuestion('factory_sealed'),
    {
      id: 'product_seal',
      text: { en: 'Product itself: sealed or opened?', ja: '商品本体は未開封ですか？' },
      likely: 'sealed',
      answers: [
        { id: 'sealed', key: '1', label: { en: 'Inner seal intact', ja: '未開封（中栓・シールあり）' }, next: 'end' },
        {
          id: 'opened_unused',
          key: '2',
          label: { en: 'Opened, looks unused', ja: '開封済み・未使用に見える' },
          effects: { maxGrade: 'B', condition: 'like_new', fault: 'customer', observations: ['product_opened'] },
        },
        {
          id: 'used',
          key: '3',
          label: { en: 'Used', ja: '使用済み' },
          effects: { maxGrade: 'D', condition: 'used_fair', fault: 'customer', observations: ['product_opened'] },
        },
      ],
    },
    {
      id: 'leaking',
      text: { en: 'Leaking or contaminated?', ja: '液漏れ・汚染は？' },
      likely: 'no',
      answers: [
        { id: 'no', key: '1', label: { en: 'No', ja: 'なし' } },
        { id: 'yes', key: '2', label: { en: 'Yes', ja: 'あり' }, effects: { maxGrade: 'scrap', condition: 'unusable', photo: 'scrap' } },
      ],
    },
  ],
});
