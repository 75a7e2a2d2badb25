// Issue 15 (wt-15r): the site's part of the shift dashboard, shown when the hub answers `dashboard.shift`:
// benches online, the review backlog and its age, grades, reasons, and items per hour for each bench.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardShift } from '../../../contract/index.js';
import { Chart, type ChartOption } from '../ui/Chart.js';
import { formatNumber, formatTime } from '../ui/format.js';
import { CountTable } from '../ui/CountTable.js';
import { Kpi } from '../ui/Kpi.js';

type Site = NonNullable<DashboardShift['site']>;

export function SiteDashboardPart({ d, site }: { d: DashboardShift; site: Site }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const perBench = useMemo<ChartOption>(() => {
    const hours = d.itemsPerHour.map((h) => h.hourStart);
    const benches = [...new Set(site.benchHours.map((b) => b.stationId))].sort();
    const at = new Map(site.benchHours.map((b) => [`${b.stationId} ${b.hourStart}`, b.items]));
    return {
      animation: false,
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: hours.map((h) => formatTime(h, lang, d.timeZone)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: benches.map((b) => ({ type: 'bar', stack: 'benches', name: b, data: hours.map((h) => at.get(`${b} ${h}`) ?? 0) })),
    };
  }, [d, site, lang]);
  return (
    <>
      <div className="kpis" data-testid="dashboard-site">
        <Kpi label={t('siteDashboard.benchesOnline')} value={t('siteDashboard.ofTotal', { online: formatNumber(site.benchesOnline, lang), total: formatNumber(site.benchesTotal, lang) })} testId="kpi-benches-online" />
        <Kpi
          label={t('siteDashboard.reviewOldest')}
          value={site.reviewOldestMinutes === null ? '—' : t('siteDashboard.minutes', { n: formatNumber(site.reviewOldestMinutes, lang) })}
          testId="kpi-review-oldest"
        />
      </div>
      <div className="two-col">
        <section className="card">
          <h3>{t('siteDashboard.perBench')}</h3>
          <Chart option={perBench} testId="chart-bench-hourly" />
        </section>
        <section className="card">
          <h3>{t('siteDashboard.grades')}</h3>
          <CountTable testId="dashboard-grades" rows={site.grades.map((g) => ({ key: g.grade, label: g.grade === 'scrap' ? t('grade.scrap') : g.grade, items: g.items }))} />
          <h3 style={{ marginTop: 16 }}>{t('siteDashboard.reasons')}</h3>
          <CountTable testId="dashboard-reasons" rows={site.reasons.map((r) => ({ key: r.reason, label: t(`reason.${r.reason}`), items: r.items }))} />
        </section>
      </div>
    </>
  );
}
