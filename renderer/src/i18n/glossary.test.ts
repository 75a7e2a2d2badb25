// The warehouse's glossary: one word for one concept, and never one word for two. A banned variant that comes
// back in a new text (フォルダー beside フォルダ, ベンチ beside 作業台) fails here with the key that has it.
import { describe, expect, it } from 'vitest';
import { DISPOSITION_NAMES, GRADE_NAMES, RULE_SET_SOURCE_NAMES, type Names } from '../../../contract/displayNames.js';
import { ruleSetLabel } from '../../../domain/rules/ruleSetLabel.js';
import { summaryLabels } from '../../../core/workflow/exports/labels.js';
import { defaultRuleSet } from '../../../domain/rules/defaultRuleSet.js';
import { en } from './en.js';
import { createI18n } from './index.js';
import { ja } from './ja.js';
import { flattenTexts } from './flatten.test-helper.js';

/**
 * Every Japanese text the floor or the office reads: the screens, the export's summary sheet, the rule set's source
 * (screens and exports) and the reasons of the shipped rules (the result screen, the review and the rules screen
 * show them beside the screens' own words).
 */
const jaTexts = new Map([
  ...flattenTexts(ja),
  ...[...flattenTexts(summaryLabels.ja)].map(([k, v]) => [`export.${k}`, v] as const),
  ...Object.entries(RULE_SET_SOURCE_NAMES).map(([k, v]) => [`ruleSetSource.${k}`, v.ja] as const),
  ...defaultRuleSet.rules.map((r) => [`shippedRule.${r.id}`, r.explain.ja] as const),
]);

// [banned, the word to use instead, why]
const BANNED: readonly (readonly [RegExp, string, string])[] = [
  [/フォルダー/, 'フォルダ', 'one spelling of folder'],
  [/カテゴリー/, 'カテゴリ', 'the export columns say カテゴリ'],
  [/ベンチ/, '作業台', 'the bench is 作業台 on every screen'],
  [/担当者/, '作業者', 'an operator is 作業者 (the operators screen, the export)'],
  [/計量器/, 'はかり', 'the scale is はかり on the devices screen'],
  [/結び付/, '紐付け', 'linking a parcel to a return is 紐付け'],
  [/バッジ/, '社員証', 'the badge is 社員証 at sign-in'],
  [/検品プロファイル/, '判定プロファイル', 'the rules screen calls them 判定プロファイル'],
  [/RMA ?番号|RMAなし|RMA ?未紐付け/, '返品番号', 'RMA is 返品番号 in Japanese; the bare code prefix stays'],
  [/小包/, '荷物', 'a parcel is 荷物'],
  [/デッドレター/, '送信失敗', 'a dead letter is 送信失敗'],
  [/第 ?\{\{version\}\} ?版|バージョン ?\{\{version\}\}/, 'v{{version}}', 'a rule set version reads v3 everywhere'],
  [/別トート/, '他トート', "a stray bag is 他トートの袋 on the tote panel and in the lead's flags"],
  [/マニフェストにない/, 'マニフェスト外', 'one word for a bag on no manifest'],
  [/保留エリア/, '保留棚', 'the review destination is 保留棚 on the result, the label and the rules screen'],
  [/処分先/, '処分 / 行き先', '処分先 mixes the disposition (処分) with the destination (行き先)'],
  [/\(s\)|[A-Za-z]+\(s\)/, 'plural keys', 'English plural markers do not belong in Japanese'],
  [/[\u3040-\u30ff\u4e00-\u9fff）]:/, '：', 'a colon after Japanese text is full-width (J/K: after a key name stays)'],
];

