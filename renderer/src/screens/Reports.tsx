import { useMutation, useMutationState, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Category, Disposition, ExportResult, FlagCode, ReturnChannel, SITE_REPORT_PATHS, type ExportFormat, type ExportProgress, type ReportFilters } from '../../../contract/index.js';
import { queryKeys, useStation, useStationConnection, useSystemInfo } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { formatDateTime, formatNumber, formatYen, siteToday } from '../ui/format.js';
import { ScopeNote } from '../ui/ScopeNote.js';
import { exportedText, exportProgressText } from '../ui/countTexts.js';
import { defaultExportName } from '../ui/exportName.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { operationalDay } from '../../../domain/reports/operationalDay.js';
import { Kpi } from './Dashboard.js';
import { defaultDraft, toFilters, useReportsStore, type ReportDraft } from '../state/reports.js';
import { DateField } from '../ui/DateField.js';
import { isIsoDate } from '../ui/dateText.js';

type Draft = ReportDraft;

/** The running or last export: in the query client, not in this screen, because the export outlives the screen. */
export const EXPORT_MUTATION_KEY = ['reports', 'export'] as const;
const EXPORT_PROGRESS_KEY = ['reports', 'exportProgress'] as const;

/** Supervisors: the figures of a period, and the same figures as CSV or Excel in the chosen folder. */
export function Reports() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const station = useStation();
  const queryClient = useQueryClient();
  const config = useQuery({ queryKey: ['reports', 'config'], queryFn: () => station.call('reports.config', {}) });
  // Until the site's clock is here, the calendar date; then the operational day (03:00 is still the night's day).
  const today = config.data ? operationalDay(new Date(), config.data.clock) : siteToday();
  // The filters live in the session's UI state, so the supervisor who looks at the dashboard and comes back finds
  // the period they chose; the first visit defaults to today.
  const store = useReportsStore();
  const draft = store.draft ?? defaultDraft(today);
  const filters = store.applied ?? toFilters(draft);
  const { opened, draftEdited: setDraft, filtersApplied: setFilters, nameTyped: setTypedName, dayMoved } = store;
  useEffect(() => opened(today), [opened, today]);
  // The screen may open on the calendar date; once the clock says the operational day differs, a period the
  // supervisor has not touched moves to it.
  useEffect(() => dayMoved(today), [dayMoved, today]);
  // A date still being typed (2026/12/) names no file: the default name waits for a whole date.
  const fileName = store.typedName ?? defaultExportName({ from: isIsoDate(draft.from) ? draft.from : '', to: isIsoDate(draft.to) ? draft.to : '' });
  const [folder, setFolder] = useState('');
  const chooseFolder = useStationConnection().chooseFolder;
  // Issue 15: served by the site hub, the report covers every bench and the export is a download from the hub.
  const site = useSystemInfo().data?.site === true;

  const summary = useQuery({ queryKey: ['reports', 'summary', filters], queryFn: () => station.call('reports.summary', filters) });
  const setExportFolder = useMutation({
    mutationFn: (f: string) => station.call('reports.setExportFolder', { folder: f }),
    onSuccess: (c) => queryClient.setQueryData(['reports', 'config'], c),
  });
  // A supervisor who looks at the dashboard while an export runs comes back to its bar and its cancel button:
  // the last progress and the export's own state live in the query client, which outlives this screen.
  const [progress, setProgress] = useState<ExportProgress | null>(() => queryClient.getQueryData<ExportProgress>(EXPORT_PROGRESS_KEY) ?? null);
  useEffect(
    () =>
      station.on('reports.exportProgress', (p) => {
        queryClient.setQueryData(EXPORT_PROGRESS_KEY, p);
        setProgress(p);
      }),
    [station, queryClient],
  );
  const exportFile = useMutation({
    mutationKey: EXPORT_MUTATION_KEY,
    mutationFn: (input: { format: ExportFormat; filters: ReportFilters }) => {
      queryClient.removeQueries({ queryKey: EXPORT_PROGRESS_KEY });
      setProgress(null);
      return station.call('reports.export', { ...input, fileName, language: lang === 'en' ? 'en' : 'ja' });
    },
  });
  const exportStates = useMutationState({
    filters: { mutationKey: EXPORT_MUTATION_KEY },
    select: (m) => ({ status: m.state.status, data: m.state.data, error: m.state.error, submittedAt: m.state.submittedAt }),
  });
  const lastExport = exportStates[exportStates.length - 1];
  const exporting = lastExport?.status === 'pending';
  const exported = lastExport?.status === 'success' ? ExportResult.safeParse(lastExport.data).data : undefined;
  // Stopping an export is the supervisor's own choice, said plainly rather than as a fault.
  const exportCancelled = lastExport?.status === 'error' && toApiError(lastExport.error).messageKey === 'error.exportCancelled';
  const exportError = lastExport?.status === 'error' && !exportCancelled ? lastExport.error : null;
  // The file holds what the filters on screen say, even when the supervisor did not press Show first; the
  // figures below follow, so the screen and the file never disagree.
  const startExport = (format: ExportFormat) => {
    const f = toFilters(draft);
    setFilters(f);
    exportFile.mutate({ format, filters: f });
  };
  const cancelExport = useMutation({ mutationFn: () => station.call('reports.cancelExport', {}) });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(toFilters(draft));
  };
  const field = (k: keyof Draft, el: React.ReactNode) => (
    <label className="filter">
      <span>{t(`reports.filter.${k}`)}</span>
      {el}
    </label>
  );
  const select = (k: keyof Draft, options: readonly string[], label: (o: string) => string) => (
    <select className="input" value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} data-testid={`filter-${k}`}>
      <option value="">{t('reports.all')}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );
  const s = summary.data;
  // The newest failure is the one the supervisor just caused; an older one must not cover it.
  const error =
    [
      { error: summary.error, at: summary.errorUpdatedAt },
      { error: config.error, at: config.errorUpdatedAt },
      { error: exportError, at: lastExport?.submittedAt ?? 0 },
      { error: setExportFolder.error, at: setExportFolder.submittedAt },
    ]
      .filter((c) => c.error)
      .sort((x, y) => y.at - x.at)[0]?.error ?? null;

  return (
    <main className="screen" data-testid="screen-reports">
      <h2 className="screen-title">{t('reports.title')}</h2>
      <ScopeNote scope={summary.data?.scope} recheck={() => void summary.refetch()} />
      <form className="card filters" onSubmit={apply}>
        {field('from', <DateField value={draft.from} language={lang} label={t('reports.filter.from')} onChange={(from) => setDraft({ ...draft, from })} testId="filter-from" />)}
        {field('to', <DateField value={draft.to} language={lang} label={t('reports.filter.to')} onChange={(to) => setDraft({ ...draft, to })} testId="filter-to" />)}
        {field('shift', select('shift', config.data?.clock.shifts.map((x) => x.id) ?? [], (o) => t(`shiftName.${o}`, { defaultValue: o })))}
        {site && field('stationId', <input className="input" value={draft.stationId} onChange={(e) => setDraft({ ...draft, stationId: e.target.value })} data-testid="filter-stationId" />)}
        {field('operatorId', <input className="input" value={draft.operatorId} onChange={(e) => setDraft({ ...draft, operatorId: e.target.value })} data-testid="filter-operatorId" />)}
        {field('category', select('category', Category.options, (o) => t(`category.${o}`)))}
        {field('disposition', select('disposition', Disposition.options, (o) => t(`result.disposition.${o}`)))}
        {field('flag', select('flag', FlagCode.options, (o) => t(`flag.${o}`)))}
        {field('channel', select('channel', ReturnChannel.options, (o) => t(`channel.${o}`)))}
        <button type="submit" className="btn btn-primary" data-testid="reports-apply">
          {t('reports.apply')}
        </button>
      </form>
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}

      {site ? (
        <SiteExport filters={filters} language={lang === 'en' ? 'en' : 'ja'} blocked={summary.isError} />
      ) : (
      <section className="card export" data-testid="export-panel">
        <h3>{t('reports.export')}</h3>
        <p className="hint" data-testid="export-folder">
          {config.data?.exportFolder ? t('reports.folderIs', { folder: config.data.exportFolder }) : t('reports.folderNotSet')}
        </p>
        <div className="row">
          <input className="input input-wide" placeholder={t('reports.folderPlaceholder')} value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="export-folder-input" />
          <button type="button" className="btn btn-secondary" disabled={!folder.trim() || setExportFolder.isPending} onClick={() => setExportFolder.mutate(folder.trim())} data-testid="export-folder-set">
            {t('reports.setFolder')}
          </button>
          {chooseFolder && (
            <button
              type="button"
              className="btn btn-secondary"
              disabled={setExportFolder.isPending}
              onClick={() => void chooseFolder().then((picked) => picked && setExportFolder.mutate(picked))}
              data-testid="export-folder-choose"
            >
              {t('reports.chooseFolder')}
            </button>
          )}
        </div>
        <div className="row">
          <label className="filter">
            <span>{t('reports.fileName')}</span>
            <input className="input" value={fileName} onChange={(e) => setTypedName(e.target.value)} data-testid="export-filename" />
          </label>
          <button type="button" className="btn btn-primary" disabled={exporting || !fileName.trim()} onClick={() => startExport('csv')} data-testid="export-csv">
            {t('reports.exportCsv')}
          </button>
          <button type="button" className="btn btn-primary" disabled={exporting || !fileName.trim()} onClick={() => startExport('xlsx')} data-testid="export-xlsx">
            {t('reports.exportXlsx')}
          </button>
        </div>
        {exporting && (
          <div className="export-progress" data-testid="export-progress" data-rows={progress?.rows ?? 0} data-total={progress?.total ?? 0}>
            <progress
              className="export-progress-bar"
              max={Math.max(progress?.total ?? 0, 1)}
              value={progress?.rows ?? 0}
              aria-label={t('reports.export')}
              data-testid="export-progress-bar"
            />
            <span className="hint">
              {progress && progress.state === 'running'
                ? exportProgressText(t, progress, lang)
                : t('reports.exportStarting')}
            </span>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={cancelExport.isPending}
              onClick={() => cancelExport.mutate()}
              data-testid="export-cancel"
            >
              {cancelExport.isPending ? t('reports.cancellingExport') : t('reports.cancelExport')}
            </button>
          </div>
        )}
        {exported && (
          <p className="ok-text" data-testid="export-result" data-path={exported.path} data-rows={exported.rows}>
            {exportedText(t, exported, lang)}
          </p>
        )}
        {exportCancelled && (
          <p className="hint" data-testid="export-cancelled">
            {t('error.exportCancelled')}
          </p>
        )}
      </section>
      )}

      {s && (
        <>
          <p className="hint">{t('reports.generated', { time: formatDateTime(s.generatedAt, lang, s.timeZone) })}</p>
          <div className="kpis">
            <Kpi label={t('reports.items')} value={formatNumber(s.totals.items, lang)} testId="report-items" />
            <Kpi label={t('reports.price')} value={formatYen(s.totals.priceJpy, lang)} />
            <Kpi label={t('reports.recovery')} value={formatYen(s.totals.recoveryJpy, lang)} testId="report-recovery" />
            <Kpi label={t('reports.cycleMedian')} value={s.cycleTime.medianSec === null ? '—' : t('reports.minutes', { n: formatNumber(s.cycleTime.medianSec / 60, lang, 1) })} />
            <Kpi label={t('reports.blind')} value={formatNumber(s.blindReturns.items, lang)} />
            <Kpi label={t('reports.deadLetters')} value={formatNumber(s.deadLetters.openNow, lang)} />
          </div>
          <div className="two-col">
            <Table
              title={t('reports.byDisposition')}
              head={[t('reports.disposition'), t('reports.items'), t('reports.recovery')]}
              rows={s.dispositions.map((d) => [t(`result.disposition.${d.disposition}`), formatNumber(d.items, lang), formatYen(d.recoveryJpy, lang)])}
              testId="report-dispositions"
            />
            <Table title={t('reports.byGrade')} head={[t('result.grade'), t('reports.items')]} rows={s.grades.map((g) => [g.grade === 'scrap' ? t('grade.scrap') : t('ruleWhen.gradeWithName', { grade: g.grade, name: t(`grade.${g.grade}`) }), formatNumber(g.items, lang)])} />
            <Table title={t('reports.byReason')} head={[t('intake.reason'), t('reports.items')]} rows={s.reasons.map((r) => [t(`reason.${r.reason}`), formatNumber(r.items, lang)])} />
            <Table
              title={t('reports.byChannel')}
              head={[t('intake.channel'), t('reports.items')]}
              rows={s.channels.map((c) => [t(`channel.${c.channel}`), formatNumber(c.items, lang)])}
              testId="report-channels"
            />
            <Table
              title={t('reports.byReasonChannel')}
              head={[t('intake.reason'), t('intake.channel'), t('reports.items')]}
              rows={s.reasonChannels.map((r) => [t(`reason.${r.reason}`), t(`channel.${r.channel}`), formatNumber(r.items, lang)])}
              textColumns={[0, 1]}
              testId="report-reason-channels"
            />
            <Table
              title={t('reports.byFlag')}
              head={[t('reports.flag'), t('reports.items'), t('reports.outcomes')]}
              rows={s.flags.map((f) => [t(`flag.${f.flag}`, { defaultValue: f.flag }), formatNumber(f.items, lang), f.outcomes.map((o) => `${t(`reviewStatus.${o.outcome}`, { defaultValue: o.outcome })} ${formatNumber(o.items, lang)}`).join(' · ')])}
              textColumns={[0, 2]}
              testId="report-flags"
            />
            <Table
              title={t('reports.throughput')}
              head={[t('reports.operator'), t('reports.items'), t('reports.activeHours'), t('reports.perHour'), t('reports.peak')]}
              rows={s.throughput.operators.map((o) => [o.operatorName, formatNumber(o.items, lang), formatNumber(o.activeHours, lang), formatNumber(o.itemsPerActiveHour, lang, 1), formatNumber(o.peakHourItems, lang)])}
              nameColumns={[0]}
              testId="report-throughput"
            />
            {s.benches && (
              <Table
                title={t('siteReports.byBench')}
                head={[t('siteReports.bench'), t('reports.items'), t('reports.recovery')]}
                rows={s.benches.map((b) => [b.stationId, formatNumber(b.items, lang), formatYen(b.recoveryJpy, lang)])}
                testId="report-benches"
              />
            )}
            {s.shifts && (
              <Table
                title={t('siteReports.byShift')}
                head={[t('siteReports.shift'), t('reports.items')]}
                rows={s.shifts.map((x) => [t(`shiftName.${x.shift}`, { defaultValue: x.shift }), formatNumber(x.items, lang)])}
                testId="report-shifts"
              />
            )}
          </div>
        </>
      )}
    </main>
  );
}

