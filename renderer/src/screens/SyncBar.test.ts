import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../i18n/index.js';
import { whenBack } from '../station/StationContext.js';
import { scopeOutOfDate } from '../ui/ScopeNote.js';
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

describe('sync bar of a bench behind a site hub', () => {
  it('names the hub, not the WMS, in both languages; a key with no hub text keeps its own', () => {
    const ja = createI18n('ja');
    const en = createI18n('en');
    const viaHub = { ...offline, lastErrorParams: { url: 'http://127.0.0.1:8090' }, viaHub: true };
    expect(syncErrorText(ja.t, (k) => ja.exists(k), viaHub)).toBe('サイトハブ（http://127.0.0.1:8090）に接続できません。データはこの作業台に保存され、復旧後に送信されます。');
    expect(syncErrorText(en.t, (k) => en.exists(k), viaHub)).toBe('Cannot reach the site hub (http://127.0.0.1:8090). Events are kept here and sent when it is back.');
    for (const key of ['timeout', 'auth', 'malformed', 'httpRetry', 'httpRefused']) {
      const text = syncErrorText(ja.t, (k) => ja.exists(k), { ...viaHub, lastErrorKey: `sync.error.${key}`, lastErrorParams: { status: 503 } });
      expect(text, key).toContain('サイトハブ');
      expect(text, key).not.toContain('WMS');
    }
    expect(syncErrorText(ja.t, (k) => ja.exists(k), { ...viaHub, lastErrorKey: 'sync.error.manifestMalformed', lastErrorParams: { detail: 'x' } })).toContain('WMSから届いた');
    expect(ja.t('sync.online', { context: 'hub' })).toBe('サイトハブ接続中');
    expect(en.t('sync.online', { context: 'hub' })).toBe('Site hub online');
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

describe('the hub notice follows the hub (it went away only when dismissed or on the next slow poll)', () => {
  it('asks every screen again each time the event channel comes back, not at the first connection', () => {
    let calls = 0;
    const listen = whenBack(() => calls++);
    listen(true);
    expect(calls).toBe(0);
    listen(false);
    listen(false);
    expect(calls).toBe(0);
    listen(true);
    expect(calls).toBe(1);
    listen(true);
    expect(calls).toBe(1);
    // Away again, and back again: said again, and gone again.
    listen(false);
    listen(true);
    expect(calls).toBe(2);
  });

  it('at the hub UI: the failed status is asked again when the hub is back, so the bar stops saying it is away', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    let hubUp = false;
    let eventsUp = false;
    const observer = new QueryObserver(queryClient, { queryKey: ['sync'], queryFn: () => (hubUp ? Promise.resolve({ online: true }) : Promise.reject(new Error('hub away'))) });
    const off = observer.subscribe(() => undefined);
    const listen = whenBack(() => void queryClient.invalidateQueries());
    const away = () => hubAway(true, eventsUp, observer.getCurrentResult().isError);
    await vi.waitFor(() => expect(observer.getCurrentResult().isError).toBe(true));
    listen(false);
    expect(away()).toBe(true);
    // The hub answers again: its event socket reconnects, and the status is asked at once (not in 15 s).
    hubUp = true;
    eventsUp = true;
    listen(true);
    await vi.waitFor(() => expect(away()).toBe(false));
    // And away again: the bar says so again.
    hubUp = false;
    eventsUp = false;
    listen(false);
    expect(away()).toBe(true);
    off();
  });
});

describe('the "this bench only" note follows the hub', () => {
  it('is out of date while the hub answers again, or while a whole-site answer stands with the hub away', () => {
    expect(scopeOutOfDate('bench', true)).toBe(true);
    expect(scopeOutOfDate('site', false)).toBe(true);
    expect(scopeOutOfDate('bench', false)).toBe(false);
    expect(scopeOutOfDate('site', true)).toBe(false);
    // A bench without a hub, or the sync status not known yet: nothing to follow.
    expect(scopeOutOfDate(undefined, false)).toBe(false);
    expect(scopeOutOfDate('bench', undefined)).toBe(false);
  });
});
