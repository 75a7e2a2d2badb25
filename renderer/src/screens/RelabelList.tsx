import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { formatDateTime } from '../ui/format.js';
import { NoticePanel } from '../ui/NoticePanel.js';

/**
 * Issue 15: items a lead at the site hub re-routed after this bench labelled them. The label on the box names
 * the old disposition, so they stay listed on every screen of the bench until someone marks the new label on.
 */
export function RelabelList() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['relabel'], queryFn: () => station.call('review.relabelList', {}), refetchInterval: 5000 });
  const done = useMutation({
    mutationFn: (itemId: string) => station.call('review.relabelDone', { itemId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['relabel'] }),
  });
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card relabel" data-testid="relabel-list" aria-live="polite">
      <h3>{t('site.relabel.title', { count: items.length })}</h3>
      <p className="hint">{t('site.relabel.hint')}</p>
      {done.error && <NoticePanel notice={{ kind: 'error', error: toApiError(done.error), during: 'other' }} />}
      <table className="table">
        <thead>
          <tr>
            <th>{t('result.lpn')}</th>
            <th>{t('site.relabel.now')}</th>
            <th>{t('site.relabel.why')}</th>
            <th>{t('site.relabel.since')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.itemId} data-testid="relabel-row" data-item-id={r.itemId}>
              <td className="mono">{r.lpn}</td>
              <td>
                <strong>{t(`result.disposition.${r.disposition}`)}</strong> · <span className="mono">{r.destination}</span> · {r.grade === 'scrap' ? t('grade.scrap') : r.grade}
              </td>
              <td>{r.reviewReason ?? ''}</td>
              <td>{formatDateTime(r.relabelSince, i18n.language)}</td>
              <td>
                <button type="button" className="btn btn-secondary btn-small" disabled={done.isPending} onClick={() => done.mutate(r.itemId)} data-testid="relabel-done">
                  {t('site.relabel.done')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