/**
 * The site export: the hub streams the file itself (a download, with the session cookie), so there is no folder
 * to choose and no progress to follow here; the browser shows the download.
 *
 * Before the download starts, the session is asked for: a download link that the hub refuses (signed out for being
 * idle, or the hub away) saved the refusal as `export.json` and the screen said nothing. Signed out, the hub UI goes
 * back to sign-in; a hub that does not answer is said here.
 */
function SiteExport({ filters, language, blocked }: { filters: ReportFilters; language: 'ja' | 'en'; blocked: boolean }) {
  const { t } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<unknown>(null);
  const href = (format: ExportFormat): string => `${SITE_REPORT_PATHS.export}?${new URLSearchParams({ format, filters: JSON.stringify(filters), language }).toString()}`;
  const start = (format: ExportFormat) => (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    setProblem(null);
    void (async () => {
      try {
        if ((await station.call('session.current', {})) === null) {
          void queryClient.invalidateQueries({ queryKey: queryKeys.session });
          return;
        }
      } catch (err) {
        setProblem(err);
        return;
      }
      const link = document.createElement('a');
      link.href = href(format);
      link.download = '';
      link.click();
    })();
  };
  return (
    <section className="card export" data-testid="site-export-panel">
      <h3>{t('reports.export')}</h3>
      <p className="hint">{t('siteReports.exportHint')}</p>
      {problem !== null && <NoticePanel notice={{ kind: 'error', error: toApiError(problem), during: 'other' }} />}
      {/* Filters the hub refused (the notice above says why) would only download the refusal. */}
      {blocked ? null : (
        <div className="row">
          <a className="btn btn-primary" href={href('csv')} download onClick={start('csv')} data-testid="site-export-csv" style={{ textDecoration: 'none' }}>
            {t('reports.exportCsv')}
          </a>
          <a className="btn btn-primary" href={href('xlsx')} download onClick={start('xlsx')} data-testid="site-export-xlsx" style={{ textDecoration: 'none' }}>
            {t('reports.exportXlsx')}
          </a>
        </div>
      )}
    </section>
  );
}

/** `textColumns`: the columns of words (left-aligned); the others are figures, right-aligned and never broken. */
function Table({
  title,
  head,
  rows,
  testId,
  textColumns = [0],
  nameColumns = [],
}: {
  title: string;
  head: string[];
  rows: string[][];
  testId?: string;
  textColumns?: readonly number[];
  /** Columns of people's names, which break only at the space between family and given name. */
  nameColumns?: readonly number[];
}) {
  const { t } = useTranslation();
  const cellClass = (i: number) => (textColumns.includes(i) ? undefined : 'num');
  return (
    <section className="card">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="hint">{t('reports.none')}</p>
      ) : (
        <table className="table" data-testid={testId}>
          <thead>
            <tr>
              {head.map((h, i) => (
                <th key={i} className={cellClass(i)}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j} className={cellClass(j)}>
                    {nameColumns.includes(j) ? <span className="person-name">{c}</span> : c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