describe('Japanese glossary', () => {
  it('reads enough texts to mean something', () => {
    expect(jaTexts.size).toBeGreaterThan(700);
    expect(jaTexts.get('export.deadLetters')).toContain('送信失敗');
    expect(jaTexts.get('shippedRule.flagged-to-review')).toContain('保留棚');
  });

  it.each(BANNED.map(([re, use, why]) => [re.source, use, why, re] as const))('no %s (use %s: %s)', (_source, _use, _why, re) => {
    expect([...jaTexts].filter(([, v]) => re.test(v)).map(([k, v]) => `${k}: ${v}`)).toEqual([]);
  });

  it('the grade and the routing outcome never share a name (scrap is 再販不可, disposal is 廃棄)', () => {
    const shared = (a: Names<string>, b: Names<string>, lang: 'ja' | 'en') => {
      const bNames = new Set(Object.values(b).map((n) => n[lang]));
      return Object.values(a).map((n) => n[lang]).filter((n) => bNames.has(n));
    };
    expect(shared(GRADE_NAMES, DISPOSITION_NAMES, 'ja')).toEqual([]);
    expect(shared(GRADE_NAMES, DISPOSITION_NAMES, 'en')).toEqual([]);
    expect(GRADE_NAMES.scrap.ja).toBe('再販不可');
    expect(DISPOSITION_NAMES.disposal.ja).toBe('廃棄');
  });

  it('廃棄 names only the disposal outcome, never the grade', () => {
    const t = createI18n('ja').t;
    expect(t('grade.scrap')).toBe('再販不可');
    expect(t('result.disposition.disposal')).toBe('廃棄');
    const misuse = [...flattenTexts(ja)].filter(([k, v]) => v.includes('廃棄') && k !== 'result.disposition.disposal');
    expect(misuse.map(([k, v]) => `${k}: ${v}`)).toEqual([]);
  });

  // Two concepts a reader at the bench must tell apart, each pair once shared a word.
  it.each([
    ['grade.scrap', 'result.disposition.disposal', 'a grade (再販不可) is not the routing outcome (廃棄)'],
    ['tote.bagState.expected', 'outcome.kind.missing', 'a bag not scanned yet (スキャン待ち) is not an item reported missing (未着)'],
    ['tote.bagState.missing', 'outcome.kind.missing', 'a bag short in a tote (不足) is not an item reported missing (未着)'],
  ])('%s and %s read differently (%s)', (a, b) => {
    const t = createI18n('ja').t;
    expect(t(a)).not.toBe(a);
    expect(t(b)).not.toBe(b);
    expect(t(a)).not.toBe(t(b));
  });

  it('a rule set says whose it is in the glossary\'s words: 作業台 for a bench, beside its version', () => {
    expect(ruleSetLabel(3, { source: 'bench', sourceId: 'BENCH-01' }, 'ja')).toBe('作業台 BENCH-01 v3');
    expect(ruleSetLabel(3, { source: 'site' }, 'ja')).toBe('サイト v3');
    expect(ruleSetLabel(2, { source: 'shipped' }, 'ja')).toBe('標準 v2');
    expect(ruleSetLabel(3, { source: 'bench', sourceId: 'BENCH-01' }, 'en')).toBe('bench BENCH-01 v3');
    expect(ruleSetLabel(3, { source: 'site', sourceId: 'SITE-01' }, 'en')).toBe('site v3');
    expect(ruleSetLabel(2, { source: 'shipped' }, 'en')).toBe('shipped v2');
    // An item graded before the source was recorded: its version alone, as before.
    expect(ruleSetLabel(3, undefined, 'ja')).toBe('v3');
    const t = createI18n('ja').t;
    expect(t('result.ruleId', { ruleId: 'like-new-restock', ruleSet: ruleSetLabel(3, { source: 'site' }, 'ja') })).toBe('like-new-restock · サイト v3');
  });

  it('a folder, once chosen, is the 保存先フォルダ on every export text', () => {
    const exportTexts = [...jaTexts].filter(([k]) => k.startsWith('reports.') || k.startsWith('error.export'));
    const bare = exportTexts.filter(([, v]) => /保存先(?!フォルダ)/.test(v));
    expect(bare.map(([k, v]) => `${k}: ${v}`)).toEqual([]);
  });
});

describe('English counts of bags', () => {
  const t = createI18n('en').t;
  it('one bag, two bags, in the station refusal and on the tote panel', () => {
    expect(t('error.tote.closeNeedsConfirmation', { count: 1, tote: 'TOTE-1' })).toBe('1 bag of TOTE-1 was not scanned. Press Y to close it anyway.');
    expect(t('error.tote.closeNeedsConfirmation', { count: 3, tote: 'TOTE-1' })).toBe('3 bags of TOTE-1 were not scanned. Press Y to close it anyway.');
    expect(t('tote.closeConfirm', { count: 1 })).toMatch(/^1 bag not scanned\..* it is flagged/);
    expect(t('tote.closeConfirm', { count: 2 })).toMatch(/^2 bags not scanned\..* they are flagged/);
    expect(flattenTexts(en).get('tote.closeConfirm_one')).toBeDefined();
  });
});
