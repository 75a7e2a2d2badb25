import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../contract/index.js';
import { createI18n, type Language } from '../i18n/index.js';
import { NoticePanel } from './NoticePanel.js';

/** The notice as the operator sees it: its title and whether it is amber (a check) or red (an error). */
function shown(error: ApiError, language: Language): { title: string; warn: boolean } {
  const html = renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <I18nextProvider i18n={createI18n(language)}>
        <NoticePanel notice={{ kind: 'error', error, during: 'item' }} />
      </I18nextProvider>
    </QueryClientProvider>,
  );
  return { title: /<strong class="notice-title">([^<]*)<\/strong>/.exec(html)?.[1] ?? '', warn: html.includes('notice-warn') };
}

const err = (messageKey: string, code: ApiError['code'], params: ApiError['params'] = {}): ApiError => ({ code, messageKey, params, message: '' });

describe('a notice is titled by what happened', () => {
  it('an item not on the return is a check for the operator, not an error, in both languages', () => {
    const notOnReturn = err('error.itemNotOnRma', 'NOT_FOUND', { rma: 'RMA-00000001', code: '4900000000012', gtin: '04900000000012' });
    expect(shown(notOnReturn, 'ja')).toEqual({ title: '確認してください', warn: true });
    expect(shown(notOnReturn, 'en')).toEqual({ title: 'Please check', warn: true });
  });

  it('so are the other answers where nothing failed', () => {
    for (const key of ['error.parcelLabelWhileOpen', 'tote.closeParcelFirst', 'error.site.alreadyDecided', 'error.notPendingReview', 'error.relabel.notListed', 'error.setupDone']) {
      expect([key, shown(err(key, 'CONFLICT'), 'ja').title]).toEqual([key, '確認してください']);
    }
  });

  it('a failure is still an error', () => {
    expect(shown(err('error.itemCheckDigit', 'INVALID_INPUT', { code: '4900000000013' }), 'ja')).toEqual({ title: 'エラー', warn: false });
    expect(shown(err('error.device.noPrinter', 'NOT_FOUND'), 'en')).toEqual({ title: 'Error', warn: false });
  });
});
