import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStation } from '../station/StationContext.js';
import { describePrinterMessage, toApiError } from '../ui/describe.js';
import { formatDateTime } from '../ui/format.js';
import { PRINT_JOBS_KEY as JOBS_KEY } from '../ui/printFate.js';
import { NoticePanel } from '../ui/NoticePanel.js';


/**
 * The label printer's unfinished jobs (the station lists pending, sending and uncertain ones) with their state,
 * and a reprint by LPN for any label printed here: a job left uncertain, or a label torn off later.
 */
export function PrintQueue() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const jobs = useQuery({ queryKey: JOBS_KEY, queryFn: () => station.call('printer.jobs', {}), refetchInterval: 3000 });
  const reprint = useMutation({
    mutationFn: (lpn: string) => station.call('printer.reprint', { lpn }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['devices'] }),
  });
  const [lpn, setLpn] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (lpn.trim()) reprint.mutate(lpn.trim());
  };
  const rows = jobs.data?.jobs ?? [];
  const error = jobs.error ?? reprint.error;
  const exists = (key: string) => i18n.exists(key);
  return (
    <section className="card" data-testid="print-queue">
      <h3>{t('printQueue.title')}</h3>
      <form className="row" onSubmit={submit}>
        <input
          className="input"
          value={lpn}
          onChange={(e) => setLpn(e.target.value)}
          placeholder={t('printQueue.lpnPlaceholder')}
          aria-label={t('result.lpn')}
          autoComplete="off"
          spellCheck={false}
          data-testid="reprint-lpn"
        />
        <button type="submit" className="btn btn-secondary" disabled={reprint.isPending || !lpn.trim()} data-testid="reprint-lpn-submit">
          {t('result.reprint')}
        </button>
      </form>
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      {reprint.data && reprint.variables && (
        <p
          className={`print print-${reprint.data.status}`}
          data-testid="queue-reprint-result"
          data-status={reprint.data.status}
          data-lpn={reprint.variables.toUpperCase()}
          title={[reprint.data.printer, reprint.data.message].filter(Boolean).join(' — ')}
        >
          {reprint.variables.toUpperCase()}: {t(`result.print.${reprint.data.status}`, { printer: reprint.data.printerName ?? t('result.printerDefault') })}
          {reprint.data.message
            ? ` — ${describePrinterMessage(t, exists, { text: reprint.data.message, key: reprint.data.messageKey, params: reprint.data.messageParams })}`
            : ''}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="hint" data-testid="print-queue-empty">
          {t('printQueue.empty')}
        </p>
      ) : (
        <table className="table print-queue-table">
          <thead>
            <tr>
              <th>{t('printQueue.created')}</th>
              <th>{t('printQueue.job')}</th>
              <th>{t('printQueue.state')}</th>
              <th className="num">{t('printQueue.attempts')}</th>
              <th>{t('printQueue.error')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((j) => (
              <tr key={j.id} data-testid="print-job" data-state={j.state} data-lpn={j.lpn ?? ''}>
                <td className="small">{formatDateTime(j.createdAt, i18n.language)}</td>
                <td className="mono small">{j.lpn ?? j.description}</td>
                <td>
                  <span className={`job-state job-${j.state}`}>{t(`printQueue.stateName.${j.state}`)}</span>
                </td>
                <td className="num">{j.attempts}</td>
                <td className="small" data-testid="print-job-error" data-key={j.lastErrorKey ?? ''} title={j.lastError ?? undefined}>
                  {describePrinterMessage(t, exists, { text: j.lastError, key: j.lastErrorKey, params: j.lastErrorParams })}
                  {j.state === 'uncertain' && <div className="hint">{t('printQueue.uncertainHint')}</div>}
                </td>
                <td>
                  {j.lpn && (
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      onClick={() => j.lpn && reprint.mutate(j.lpn)}
                      disabled={reprint.isPending}
                      data-testid="job-reprint"
                    >
                      {t('result.reprint')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
