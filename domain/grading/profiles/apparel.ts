import { GradingProfile } from '../../../contract/index.js';
import { packagingQuestion } from './packaging.js';

export const apparelProfile: GradingProfile = GradingProfile.parse({
  id: 'apparel',
  category: 'apparel',
  version: 1,
  title: { en: 'Apparel', ja: 'アパレル' },
  photoRequiredGrades: ['scrap'],
  questions: [
    packagingQuestion('opened_intact'),
    {
      id: 'tags',
      text: { en: 'Original tags attached?', ja: 'タグは付いていますか？' },
      likely: 'yes',
      answers: [
        { id: 'yes', key: '1', label: { en: 'Yes', ja: 'はい' } },
        {
          id: 'no',
          key: '2',
          label: { en: 'No, removed', ja: 'いいえ（取り外し済み）' },
          effects: { maxGrade: 'A', condition: 'like_new', fault: 'customer', observations: ['tags_removed'] },
        },
      ],
    },
    {
      id: 'worn',
      text: { en: 'Signs of wear?', ja: '着用の形跡は？' },
      likely: 'none',
      answers: [
        // Never worn: stains and odour do not come from trying nothing on.
        { id: 'none', key: '1', label: { en: 'None', ja: 'なし' }, next: 'damage' },
        { id: 'tried_on', key: '2', label: { en: 'Tried on', ja: '試着程度' }, effects: { maxGrade: 'A', condition: 'like_new' } },
        { id: 'worn', key: '3', label: { en: 'Worn', ja: '着用あり' }, effects: { maxGrade: 'B', condition: 'used_good', fault: 'customer' } },
      ],
    },
    {
      id: 'stains',
      text: { en: 'Stains?', ja: '汚れ・シミは？' },
      likely: 'none',
      answers: [
        { id: 'none', key: '1', label: { en: 'None', ja: 'なし' } },
        { id: 'light', key: '2', label: { en: 'Light', ja: '軽度' }, effects: { maxGrade: 'C', condition: 'used_fair', fault: 'customer', photo: 'damage' } },
        { id: 'heavy', key: '3', label: { en: 'Heavy', ja: '重度' }, effects: { maxGrade: 'D', condition: 'damaged', fault: 'customer', photo: 'damage' } },
      ],
    },
    {
      id: 'odor',
      text: { en: 'Odour (perfume, smoke, sweat)?', ja: '臭い（香水・たばこ・汗）は？' },
      likely: 'none',
      answers: [
        { id: 'none', key: '1', label: { en: 'None', ja: 'なし' } },
        { id: 'present', key: '2', label: { en: 'Present', ja: 'あり' }, effects: { maxGrade: 'C', condition: 'used_fair', fault: 'customer' } },
      ],
    },
    {
      id: 'damage',
      text: { en: 'Damage?', ja: '破損は？' },
      likely: 'none',
      answers: [
        { id: 'none', key: '1', label: { en: 'None', ja: 'なし' } },
        {
          id: 'defect',
          key: '2',
          label: { en: 'Manufacturing defect (seams, print)', ja: '製造上の不良（縫製・プリント）' },
          effects: { maxGrade: 'D', condition: 'defective', fault: 'vendor', photo: 'damage' },
        },
        { id: 'torn', key: '3', label: { en: 'Torn / holes', ja: '破れ・穴あき' }, effects: { maxGrade: 'D', condition: 'damaged', fault: 'customer', photo: 'damage' } },
        { id: 'destroyed', key: '4', label: { en: 'Beyond repair', ja: '修復不能' }, effects: { maxGrade: 'scrap', condition: 'unusable', fault: 'customer', photo: 'scrap' } },
      ],
    },
  ],
});
