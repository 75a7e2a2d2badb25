import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.js';
import { describeError, saysWhatNext } from './describe.js';

describe('describeError', () => {
  it('names a destination in the operator language, not by its code (error.wrongContainer)', () => {
    const error = { code: 'CONFLICT' as const, messageKey: 'error.wrongContainer', params: { lpn: 'LPN-BENCH01-0000001', disposition: 'restock', destination: 'RESTOCK', container: 'BIN-1' }, message: 'LPN goes to RESTOCK' };
    const ja = createI18n('ja');
    expect(describeError(ja.t, (k) => ja.exists(k), error).text).toBe('この商品は別のコンテナ（良品在庫）に入れてください。');
    const en = createI18n('en');
    expect(describeError(en.t, (k) => en.exists(k), error).text).toBe('This item goes to another container (Restock).');
    // A destination the dictionaries do not name stays as it came.
    const own = { ...error, params: { ...error.params, destination: 'SHELF-7' } };
    expect(describeError(ja.t, (k) => ja.exists(k), own).text).toBe('この商品は別のコンテナ（SHELF-7）に入れてください。');
  });
});

describe('saysWhatNext', () => {
  const err = (messageKey: string, code: 'NOT_FOUND' | 'INVALID_INPUT' | 'CONFLICT' = 'NOT_FOUND', params: Record<string, string> = {}) => ({ code, messageKey, params, message: '' });
  it('does not add "scan again" where the sentence says to set the tote aside, search, or where the code field help says it', () => {
    expect(saysWhatNext(err('error.tote.noManifest'))).toBe(true);
    expect(saysWhatNext(err('error.severalRmasForProduct', 'CONFLICT'))).toBe(true);
    expect(saysWhatNext(err('error.invalidInput', 'INVALID_INPUT', { field: 'code' }))).toBe(true);
    expect(saysWhatNext(err('error.alreadyGraded', 'CONFLICT'))).toBe(false);
    expect(saysWhatNext(err('error.invalidInput', 'INVALID_INPUT', { field: 'q' }))).toBe(false);
  });
});
