import { describe, expect, it } from 'vitest';
import { dateForField, datePlaceholder, isIsoDate, parseDateField } from './dateText.js';

describe('a date field in the UI language', () => {
  it('shows yyyy/mm/dd in Japanese and yyyy-mm-dd in English, whatever the browser locale', () => {
    expect(dateForField('2026-12-07', 'ja')).toBe('2026/12/07');
    expect(dateForField('2026-12-07', 'en')).toBe('2026-12-07');
    expect(datePlaceholder('ja')).toBe('yyyy/mm/dd');
    expect(dateForField('', 'ja')).toBe('');
  });

  it.each([
    ['2026/12/07', '2026-12-07'],
    ['2026/12/7', '2026-12-07'],
    ['2026-12-07', '2026-12-07'],
    ['2026.12.07', '2026-12-07'],
    ['20261207', '2026-12-07'],
    // An IME left on: full-width digits and slashes, or the date written out.
    ['２０２６／１２／０７', '2026-12-07'],
    ['2026年12月7日', '2026-12-07'],
    [' 2026/2/28 ', '2026-02-28'],
    ['2028/2/29', '2028-02-29'],
  ])('reads %s as %s', (typed, iso) => {
    expect(parseDateField(typed)).toBe(iso);
  });

  it.each(['', '2026/12', '2026/13/01', '2026/02/30', '2027/2/29', '12/07/2026', 'abc', '2026/12/07/1'])('refuses %j', (typed) => {
    expect(parseDateField(typed)).toBeNull();
  });

  it('isIsoDate holds only for whole, real dates', () => {
    expect(isIsoDate('2026-12-07')).toBe(true);
    expect(isIsoDate('2026/12/07')).toBe(false);
    expect(isIsoDate('2026-02-30')).toBe(false);
  });
});
