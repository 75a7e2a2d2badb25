// Issue 11 (13): a refused input is explained in the operator's language, never as an internal
// field name (「入力が正しくありません（q）」). The station's answer goes through the renderer's wording.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../contract/index.js';
import { createHarness, type Harness } from '../../core/workflow/harness.test-helper.js';
import { createI18n } from '../../renderer/src/i18n/index.js';
import { describeError } from '../../renderer/src/ui/describe.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness(() => undefined);
  await h.signIn('sup', 'supervisor');
});
afterAll(() => h.close());

async function refusal(name: string, input: unknown): Promise<ApiError> {
  const r = await h.handle('sup', name, input);
  if (r.ok) throw new Error(`${name} was accepted`);
  return r.error;
}

function words(language: 'ja' | 'en', error: ApiError): string {
  const i18n = createI18n(language);
  const { text, detail } = describeError(i18n.t, (k) => i18n.exists(k), error);
  return [text, detail].filter(Boolean).join(' ');
}

describe('input the station refuses', () => {
  it('a start date after the end date has its own message: swap the dates', async () => {
    const error = await refusal('reports.summary', { from: '2026-11-05', to: '2026-11-01' });
    expect(error.messageKey).toBe('error.dateRange');
    expect(words('ja', error)).toBe('開始日が終了日より後になっています。開始日を終了日と同じか、それより前にしてください。');
    expect(words('en', error)).toMatch(/start date is after the end date/);
  });

  it.each([
    ['parcel.search', { q: 'a' }, /2〜100文字/],
    ['parcel.open', { code: '' }, /スキャンするか手入力/],
    ['reports.export', { format: 'csv', fileName: '../x' }, /ファイル名/],
    ['reports.setExportFolder', { folder: '' }, /フルパス/],
  ])('%s says what to do, without the field name', async (name, input, advice) => {
    const error = await refusal(name, input);
    expect(error.code).toBe('INVALID_INPUT');
    const ja = words('ja', error);
    expect(ja).toMatch(advice);
    expect(ja).not.toMatch(/[（(][A-Za-z.]+[)）]|[A-Za-z]{2,}/);
    expect(words('en', error)).not.toMatch(/\((q|code|fileName|folder)\)/);
  });

  it('a field without advice of its own gets a plain sentence, not its name or zod English', () => {
    const error: ApiError = { code: 'INVALID_INPUT', messageKey: 'errors.invalidInput', params: { field: 'unexpected.insteadOfLineId' }, message: 'invalid input: Too small' };
    expect(words('ja', error)).toBe('入力内容を受け付けられませんでした。内容を確認して、もう一度お試しください。');
    expect(words('en', error)).not.toMatch(/insteadOfLineId|Too small/);
  });
});
