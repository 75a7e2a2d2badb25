import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.js';
import { hubAway, syncErrorText } from './SyncBar.js';

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

describe('sync bar at the hub UI', () => {
  it('treats the WMS state as unknown while the hub does not answer, and a bench’s bar as before', () => {
    expect(hubAway(true, false, false)).toBe(true);
    expect(hubAway(true, true, true)).toBe(true);
    expect(hubAway(true, true, false)).toBe(false);
    // A bench's own bar: its sync status is its own, whatever the event socket does.
    expect(hubAway(false, false, true)).toBe(false);
    expect(createI18n('ja').t('sync.hubDisconnected')).toContain('サイトハブ');
  });
});
