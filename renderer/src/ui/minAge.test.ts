import { describe, expect, it } from 'vitest';
import { api, MAX_MIN_AGE_MINUTES } from '../../../contract/index.js';
import { minAgeFromInput } from './minAge.js';

describe('minAgeFromInput', () => {
  it('keeps whole minutes from 0 to a year, and every value it gives is one review.list accepts', () => {
    const cases: Array<[string, number | undefined]> = [
      ['', undefined],
      ['  ', undefined],
      ['abc', undefined],
      ['0', 0],
      ['-5', 0],
      ['0.5', 0],
      ['90', 90],
      ['525600', MAX_MIN_AGE_MINUTES],
      ['99999999', MAX_MIN_AGE_MINUTES],
      ['1e400', MAX_MIN_AGE_MINUTES],
    ];
    for (const [typed, expected] of cases) {
      const minAgeMinutes = minAgeFromInput(typed);
      expect(minAgeMinutes, typed).toBe(expected);
      expect(api['review.list'].input.safeParse(minAgeMinutes === undefined ? {} : { minAgeMinutes }).success, typed).toBe(true);
    }
  });
});
