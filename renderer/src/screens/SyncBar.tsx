import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../contract/index.js';
import { queryKeys, useEventsConnected, useStation, useSyncStatus, useSystemInfo } from '../station/StationContext.js';
import { DeviceAlerts } from './DeviceAlerts.js';

/**
 * The last sync error in the operator's language; the station's English text (kept in the tooltip for
 * support) only for a key this renderer does not know.
 */
export function syncErrorText(t: TFunction, exists: (key: string) => boolean, s: Pick<SyncStatus, 'lastError' | 'lastErrorKey' | 'lastErrorParams' | 'viaHub'>): string {
  // Behind a site hub the hub is what the bench talks to: its texts name the hub (`<key>_hub`, where one exists).
  if (s.lastErrorKey && exists(s.lastErrorKey)) return t(s.lastErrorKey, { ...(s.lastErrorParams ?? {}), ...(s.viaHub ? { context: 'hub' } : {}) });
  return s.lastErrorKey ? t('sync.error.other') : (s.lastError ?? '');
}

/**
 * At the hub UI the bar's figures are the hub's own (its relay to the WMS): while the hub does not answer they are
 * not known, and the last answer (a green "WMS online") was shown as if it still held.
 */
export function hubAway(atHub: boolean, eventsUp: boolean, syncFailed: boolean): boolean {
  return atHub && (!eventsUp || syncFailed);
}

/** Online/offline, what waits in the outbox, the last error, and whether the WMS is the demo one. */
export function SyncBar({ signedIn }: { signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const info = useSystemInfo();
  const sync = useSyncStatus(signedIn);
  const eventsUp = useEventsConnected();
  const flush = useMutation({
    mutationFn: () => station.call('sync.flush', {}),
    onSuccess: (status) => queryClient.setQueryData(queryKeys.sync, status),
  });
  const away = hubAway(info.data?.site === true, eventsUp, sync.isError);
  const s = signedIn && !away ? sync.data : undefined;
  const demo = info.data?.wmsIsDemo === true || s?.wmsIsDemo === true;
  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium', timeZone: 'Asia/Tokyo' }).format(new Date(iso));

  return (
    <div className="sync-bar" data-testid="sync-bar">
      {demo && (
        <span className="badge badge-demo" data-testid="demo-wms-badge">
          {t('sync.demo')}
        </span>
      )}
      {s && (
        <>
          <span className={`badge ${s.online ? 'badge-ok' : 'badge-bad'}`} data-testid="sync-online" data-online={s.online}>
            {s.online ? t('sync.online', s.viaHub ? { context: 'hub' } : {}) : t('sync.offline')}
          </span>
          <span className={`sync-item ${s.pending > 0 ? 'sync-waiting' : ''}`} data-testid="sync-pending" data-count={s.pending}>
            {t('sync.pending', { count: s.pending })}
          </span>
          {s.deadLetters > 0 && (
            <span className="sync-item sync-dead" data-testid="sync-dead">
              {t('sync.deadLetters', { count: s.deadLetters })}
            </span>
          )}
          {s.lastSyncAt && <span className="sync-item">{t('sync.lastSync', { time: time(s.lastSyncAt) })}</span>}
          {s.lastError && (
            <span className="sync-item sync-error" data-testid="sync-last-error" data-key={s.lastErrorKey ?? ''} title={s.lastError}>
              {t('sync.lastError', { error: syncErrorText(t, (k) => i18n.exists(k), s) })}
            </span>
          )}
          {s.pending > 0 && (
            <button type="button" className="btn btn-small btn-secondary" onClick={() => flush.mutate()} disabled={flush.isPending}>
              {t('sync.flush')}
            </button>
          )}
        </>
      )}
      {/* A bench's own devices; the hub UI has none. */}
      {signedIn && info.data && !info.data.site && <DeviceAlerts />}
      {away ? (
        <span className="sync-item sync-error" data-testid="events-disconnected" data-hub="true">
          {t('sync.hubDisconnected')}
        </span>
      ) : (
        !eventsUp && (
          <span className="sync-item sync-error" data-testid="events-disconnected">
            {t('sync.eventsDisconnected')}
          </span>
        )
      )}
    </div>
  );
}
