import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.js';
import type { ApiError } from '../../../contract/index.js';
import { describeDeviceReason, describeError, describePrinterMessage, saysWhatNext } from './describe.js';

describe('describeDeviceReason', () => {
  const ja = createI18n('ja').t;
  const en = createI18n('en').t;

  it('says a coded reason in the operator\'s language', () => {
    const unplugged = { reason: '/dev/ttyUSB0 is not there (unplugged or switched off?); waiting for it to come back', reasonCode: 'portAbsent' as const, reasonParams: { port: '/dev/ttyUSB0' } };
    expect(describeDeviceReason(ja, unplugged)).toBe('/dev/ttyUSB0 が見つかりません（抜けているか電源が切れていませんか）。戻るのを待っています');
    expect(describeDeviceReason(en, unplugged)).toBe(unplugged.reason);
    expect(describeDeviceReason(ja, { reason: 'reader does not answer …', reasonCode: 'readerSilent', reasonParams: { rounds: 3 } })).toMatch(/^リーダーが読み取り命令に応答しません（3 回連続/);
  });

  it('says a path that is no serial port, and any other port failure, in the operator\'s language', () => {
    const notSerial = { reason: '/dev/null is not a serial port (check the device\'s path in the device file)', reasonCode: 'portNotSerial' as const, reasonParams: { port: '/dev/null' } };
    expect(describeDeviceReason(ja, notSerial)).toBe('/dev/null はシリアルポートではありません（機器ファイルのパスを確認してください）');
    expect(describeDeviceReason(en, notSerial)).toBe(notSerial.reason);
    const failed = { reason: '/dev/ttyUSB0: Input/output error', reasonCode: 'portFailed' as const, reasonParams: { port: '/dev/ttyUSB0', detail: 'Input/output error' } };
    expect(describeDeviceReason(ja, failed)).toBe('/dev/ttyUSB0 を使えません：Input/output error');
  });

  it('lists a printer\'s faults each in words', () => {
    const faults = { reason: 'print head is open, out of labels', reasonCode: 'printerFault' as const, reasonParams: { faults: 'headOpen,paperOut' } };
    expect(describeDeviceReason(ja, faults)).toBe('印字ヘッドが開いています、ラベル切れ');
    expect(describeDeviceReason(en, faults)).toBe('print head is open, out of labels');
  });

  it('names a SATO fault that has no flag, and an unreadable status reply', () => {
    expect(describeDeviceReason(ja, { reason: 'cutter error', reasonCode: 'printerFault', reasonParams: { faults: 'cutter' } })).toBe('カッターのエラー');
    expect(describeDeviceReason(ja, { reason: 'printer\'s status reply cannot be read', reasonCode: 'printerBadReply' })).toMatch(/^プリンターの状態応答を読み取れません/);
  });

  it('shows the station\'s sentence when the reason has no code', () => {
    expect(describeDeviceReason(ja, { reason: '/dev/ttyUSB0: Input/output error' })).toBe('/dev/ttyUSB0: Input/output error');
  });
});

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

describe('describeError for a rule set that does not parse', () => {
  it('says why in the operator language, from the reason the station sends', () => {
    const error = (params: Record<string, string | number>) => ({ code: 'INVALID_INPUT' as const, messageKey: 'error.ruleSetInvalid', params, message: 'The rules are not valid: …' });
    const ja = createI18n('ja');
    const en = createI18n('en');
    expect(describeError(ja.t, (k) => ja.exists(k), error({ field: 'rules', issues: 1, reason: 'catchAllLast' })).text).toBe(
      'ルールが正しくありません。最後のルールは条件なし（すべての商品に当てはまるルール）にしてください。',
    );
    expect(describeError(en.t, (k) => en.exists(k), error({ field: 'rules.1.id', issues: 1, reason: 'rule', rule: 2 })).text).toBe(
      'The rules are not valid. Check how rule 2 is written (rules.1.id).',
    );
  });
});

describe('describePrinterMessage', () => {
  const ja = createI18n('ja');
  const en = createI18n('en');
  const exists = (k: string) => ja.exists(k);

  it('says the printer\'s message in the operator\'s language, with its parameters', () => {
    const refused = { text: 'print: 10.0.0.5:9100: ECONNREFUSED', key: 'printer.error.refused', params: { where: '10.0.0.5:9100' } };
    expect(describePrinterMessage(ja.t, exists, refused)).toBe('プリンター（10.0.0.5:9100）が接続を拒否しました（電源オフ、起動中、または別のパソコンが使用中）');
    expect(describePrinterMessage(en.t, (k) => en.exists(k), refused)).toMatch(/^The printer at 10\.0\.0\.5:9100 refused the connection/);
    expect(describePrinterMessage(ja.t, exists, { text: 'Out of labels', key: 'printer.fault.paperOut', params: {} })).toBe('ラベル切れです');
    expect(describePrinterMessage(ja.t, exists, { text: 'x', key: 'printer.status.silent', params: {} })).toMatch(/ステータス4/);
  });

  it('shows the station\'s English for a job kept before keys were, or a key this renderer does not know', () => {
    expect(describePrinterMessage(ja.t, exists, { text: 'ECONNREFUSED', key: null, params: null })).toBe('ECONNREFUSED');
    expect(describePrinterMessage(ja.t, exists, { text: 'Printer is on fire', key: 'printer.fault.onFire', params: {} })).toBe('Printer is on fire');
    expect(describePrinterMessage(ja.t, exists, { text: null, key: null, params: null })).toBe('');
  });
});

describe('a parcel label scanned at the item step', () => {
  it('says what to do next itself (F8 first), without the generic "scan it again" beside it', () => {
    expect(saysWhatNext({ code: 'CONFLICT', messageKey: 'error.parcelLabelWhileOpen', params: { code: '502352377391' }, message: '' })).toBe(true);
  });
});

describe('a network failure at the hub UI', () => {
  const network: ApiError = { code: 'INTERNAL', messageKey: 'error.network', params: {}, message: 'fetch failed' };
  it('names the site hub, in either language; at a bench it still names the station', () => {
    const ja = createI18n('ja');
    const en = createI18n('en');
    expect(describeError(ja.t, (k) => ja.exists(k), network, true).text).toBe(ja.t('error.site.hubUnreachable'));
    expect(describeError(ja.t, (k) => ja.exists(k), network, true).text).toContain('サイトハブ');
    expect(describeError(en.t, (k) => en.exists(k), network, true).text).toContain('site hub');
    expect(describeError(en.t, (k) => en.exists(k), network).text).toBe(en.t('error.network'));
    expect(describeError(en.t, (k) => en.exists(k), network).text).toContain('station');
  });
});
