import { describe, expect, it } from 'vitest';
import { containsLikePattern, hiraganaToKatakana, namesBench, nameMatchScore, normalizeForSearch, normalizePhone, phoneMatchScore } from './normalize.js';

describe('normalizeForSearch', () => {
  it('makes hiragana, katakana and half-width katakana spellings of a name equal', () => {
    const forms = ['サトウ ハナコ', 'さとう はなこ', 'ｻﾄｳ ﾊﾅｺ', 'さとうハナコ', 'サトウ　ハナコ'];
    expect(new Set(forms.map(normalizeForSearch))).toEqual(new Set(['サトウハナコ']));
  });

  it('composes half-width voiced kana (ｶﾞ → ガ) and keeps the long vowel mark', () => {
    expect(normalizeForSearch('ｶﾞｸ')).toBe('ガク');
    expect(normalizeForSearch('ゆーこ')).toBe('ユーコ');
    expect(normalizeForSearch('ﾕｰｺ')).toBe('ユーコ');
  });

  it('folds full-width ASCII and case, removes spaces, hyphens and middle dots', () => {
    expect(normalizeForSearch('ＳＡＴＯ Hanako')).toBe('satohanako');
    expect(normalizeForSearch('APP－000123')).toBe('app000123');
    expect(normalizeForSearch('ジョン・スミス')).toBe('ジョンスミス');
    expect(normalizeForSearch('佐藤　花子')).toBe('佐藤花子');
  });

  it('leaves kanji and romaji alone', () => {
    expect(normalizeForSearch('鈴木')).toBe('鈴木');
    expect(normalizeForSearch('suzuki')).toBe('suzuki');
  });
});

describe('hiraganaToKatakana', () => {
  it('maps the whole hiragana block including ゔ and iteration marks', () => {
    expect(hiraganaToKatakana('ぁあゔゕゖゝゞ')).toBe('ァアヴヵヶヽヾ');
    expect(hiraganaToKatakana('abc カナ 漢字')).toBe('abc カナ 漢字');
  });
});

describe('normalizePhone', () => {
  it.each([
    ['090-1234-5678', '09012345678'],
    ['０９０－１２３４－５６７８', '09012345678'],
    ['090 1234 5678', '09012345678'],
    ['(03) 1234-5678', '0312345678'],
    ['+81 90-1234-5678', '09012345678'],
    ['+81-3-1234-5678', '0312345678'],
    ['0081-3-1234-5678', '0312345678'],
    ['０９０ー１２３４ー５６７８', '09012345678'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it('returns an empty string when there are no digits', () => {
    expect(normalizePhone('なし')).toBe('');
  });
});

describe('nameMatchScore', () => {
  it('matches a reading at the start of a word, never inside one', () => {
    expect(nameMatchScore('サイトウ ハナコ', 'いとう')).toBe(0);
    expect(nameMatchScore('イトウ ユキ', 'いとう')).toBe(3);
    expect(nameMatchScore('イトウ ユキ', 'いと')).toBe(2);
    expect(nameMatchScore('ヤマダ ハナコ', 'はなこ')).toBe(3);
    expect(nameMatchScore('ヤマダ ハナコ', 'やまだはなこ')).toBe(3);
    expect(nameMatchScore('ヤマダ ハナコ', 'ﾔﾏﾀﾞ')).toBe(3);
    expect(nameMatchScore('山田 花子', '花')).toBe(2);
    expect(nameMatchScore('山田 花子', '田')).toBe(0);
  });
});

describe('phoneMatchScore', () => {
  it('finds a number by its start or its last digits', () => {
    expect(phoneMatchScore('090-1234-5678', '090')).toBe(2);
    expect(phoneMatchScore('090-1234-5678', '０９０１２３４')).toBe(2);
    expect(phoneMatchScore('090-1234-5678', '5678')).toBe(1);
    expect(phoneMatchScore('090-1234-5678', '09012345678')).toBe(3);
    expect(phoneMatchScore('090-1234-5678', '12')).toBe(0);
    expect(phoneMatchScore('080-1234-5678', '090')).toBe(0);
  });
});

describe('containsLikePattern', () => {
  it('takes the typed text literally: LIKE wildcards and the escape character are escaped', () => {
    expect(containsLikePattern('sato')).toBe('%sato%');
    expect(containsLikePattern('100%')).toBe('%100\\%%');
    expect(containsLikePattern('A_B')).toBe('%A\\_B%');
    expect(containsLikePattern('a\\b')).toBe('%a\\\\b%');
  });

  it('makes full-width letters ASCII and drops spaces, as the names it is compared with are', () => {
    expect(containsLikePattern('ＯＰ－１００１')).toBe('%OP-1001%');
    expect(containsLikePattern('佐藤　花子')).toBe('%佐藤花子%');
  });
});

describe('namesBench', () => {
  it('names a bench by its whole id in any case, full-width typing included', () => {
    for (const typed of ['BENCH-01', 'bench-01', 'Bench-01', 'ｂｅｎｃｈ－０１', ' BENCH-01 ']) expect(namesBench(typed, 'BENCH-01'), typed).toBe(true);
  });

  it('does not take part of an id for the bench, nor a LIKE wildcard for anything', () => {
    for (const typed of ['BENCH', '01', 'BENCH-0', 'BENCH-011', '%', 'BENCH_01', 'BENCH-0%']) expect(namesBench(typed, 'BENCH-01'), typed).toBe(false);
    expect(namesBench('BENCH-1', 'BENCH-10')).toBe(false);
  });
});
