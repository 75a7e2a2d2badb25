import { GradingProfile } from '../../../contract/index.js';
import { packagingQuestion } from './packaging.js';

export const shoesProfile: GradingProfile = GradingProfile.parse({
  id: 'shoes',
  category: 'shoes',
  version: 1,
  title: { en: 'Shoes', ja: 'シューズ' },
  photoRequiredGrades: ['scrap'],
  questions: [
    packagingQuestion('opened_intact'),
    {
      id: 'box',
      // A shipping label stuck straight on the shoe box spoils it for sale as new.
      text: { en: 'Shoe box clean (no label or writing on it)?', ja: '靴箱はきれいですか（伝票貼付・書き込みなし）？' },
      likely: 'clean',
      askIf: { question: 'packaging', answers: ['opened_intact', 'damaged'] },
      answers: [
        { id: 'clean', key: '1', label: { en: 'Clean', ja: 'きれい' } },
        { id: 'marked', key: '2', label: { en: 'Label or writing on the box', ja: '伝票貼付・書き込みあり' }, effects: { maxGrade: 'A', fault: 'customer' } },
      ],
    },
    {
      id: 'sole_wear',
      text: { en: 'Sole wear?', ja: 'ソールの摩耗は？' },
      likely: 'none',
      answers: [
        { id: 'none', key: '1', label: { en: 'None', ja: 'なし' } },
        { id: 'indoor', key: '2', label: { en: 'Tried on indoors', ja: '室内試し履き程度' }, effects: { maxGrade: 'A', condition: 'like_new' } },
        { id: 'light', key: '3', label: { en: 'Worn outside, light', ja: '屋外使用・軽度' }, effects: { maxGrade: 'B', condition: 'used_good', fault: 'customer' } },
        { id: 'heavy', key: '4', label: { en: 'Heavy wear', ja: '摩耗が激しい' }, effects: { maxGrade: 'D', condition: 'damaged', fault: 'customer', photo: 'damage' } },
      ],
    },
    {
      id: 'upper',
      text: { en: 'Upper: scuffs or damage?', ja: 'アッパーの傷・破損は？' },
      likely: 'none',
      answers: [
        { id: 'none', key: '1', label: { en: 'None', ja: 'なし' } },
        { id: 'scuffs', key: '2', label: { en: 'Scuffs', ja: 'すり傷' }, effects: { maxGrade: 'C', condition: 'used_fair', fault: 'customer', photo: 'damage' } },
        {
          id: 'defect',
          key: '3',
          label: { en: 'Manufacturing defect (glue, stitching)', ja: '製造上の不良（接着・縫製）' },
          effects: { maxGrade: 'D', condition: 'defective', fault: 'vendor', photo: 'damage' },
        },
        { id: 'destroyed', key: '4', label: { en: 'Beyond repair', ja: '修復不能' }, effects: { maxGrade: 'scrap', condition: 'unusable', fault: 'customer', photo: 'scrap' } },
      ],
    },
  ],
});
