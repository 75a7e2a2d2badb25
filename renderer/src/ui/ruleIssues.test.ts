// A supervisor editing rules reads what is wrong in the screen's language, with the rule number and field: never
// zod's or the JSON parser's English inside a Japanese sentence.
import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../../../domain/rules/defaultRuleSet.js';
import { ruleSetRefusal, validateRuleSet } from '../../../domain/rules/ruleSetVersions.js';
import { createI18n } from '../i18n/index.js';
import { checkRules, parseProfilesJson, parseRulesJson } from '../screens/Rules.js';
import { describeError } from './describe.js';
import { ruleIssuesText } from './ruleIssues.js';

const ja = createI18n('ja');
const en = createI18n('en');
const rules = defaultRuleSet.rules;
/** The rules with the second one's `then` replaced. */
const withThen = (then: unknown) => JSON.stringify(rules.map((r, i) => (i === 1 ? { ...r, then } : r)), null, 2);

function said(text: string, language: 'ja' | 'en'): string {
  const r = parseRulesJson(text);
  if (!('issues' in r)) throw new Error('parsed');
  const i18n = language === 'ja' ? ja : en;
  return i18n.t('rules.invalid', { error: ruleIssuesText(i18n.t, r.issues) });
}

/** zod's and V8's English, which must not reach a Japanese screen. */
const ENGLISH = /Invalid|expected|received|Too (small|big)|Unrecognized|Unexpected|JSON at position/;

describe('the rules JSON editor', () => {
  it('a disposition not among the choices: the rule, the field, what was written and what may be', () => {
    const text = withThen({ disposition: 'restok', destination: 'RECYCLE' });
    expect(said(text, 'ja')).toBe(
      'ルールが正しくありません。ルール 2 の「then.disposition」：「restok」は使えません。次のどれかにしてください：restock, resale, repair, disposal, quarantine',
    );
    expect(said(text, 'en')).toBe('The rules are not valid. Rule 2, then.disposition: “restok” is not allowed here. Use one of: restock, resale, repair, disposal, quarantine.');
  });

  it('an empty destination, a missing reason, a text where a number goes, an unknown field, in both languages', () => {
    const cases: [string, string, string][] = [
      [withThen({ disposition: 'disposal', destination: '' }), 'ルール 2 の「then.destination」：空にはできません。', 'Rule 2, then.destination: Must not be empty.'],
      [
        withThen({ disposition: 'disposal', destination: 'X'.repeat(40) }),
        'ルール 2 の「then.destination」：32文字以内で書いてください。',
        'Rule 2, then.destination: Write at most 32 characters.',
      ],
      [
        JSON.stringify([{ ...rules[0], explain: { en: 'x' } }, ...rules.slice(1)]),
        'ルール 1 の「explain.ja」：必須の項目がありません。',
        'Rule 1, explain.ja: This field is required and missing.',
      ],
      [
        JSON.stringify([{ ...rules[0], when: { minPriceJpy: '5000' } }, ...rules.slice(1)]),
        'ルール 1 の「when.minPriceJpy」：数値で書いてください（書かれている値：5000）。',
        'Rule 1, when.minPriceJpy: Write a number here (found 5000).',
      ],
      [
        JSON.stringify([{ ...rules[0], when: { grade: ['A'] } }, ...rules.slice(1)]),
        'ルール 1 の「when」：ルールにない項目です：grade。綴りを確認してください。',
        'Rule 1, when: Not a field the rules know: grade. Check the spelling.',
      ],
    ];
    for (const [text, jaText, enText] of cases) {
      expect(said(text, 'ja')).toContain(jaText);
      expect(said(text, 'ja')).not.toMatch(ENGLISH);
      expect(said(text, 'en')).toContain(enText);
    }
  });

  it('text that is not JSON: where, in words, not the parser’s English', () => {
    const text = '[\n  { "id": "a", }\n]';
    expect(said(text, 'ja')).toBe('ルールが正しくありません。JSONの書き方が正しくありません（2行目 16文字目付近）。そのあたりのカンマ・括弧・引用符を確認してください。');
    expect(said(text, 'en')).toBe('The rules are not valid. This is not valid JSON (near line 2, column 16): check the commas, brackets and quotes there.');
  });

  it('says how many more problems there are', () => {
    const text = JSON.stringify([{ ...rules[0], id: 'Bad Id', explain: {} }, ...rules.slice(1)]);
    expect(said(text, 'ja')).toMatch(/^ルールが正しくありません。ルール 1 の「id」：「Bad Id」はルールのIDに使えません。.*（ほかに 2 件）$/);
    expect(said(text, 'en')).toMatch(/\(and 2 more problems\)$/);
  });

  it('the form’s rules are checked too (a destination emptied), and the profiles are numbered as profiles', () => {
    const emptied = checkRules(rules.map((r, i) => (i === 0 ? { ...r, then: { ...r.then, destination: '' } } : r)));
    if (!('issues' in emptied)) throw new Error('accepted');
    expect(ruleIssuesText(ja.t, emptied.issues)).toBe('ルール 1 の「then.destination」：空にはできません。');
    const profiles = parseProfilesJson('[{"id": "shoes"}]');
    if (!('issues' in profiles)) throw new Error('accepted');
    expect(ja.t('rules.profilesInvalid', { error: ruleIssuesText(ja.t, profiles.issues) })).toMatch(/^判定プロファイルが正しくありません。判定プロファイル 1 の「category」：必須の項目がありません。（ほかに \d+ 件）$/);
  });
});

describe('a rule set refused by the station or the hub', () => {
  const refused = (input: unknown) => {
    const v = validateRuleSet(input);
    if (v.ok) throw new Error('valid');
    const { message, params } = ruleSetRefusal(v.issues);
    return { code: 'INVALID_INPUT' as const, messageKey: 'error.ruleSetInvalid', params, message };
  };

  it('names the rule and what is wrong, in the operator’s language', () => {
    const error = refused({ version: 3, rules: [{ ...rules[0], when: { minPriceJpy: 9000, maxPriceJpy: 100 } }, ...rules.slice(1)] });
    expect(describeError(ja.t, (k) => ja.exists(k), error).text).toBe(
      'ルールが正しくありません。ルール 1 の「when.minPriceJpy」：最低価格が最高価格を超えています。',
    );
    expect(describeError(en.t, (k) => en.exists(k), error).text).toBe('The rules are not valid. Rule 1, when.minPriceJpy: A minimum price is above its maximum price.');
    const noCatchAll = refused({ version: 3, rules: rules.slice(0, -1) });
    expect(describeError(ja.t, (k) => ja.exists(k), noCatchAll).text).toBe('ルールが正しくありません。最後のルールは条件なし（すべての商品に当てはまるルール）にしてください。');
  });
});
