import { GradingProfile } from '../../../contract/index.js';
import { packagingQuestion } from './packaging.js';

export const electronicsProfile: GradingProfile = GradingProfile.parse({
  id: 'electronics',
  category: 'electronics',
  version: 1,
  title: { en: 'Electronics', ja: '家電' },
  photoRequiredGrades: ['scrap'],
  questions: [
    packagingQuestion('opened_intact'),
    {
      id: 'powers_on',
      text: { en: 'Powers on?', ja: '電源は入りますか？' },
      likely: 'yes',
      answers: [
        { id: 'yes', key: '1', label: { en: 'Yes', ja: 'はい' } },
        {
          id: 'no',
          key: '2',
          // Dead on arrival is an initial defect (初期不良): the vendor's, until the screen says otherwise.
          label: { en: 'No', ja: 'いいえ' },
          effects: { maxGrade: 'D', condition: 'defective', fault: 'vendor', photo: 'damage', observations: ['not_powering_on'] },
        },
      ],
    },
    {
      id: 'serial_match',
      text: { en: 'Serial number matches the sale?', ja: 'シリアル番号は販売時と一致しますか？' },
      likely: 'yes',
      source: 'serial_scan',
      answers: [
        { id: 'yes', key: '1', label: { en: 'Yes', ja: '一致' } },
        { id: 'no', key: '2', label: { en: 'No', ja: '不一致' }, effects: { photo: 'wrong_item', observations: ['serial_mismatch'] } },
      ],
    },
    {
      id: 'accessories',
      text: { en: 'Accessories complete?', ja: '付属品はそろっていますか？' },
      likely: 'yes',
      answers: [
        { id: 'yes', key: '1', label: { en: 'Complete', ja: 'そろっている' } },
        { id: 'no', key: '2', label: { en: 'Missing', ja: '欠品あり' }, effects: { maxGrade: 'B', fault: 'customer', observations: ['accessories_missing'] } },
      ],
    },
    {
      id: 'screen',
      text: { en: 'Screen condition?', ja: '画面の状態は？' },
      likely: 'flawless',
      answers: [
        { id: 'no_screen', key: '0', label: { en: 'No screen', ja: '画面なし' } },
        { id: 'flawless', key: '1', label: { en: 'Flawless', ja: '傷なし' } },
        { id: 'light_scratches', key: '2', label: { en: 'Light scratches', ja: '小傷あり' }, effects: { maxGrade: 'A', condition: 'like_new' } },
        {
          id: 'heavy_scratches',
          key: '3',
          label: { en: 'Heavy scratches', ja: '目立つ傷あり' },
          effects: { maxGrade: 'C', condition: 'used_fair', fault: 'customer', photo: 'damage' },
        },
        { id: 'cracked', key: '4', label: { en: 'Cracked', ja: '割れあり' }, effects: { maxGrade: 'D', condition: 'damaged', fault: 'customer', photo: 'damage' } },
      ],
    },
    {
      id: 'factory_reset',
      text: { en: 'Factory reset done?', ja: '初期化は済んでいますか？' },
      likely: 'yes',
      // A device that does not power on cannot be reset.
      askIf: { question: 'powers_on', answers: ['yes'] },
      answers: [
        { id: 'yes', key: '1', label: { en: 'Yes', ja: 'はい' } },
        { id: 'no', key: '2', label: { en: 'No, customer data may remain', ja: 'いいえ（顧客データ残存の可能性）' }, effects: { observations: ['reset_pending'] } },
      ],
    },
  ],
});
