import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.js';
import { syncErrorText } from './SyncBar.js';

// The station's English stays in lastError for support; the bar speaks the operator's language (issue 11, point 8).
const offline = {
  lastError: 'Cannot reach the WMS at http://127.0.0.1:1. Events are kept on this station and will be sent when it is back.',
  lastErrorKey: 'sync.error.network',
  lastErrorParams: { url: 'http://127.0.0.1:1' },
};

describe('sync bar error text', () => {
  it('is Japanese on a Japanese screen, with the WMS address', () => {
    const i18n = createI18n('ja');
    const text = syncErrorText(i18n.t, (k) => i18n.exists(k), offline);
    expect(text).toBe('WMS（http://127.0.0.1:1）に接続できません。データはこのステーションに保存され、復旧後に送信されます。');
    expect(text).not.toContain('Cannot reach');
  });

  it('is English on an English screen, and an unknown key falls back to the generic sentence, never raw English', () => {
    const i18n = createI18n('en');
    expect(syncErrorText(i18n.t, (k) => i18n.exists(k), offline)).toContain('Cannot reach the WMS (http://127.0.0.1:1)');
    const ja = createI18n('ja');
    expect(syncErrorText(ja.t, (k) => ja.exists(k), { ...offline, lastErrorKey: 'sync.error.fromTheFuture' })).toBe(ja.t('sync.error.other'));
  });
});
