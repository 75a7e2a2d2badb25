import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.js';
import { describeDeviceReason } from './describe.js';

describe('describeDeviceReason', () => {
  const ja = createI18n('ja').t;
  const en = createI18n('en').t;

  it('says a coded reason in the operator\'s language', () => {
    const unplugged = { reason: '/dev/ttyUSB0 is not there (unplugged or switched off?); waiting for it to come back', reasonCode: 'portAbsent' as const, reasonParams: { port: '/dev/ttyUSB0' } };
    expect(describeDeviceReason(ja, unplugged)).toBe('/dev/ttyUSB0 が見つかりません（抜けているか電源が切れていませんか）。戻るのを待っています');
    expect(describeDeviceReason(en, unplugged)).toBe(unplugged.reason);
    expect(describeDeviceReason(ja, { reason: 'reader does not answer …', reasonCode: 'readerSilent', reasonParams: { rounds: 3 } })).toMatch(/^リーダーが読み取り命令に応答しません（3 回連続/);
  });

  it('lists a printer\'s faults each in words', () => {
    const faults = { reason: 'print head is open, out of labels', reasonCode: 'printerFault' as const, reasonParams: { faults: 'headOpen,paperOut' } };
    expect(describeDeviceReason(ja, faults)).toBe('印字ヘッドが開いています、ラベル切れ');
    expect(describeDeviceReason(en, faults)).toBe('print head is open, out of labels');
  });

  it('shows the station\'s sentence when the reason has no code', () => {
    expect(describeDeviceReason(ja, { reason: '/dev/ttyUSB0: Input/output error' })).toBe('/dev/ttyUSB0: Input/output error');
  });
});
