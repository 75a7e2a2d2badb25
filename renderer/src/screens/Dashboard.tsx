import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStation } from '../station/StationContext.js';
import { Chart, type ChartOption } from '../ui/Chart.js';
import { toApiError } from '../ui/describe.js';
import { formatDateTime, formatNumber, formatTime, formatYen } from '../ui/format.js';
import { ScopeNote } from '../ui/ScopeNote.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { CountTable } from '../ui/CountTable.js';
import { Kpi } from '../ui/Kpi.js';
import { SiteDashboardPart } from './SiteDashboardPart.js';

const DISPOSITION_COLOURS: Record<string, string> = { restock: '#13803d', resale: '#1d5fd1', repair: '#b26a00', disposal: '#4a5563', quarantine: '#e0a000' };

/** The running shift, refreshed whenever the station says work was recorded (dashboard.changed). */
export function Dashboard() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const shift = useQuery({ queryKey: ['dashboard', 'shift'], queryFn: () => station.call('dashboard.shift', {}), refetchInterval: 60_000 });
  useEffect(() => station.on('dashboard.changed', () => void queryClient.invalidateQueries({ queryKey: ['dashboard'] })), [station, queryClient]);
  const d = shift.data;
  const lang = i18n.language;

  const hourly = useMemo<ChartOption | null>(
    () =>
      d
        ? {
            animation: false,
            grid: { left: 40, right: 16, top: 16, bottom: 28 },
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'category', data: d.itemsPerHour.map((h) => formatTime(h.hourStart, lang, d.timeZone)) },
            yAxis: { type: 'value', minInterval: 1 },
            series: [{ type: 'bar', name: t('dashboard.items'), data: d.itemsPerHour.map((h) => h.items), itemStyle: { color: '#1d5fd1' } }],
          }
        : null,
    [d, lang, t],
  );
  const dispositions = useMemo<ChartOption | null>(
    () =>
      d
        ? {
            animation: false,
            tooltip: { trigger: 'item' },
            legend: { bottom: 0 },
            series: [
              {
                type: 'pie',
                // Up and smaller than the card: with five dispositions on a 1024-wide bench the legend wraps to two
                // lines at the bottom, and the lower slices' labels were drawn over it.
                center: ['50%', '42%'],
                radius: ['32%', '56%'],
                data: d.dispositions.map((x) => ({
                  name: t(`result.disposition.${x.disposition}`),
                  value: x.items,
                  itemStyle: { color: DISPOSITION_COLOURS[x.disposition] },
                })),
              },
            ],
          }
        : null,
    [d, t],
  );

  return (
    <main className="screen" data-testid="screen-dashboard">
      <h2 className="screen-title">{t('dashboard.title')}</h2>
      <ScopeNote scope={shift.data?.scope} recheck={() => void shift.refetch()} />
      {shift.error && <NoticePanel notice={{ kind: 'error', error: toApiError(shift.error), during: 'other' }} />}
      {d && (
        <>
          <p className="hint" data-testid="dashboard-shift">
            {t('dashboard.shift', { shift: t(`shiftName.${d.shift.id}`, { defaultValue: d.shift.id }), from: formatDateTime(d.shift.startsAt, lang, d.timeZone), to: formatTime(d.shift.endsAt, lang, d.timeZone) })} ·{' '}
            {t('dashboard.updated', { time: formatTime(d.generatedAt, lang, d.timeZone) })}
          </p>
          <div className="kpis">
            <Kpi label={t('dashboard.items')} value={formatNumber(d.totals.items, lang)} testId="kpi-items" />
            <Kpi label={t('dashboard.recovery')} value={formatYen(d.totals.recoveryJpy, lang)} testId="kpi-recovery" />
            <Kpi label={t('dashboard.reviewPending')} value={formatNumber(d.queues.reviewPending, lang)} testId="kpi-review" />
            {!d.site && <Kpi label={t('dashboard.openParcels')} value={formatNumber(d.queues.openParcels, lang)} testId="kpi-parcels" />}
            <Kpi label={t('dashboard.outboxPending')} value={formatNumber(d.queues.outboxPending, lang)} testId="kpi-outbox" />
            <Kpi label={t('dashboard.deadLetters')} value={formatNumber(d.queues.deadLetters, lang)} testId="kpi-dead" />
          </div>
          {d.site && <SiteDashboardPart d={d} site={d.site} />}
          <div className="two-col">
            <section className="card">
              <h3>{t('dashboard.perHour')}</h3>
              {hourly && <Chart option={hourly} testId="chart-hourly" />}
            </section>
            <section className="card">
              <h3>{t('dashboard.dispositions')}</h3>
              {dispositions && <Chart option={dispositions} testId="chart-dispositions" />}
            </section>
          </div>
          <div className="two-col">
            <section className="card">
              <h3>{t('dashboard.operators')}</h3>
              <CountTable rows={d.operators.map((o) => ({ key: o.operatorId, label: <span className="person-name">{o.operatorName}</span>, items: o.items }))} />
            </section>
            <section className="card">
              <h3>{t('dashboard.channels')}</h3>
              <CountTable testId="dashboard-channels" rows={d.channels.map((c) => ({ key: c.channel, label: t(`channel.${c.channel}`), items: c.items }))} />
            </section>
            <section className="card">
              <h3>{t('dashboard.flags')}</h3>
              <CountTable rows={d.flags.map((f) => ({ key: f.flag, label: t(`flag.${f.flag}`, { defaultValue: f.flag }), items: f.items }))} />
            </section>
          </div>
        </>
      )}
    </main>
  );
}

export { Kpi };
