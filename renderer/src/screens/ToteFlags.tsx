import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { formatDateTime } from '../ui/format.js';
import { NoticePanel } from '../ui/NoticePanel.js';

/**
 * What closing consolidated totes found, for the lead (issue 17): bags missing from a tote, bags of another tote
 * found in it, bags on no manifest; each with the tote as evidence, until a lead acknowledges it.
 */
export function ToteFlags() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const flags = useQuery({ queryKey: ['toteFlags', 'pending'], queryFn: () => station.call('tote.flags', { status: 'pending' }), staleTime: 15_000 });
  const ack = useMutation({
    mutationFn: (id: number) => station.call('tote.acknowledgeFlag', { id }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['toteFlags'] }),
  });
  const rows = flags.data ?? [];
  const error = flags.error ?? ack.error;
  return (
    <section className="card tote-flags" data-testid="tote-flags" data-count={rows.length}>
      <h3>{t('tote.flags.title', { count: rows.length })}</h3>
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      {rows.length === 0 ? (
        <p className="hint">{t('tote.flags.none')}</p>
      ) : (
        <div className="tote-flags-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('tote.flags.tote')}</th>
                <th>{t('tote.flags.flag')}</th>
                <th>{t('tote.bag')}</th>
                <th>{t('tote.flags.raisedAt')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((f) => (
                <tr key={f.id} data-testid="tote-flag" data-code={f.code} data-tote={f.toteId} data-bag={f.bagCode}>
                  <td>
                    <span className="mono">{f.toteId}</span>
                    <br />
                    <span className="small hint" title={f.origin ? t(`toteOrigin.${f.origin}`) : undefined}>
                      {f.originName ?? ''}
                    </span>
                  </td>
                  <td>
                    <em className="tag">{t(`toteFlag.${f.code}`)}</em>
                    {f.otherToteId && (
                      <>
                        <br />
                        <span className="small">{t('tote.belongsTo', { other: f.otherToteId })}</span>
                      </>
                    )}
                  </td>
                  <td>
                    <span className="mono">{f.bagCode}</span>
                    <br />
                    <span className="mono small">{f.rmaNumber ?? '—'}</span>
                  </td>
                  <td className="small">
                    {formatDateTime(f.raisedAt, i18n.language)}
                    <br />
                    {f.stationId}
                  </td>
                  <td>
                    <button type="button" className="btn btn-secondary btn-small" disabled={ack.isPending} onClick={() => ack.mutate(f.id)} data-testid="tote-flag-ack">
                      {t('tote.flags.acknowledge')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
