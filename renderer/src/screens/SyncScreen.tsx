import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useStation, useSyncStatus } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { formatDateTime, formatNumber } from '../ui/format.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { UnlinkedParcels } from './UnlinkedParcels.js';

const ROW_HEIGHT = 64;

/** Leads: events the WMS refused for good, to send again or skip with a reason (audited). */
export function SyncScreen() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const status = useSyncStatus(true);
  const dead = useQuery({ queryKey: ['deadLetters'], queryFn: () => station.call('sync.deadLetters', {}) });
  const [skipping, setSkipping] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const after = () => {
    void queryClient.invalidateQueries({ queryKey: ['deadLetters'] });
    void queryClient.invalidateQueries({ queryKey: queryKeys.sync });
  };
  const retry = useMutation({ mutationFn: (id: number) => station.call('sync.retryDeadLetter', { id }), onSuccess: after });
  const skip = useMutation({
    mutationFn: (input: { id: number; reason: string }) => station.call('sync.skipDeadLetter', input),
    onSuccess: () => {
      setSkipping(null);
      setReason('');
      after();
    },
  });
  const rows = dead.data ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const s = status.data;
  const error = dead.error ?? retry.error ?? skip.error;

  return (
    <main className="screen" data-testid="screen-sync">
      <h2 className="screen-title">{t('syncScreen.title')}</h2>
      {s && (
        <div className="kpis">
          <div className="kpi card">
            <span className="kpi-label">{t('syncScreen.state')}</span>
            <span className="kpi-value">{s.online ? t('sync.online') : t('sync.offline')}</span>
          </div>
          <div className="kpi card">
            <span className="kpi-label">{t('syncScreen.pending')}</span>
            <span className="kpi-value">{formatNumber(s.pending, i18n.language)}</span>
          </div>
          <div className="kpi card" data-testid="sync-dead-count" data-count={rows.length}>
            <span className="kpi-label">{t('syncScreen.dead')}</span>
            <span className="kpi-value">{formatNumber(rows.length, i18n.language)}</span>
          </div>
          <div className="kpi card kpi-wide">
            <span className="kpi-label">{t('syncScreen.wms')}</span>
            <span className="kpi-value small mono">{s.wmsUrl}</span>
          </div>
        </div>
      )}
      <UnlinkedParcels />
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      {rows.length === 0 && !dead.isPending ? (
        <p className="card ok-text" data-testid="dead-empty">
          {t('syncScreen.none')}
        </p>
      ) : (
        <div className="vlist card" ref={scroller} data-testid="dead-list">
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const d = rows[v.index];
              if (!d) return null;
              return (
                <div key={d.id} className="vrow dead-row" style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }} data-testid="dead-row" data-id={d.id}>
                  <span className="mono">{d.type}</span>
                  <span className="mono small">
                    {d.aggregateType}:{d.aggregateId.slice(0, 8)} #{d.sequence}
                  </span>
                  <span className="small">{formatDateTime(d.occurredAt, i18n.language)}</span>
                  <span className="small">{t('syncScreen.attempts', { count: d.attempts })}</span>
                  <span className="sync-error-text small" title={d.lastError ?? ''}>
                    {d.lastError ?? ''}
                  </span>
                  <span className="row">
                    <button type="button" className="btn btn-small btn-secondary" onClick={() => retry.mutate(d.id)} disabled={retry.isPending} data-testid="dead-retry">
                      {t('syncScreen.retry')}
                    </button>
                    <button type="button" className="btn btn-small btn-secondary" onClick={() => setSkipping(d.id)} data-testid="dead-skip">
                      {t('syncScreen.skip')}
                    </button>
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
      {skipping !== null && (
        <section className="card" data-testid="skip-dialog">
          <h3>{t('syncScreen.skipTitle', { id: skipping })}</h3>
          <textarea className="input input-wide" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('review.reason')} data-testid="skip-reason" />
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={reason.trim().length < 3 || skip.isPending}
              onClick={() => skip.mutate({ id: skipping, reason: reason.trim() })}
              data-testid="skip-confirm"
            >
              {t('syncScreen.skipConfirm')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => setSkipping(null)}>
              {t('blind.cancel')}
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
