import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Disposition, FlagCode, Grade, MAX_MIN_AGE_MINUTES, type CallInput, type ItemLookup, type ReviewDetail, type ReviewQueueItem } from '../../../contract/index.js';
import { useScan, useSingleKeys } from '../scanner/ScannerProvider.js';
import { cleanScan } from '../../../domain/identifiers/scan-text.js';
import { feedback } from '../ui/feedback.js';
import { isLpnScan, ItemFacts } from './ItemFound.js';
import { useStation, useSystemInfo } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { ageParts, formatDateTime, formatShortDateTime } from '../ui/format.js';
import { minAgeFromInput } from '../ui/minAge.js';
import { ScopeNote } from '../ui/ScopeNote.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { CustomerPhotos, DeclarationCard, PhotoThumb } from './Declaration.js';
import { ToteFlags } from './ToteFlags.js';
import { SiteFlagEvidence } from './SiteFlagEvidence.js';
import { RuleLine } from '../ui/RuleLine.js';
import { answersInWords } from '../ui/answers.js';
import { useGradingProfile } from './GradePanel.js';

const PAGE = 200;
const ROW_HEIGHT = 52;
type ListInput = CallInput<'review.list'>;

function ageText(t: TFunction, minutes: number): string {
  const a = ageParts(minutes);
  return a.days > 0 ? t('review.ageDays', { d: a.days, h: a.hours }) : t('review.ageHours', { h: a.hours, m: a.minutes });
}

export function AgeText({ minutes }: { minutes: number }) {
  const { t } = useTranslation();
  return <>{ageText(t, minutes)}</>;
}

/**
 * A decided row's last column: when it was decided (first: it fits the narrow column), how and by whom. Its waiting
 * time stopped at the decision, so it is in the tooltip, not shown as if it still counted.
 */
function DecidedText({ row }: { row: ReviewQueueItem }) {
  const { t, i18n } = useTranslation();
  const status = t(`reviewStatus.${row.reviewStatus}`);
  const by = row.reviewedByName ?? row.reviewedBy ?? '';
  const at = row.reviewedAt ? formatDateTime(row.reviewedAt, i18n.language) : '';
  return (
    <span className="review-decided" data-testid="review-row-decided" title={t('review.decidedTitle', { status, at, by, age: ageText(t, row.ageMinutes) })}>
      <span>{row.reviewedAt ? formatShortDateTime(row.reviewedAt, i18n.language) : '—'}</span>
      <span className="small">{t('review.decidedWho', { status, by })}</span>
    </span>
  );
}

/**
 * A typed filter. The box keeps the text as typed, so a space between two words can be typed; the query gets it
 * trimmed, blank meaning no filter. (Trimming the box's own value dropped each space the moment it was typed.)
 */
function TextFilter({ onChange, placeholder, maxLength, testId }: { onChange: (value: string | undefined) => void; placeholder: string; maxLength: number; testId: string }) {
  const [text, setText] = useState('');
  return (
    <input
      className="input"
      value={text}
      placeholder={placeholder}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.trim() || undefined);
      }}
      maxLength={maxLength}
      data-testid={testId}
    />
  );
}

/** The product as the lead knows it: the name in the screen's language, the SKU when the catalogue has none. */
function productLabel(row: ReviewQueueItem, language: string): string {
  return (language === 'ja' ? (row.productNameJa ?? row.productName) : (row.productName ?? row.productNameJa)) ?? row.sku;
}

/** The lead's review queue: pages of 200 fetched as the list scrolls, only visible rows in the DOM. */
export function Review() {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Omit<ListInput, 'page' | 'pageSize'>>({ status: 'pending', sort: 'oldest' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [openItem, setOpenItem] = useState<string | null>(null);
  /** The row the keyboard is on (j/k); -1 before the first key. */
  const [cursor, setCursor] = useState(-1);
  // O on one item: only that item's panel takes the focus to its override (the next item j/k or a scan opens does not).
  const [overrideFocus, setOverrideFocus] = useState<{ itemId: string; n: number }>({ itemId: '', n: 0 });
  // Issue 15: at the site hub the queue is every bench's.
  const site = useSystemInfo().data?.site === true;

  // Random access by page: a jump to row 90 000 fetches that page, not the 450 before it.
  const pageQuery = (page: number) => ({
    queryKey: ['review', 'list', filter, page] as const,
    queryFn: () => station.call('review.list', { ...filter, page, pageSize: PAGE }),
    staleTime: 15_000,
  });
  const list = useQuery({ ...pageQuery(1), placeholderData: keepPreviousData });
  const total = list.data?.total ?? 0;
  // The bench as a column and a filter wherever the queue may hold more than one bench's items: at the hub, and at a
  // bench behind one (an answer with a scope). Kept while the hub is away, so the list does not change its columns
  // with the hub's reachability; the bench then answers the filter from its own items.
  const benches = site || list.data?.scope !== undefined;
  const filtered = Object.entries(filter).some(([k, v]) => (k === 'status' ? v !== 'pending' : k !== 'sort' && v !== undefined));

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const pagesShown = [...new Set(items.map((v) => Math.floor(v.index / PAGE) + 1))].filter((p) => p > 1);
  const pages = useQueries({ queries: pagesShown.map(pageQuery) });
  const rowAt = (index: number): ReviewQueueItem | undefined => {
    const page = Math.floor(index / PAGE) + 1;
    const data = page === 1 ? list.data : pages[pagesShown.indexOf(page)]?.data;
    return data?.items[index % PAGE];
  };

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['review'] });
    void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
  };
  const bulk = useMutation({
    mutationFn: (itemIds: string[]) => station.call('review.bulkApprove', { itemIds }),
    onSuccess: () => {
      setSelected(new Set());
      refresh();
    },
  });
  // One keyboard approval at a time: isPending reaches the handler a render late, so a second A pressed meanwhile
  // would send the same decision again and be refused as already decided by this very lead.
  const approving = useRef(false);
  const approveOne = useMutation({
    mutationFn: (itemId: string) => station.call('review.approve', { itemId }),
    onSuccess: (d, itemId) => {
      queryClient.setQueryData(['review', 'detail', itemId], d);
      refresh();
    },
    onSettled: () => {
      approving.current = false;
    },
  });
  // Select-all takes the rows loaded so far that still wait, up to the 200 one bulk approval takes.
  const loaded = (list.data?.items ?? []).filter((r) => r.reviewStatus === 'pending').slice(0, 200);
  const allSelected = loaded.length > 0 && loaded.every((r) => selected.has(r.itemId));
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(loaded.map((r) => r.itemId)));

  // The keyboard path through the queue: j/k move (and show the row), a approves it, o opens its override, x selects it.
  const moveTo = (index: number) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    setCursor(next);
    virtual.scrollToIndex(next, { align: 'auto' });
    const row = rowAt(next);
    if (row) setOpenItem(row.itemId);
  };
  // An item's label scanned here is the lead asking for that item: opened when it waits for review, otherwise the
  // screen says plainly what became of it. Any other code is a parcel: it goes on to intake as before.
  const [notWaiting, setNotWaiting] = useState<ItemLookup | null>(null);
  const lookup = useMutation({
    mutationFn: (lpn: string) => station.call('item.lookup', { lpn }),
    onMutate: () => setNotWaiting(null),
    onSuccess: (item) => {
      if (item.reviewStatus !== 'pending') {
        feedback('review');
        setNotWaiting(item);
        return;
      }
      feedback('success');
      setOpenItem(item.itemId);
      // On the cursor when it is a loaded row, so A approves what was scanned.
      const index = (list.data?.items ?? []).findIndex((r) => r.itemId === item.itemId);
      setCursor(index);
      if (index >= 0) virtual.scrollToIndex(index, { align: 'auto' });
    },
    onError: () => feedback('error'),
  });
  useScan((scan) => {
    // At the site hub (and at a bench behind it, for another bench's item) the hub finds the item among the site's.
    if (scan.kind !== 'scan' || !isLpnScan(scan.text)) return 'pass';
    lookup.mutate(cleanScan(scan.text).text);
  });

  useSingleKeys((key) => {
    if (key === 'Escape' && (notWaiting || lookup.error)) {
      setNotWaiting(null);
      lookup.reset();
      return;
    }
    // Esc is the way back after O: out of the override's fields to the queue's keys, then the item closed. Without
    // it the focused list box kept every key from the queue until the lead reached for the mouse.
    if (key === 'Escape') {
      const active = document.activeElement;
      if (active instanceof HTMLElement && active.closest('[data-testid="review-detail"]')) active.blur();
      else if (openItem) setOpenItem(null);
      else return 'pass';
      return;
    }
    // A focused list box takes letters to pick an option (the override's grade): not a queue command.
    if (document.activeElement instanceof HTMLSelectElement) return;
    const k = key.toLowerCase();
    if (k === 'j' || key === 'ArrowDown') return moveTo(cursor + 1);
    if (k === 'k' || key === 'ArrowUp') return moveTo(cursor - 1);
    // Not a queue key: the listener mounted before this screen hears it (R prints the relabel list's first label,
    // as the list above the queue says; this screen swallowed it).
    if (k !== 'a' && k !== 'o' && k !== 'x') return 'pass';
    const row = cursor >= 0 ? rowAt(cursor) : undefined;
    if (!row) return;
    if (k === 'a') {
      // A approves what the lead sees: once an approval has moved the next item under the cursor, while the panel
      // still shows the decided one, A shows that next item first rather than approving it unseen.
      if (row.itemId !== openItem) return setOpenItem(row.itemId);
      const shown = queryClient.getQueryData<ReviewDetail>(['review', 'detail', row.itemId]);
      if (shown?.reviewStatus !== 'pending' || approving.current) return;
      approving.current = true;
      approveOne.mutate(row.itemId);
    } else if (k === 'o' && row.reviewStatus === 'pending') {
      setOpenItem(row.itemId);
      setOverrideFocus((f) => ({ itemId: row.itemId, n: f.n + 1 }));
    } else if (k === 'x') toggle(row.itemId);
  });

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else if (n.size < 200) n.add(id);
      return n;
    });

  const set = <K extends keyof typeof filter>(k: K, v: (typeof filter)[K] | undefined) => {
    const { [k]: _old, ...rest } = filter;
    setFilter(v === undefined ? (rest as typeof filter) : { ...rest, [k]: v });
    // A selection made under another filter would be approved unseen: bulk approval takes only rows on screen.
    setSelected(new Set());
    // Another filter or sort is another list: it opens at its top, with no row under the keyboard's cursor (kept, the
    // newest-first list opened wherever the oldest-first one had been scrolled to).
    setCursor(-1);
    scroller.current?.scrollTo({ top: 0 });
  };

  return (
    <main className="screen" data-testid="screen-review">
      <h2 className="screen-title">
        {t('review.title')} <span className="count" data-testid="review-total">{t('review.count', { count: total })}</span>
      </h2>
      <ScopeNote scope={list.data?.scope} recheck={() => void list.refetch()} />
      <div className="card filters">
        <label className="filter">
          <span>{t('review.status')}</span>
          <select className="input" value={filter.status ?? 'pending'} onChange={(e) => set('status', e.target.value as ListInput['status'])} data-testid="review-status">
            {(['pending', 'decided', 'all'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`review.statusOption.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>{t('reports.flag')}</span>
          <select className="input" value={filter.flag ?? ''} onChange={(e) => set('flag', (e.target.value || undefined) as ListInput['flag'])} data-testid="review-flag">
            <option value="">{t('reports.all')}</option>
            {FlagCode.options.map((f) => (
              <option key={f} value={f}>
                {t(`flag.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>{t('reports.disposition')}</span>
          <select className="input" value={filter.disposition ?? ''} onChange={(e) => set('disposition', (e.target.value || undefined) as ListInput['disposition'])}>
            <option value="">{t('reports.all')}</option>
            {Disposition.options.map((d) => (
              <option key={d} value={d}>
                {t(`result.disposition.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>{t('review.minAge')}</span>
          <input
            type="number"
            min={0}
            max={MAX_MIN_AGE_MINUTES}
            className="input input-num"
            value={filter.minAgeMinutes ?? ''}
            onChange={(e) => set('minAgeMinutes', minAgeFromInput(e.target.value))}
          />
        </label>
        {benches && (
          <label className="filter">
            <span>{t('site.review.bench')}</span>
            <TextFilter onChange={(v) => set('stationId', v)} placeholder={t('site.review.allBenches')} maxLength={16} testId="review-bench" />
          </label>
        )}
        <label className="filter">
          <span>{t('site.review.operator')}</span>
          <TextFilter onChange={(v) => set('operatorId', v)} placeholder={t('site.review.allOperators')} maxLength={64} testId="review-operator" />
        </label>
        <label className="filter">
          <span>{t('review.sort')}</span>
          <select className="input" value={filter.sort ?? 'oldest'} onChange={(e) => set('sort', e.target.value as ListInput['sort'])} data-testid="review-sort">
            {(['oldest', 'newest', 'value'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`review.sortOption.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-primary" disabled={selected.size === 0 || bulk.isPending} onClick={() => bulk.mutate([...selected])} data-testid="review-bulk-approve">
          {t('review.bulkApprove', { count: selected.size })}
        </button>
      </div>
      <p className="hint" data-testid="review-keys">
        {t('review.keys')}
      </p>
      {/* Tote reconciliation flags live in each bench's own database: the hub has none to list. */}
      {!site && <ToteFlags />}
      {(list.error ?? bulk.error ?? approveOne.error) && <NoticePanel notice={{ kind: 'error', error: toApiError(list.error ?? bulk.error ?? approveOne.error), during: 'other' }} />}
      {lookup.error && <NoticePanel notice={{ kind: 'error', error: toApiError(lookup.error), during: 'other' }} onDismiss={() => lookup.reset()} />}
      {notWaiting && (
        <section className="card item-found" data-testid="review-not-waiting" data-status={notWaiting.reviewStatus} data-lpn={notWaiting.lpn}>
          <h3>{t('itemFound.notWaiting', { lpn: notWaiting.lpn, status: t(`reviewStatus.${notWaiting.reviewStatus}`) })}</h3>
          <ItemFacts item={notWaiting} />
          <p className="hint">{t('itemFound.notWaitingHint')}</p>
        </section>
      )}
      {bulk.data && <p className="ok-text">{t('review.bulkDone', { approved: bulk.data.approved.length, skipped: bulk.data.skipped.length })}</p>}
      <div className="review-layout">
        <div className={`vlist card ${benches ? 'vlist-site' : ''}`} ref={scroller} data-testid="review-list">
          <div className="vlist-head">
            <input type="checkbox" checked={allSelected} onChange={toggleAll} disabled={loaded.length === 0} aria-label={t('review.selectAll')} title={t('review.selectAll')} data-testid="review-select-all" />
            <span>{t('result.lpn')}</span>
            {benches && <span>{t('site.review.bench')}</span>}
            <span>{t('intake.product')}</span>
            <span>{t('result.grade')}</span>
            <span>{t('reports.disposition')}</span>
            <span>{t('reports.flag')}</span>
            <span>{t(filter.status === 'decided' ? 'review.decided' : filter.status === 'all' ? 'review.ageOrDecided' : 'review.age')}</span>
          </div>
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const row = rowAt(v.index);
              return (
                <div
                  key={v.key}
                  className={`vrow ${row && row.itemId === openItem ? 'vrow-open' : ''} ${v.index === cursor ? 'vrow-cursor' : ''}`}
                  aria-current={v.index === cursor ? 'true' : undefined}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                  data-testid="review-row"
                  data-index={v.index}
                  data-item-id={row?.itemId}
                >
                  {row ? (
                    <>
                      <input type="checkbox" checked={selected.has(row.itemId)} onChange={() => toggle(row.itemId)} aria-label={row.lpn} data-testid="review-select" />
                      <button
                        type="button"
                        className="link mono review-lpn"
                        onClick={() => {
                          setCursor(v.index);
                          setOpenItem(row.itemId);
                        }}
                        title={row.lpn}
                        data-testid="review-open"
                      >
                        {row.lpn}
                      </button>
                      {benches && (
                        <span className="review-bench" data-testid="review-row-bench">
                          <span className="mono">{row.stationId ?? ''}</span>
                          <span className="small person-name" title={row.operatorId}>
                            {row.operatorName ?? row.operatorId}
                          </span>
                        </span>
                      )}
                      <span className="review-product" title={productLabel(row, i18n.language)}>
                        <span data-testid="review-product">{productLabel(row, i18n.language)}</span>
                        <span className="mono small">{row.sku}</span>
                      </span>
                      <span>{row.grade === 'scrap' ? t('grade.scrap') : row.grade}</span>
                      <span className="review-disposition">{t(`result.disposition.${row.disposition}`)}</span>
                      <span className="tags">
                        {row.flags.map((f) => (
                          <em key={f} className="tag" title={t(`flag.${f}`, { defaultValue: f })}>
                            {t(`flag.${f}`, { defaultValue: f })}
                          </em>
                        ))}
                      </span>
                      {row.reviewStatus === 'pending' ? (
                        <span data-testid="review-row-age">
                          <AgeText minutes={row.ageMinutes} />
                        </span>
                      ) : (
                        <DecidedText row={row} />
                      )}
                    </>
                  ) : (
                    <span className="hint">{t('review.loading')}</span>
                  )}
                </div>
              );
            })}
          </div>
          {total === 0 && !list.isPending && !list.error && (
            // "Nothing waiting" only when nothing waits: under a filter (another bench, decided items) it said so wrongly,
            // and under a list that failed to load (the error above it) it said the queue was empty.
            <p className="hint empty" data-testid="review-empty">
              {t(filtered ? 'review.emptyFiltered' : 'review.empty')}
            </p>
          )}
        </div>
        {openItem && <ReviewDetailPanel key={openItem} itemId={openItem} focusOverride={overrideFocus.itemId === openItem ? overrideFocus.n : 0} onDone={refresh} onClose={() => setOpenItem(null)} />}
      </div>
    </main>
  );
}

function ReviewDetailPanel({ itemId, focusOverride, onDone, onClose }: { itemId: string; focusOverride: number; onDone: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['review', 'detail', itemId], queryFn: () => station.call('review.get', { itemId }) });
  const [grade, setGrade] = useState('');
  const [disposition, setDisposition] = useState('');
  const [destination, setDestination] = useState('');
  const [reason, setReason] = useState('');
  const done = (d: unknown) => {
    queryClient.setQueryData(['review', 'detail', itemId], d);
    onDone();
  };
  // One decision per click burst: a double click's second click comes before isPending has disabled the button (the
  // mutation's state reaches the render a task later), and would be refused as "already decided" by this very lead.
  const deciding = useRef(false);
  const settled = () => {
    deciding.current = false;
  };
  const decideOnce = (mutate: () => void) => {
    if (deciding.current) return;
    deciding.current = true;
    mutate();
  };
  // A refusal (another lead decided first) refreshes the item and the queue, so the panel shows what stands now.
  const approve = useMutation({ mutationFn: () => station.call('review.approve', { itemId }), onSuccess: done, onError: onDone, onSettled: settled });
  const override = useMutation({
    mutationFn: () =>
      station.call('review.override', {
        itemId,
        reason,
        ...(grade ? { grade: Grade.parse(grade) } : {}),
        ...(disposition ? { disposition: Disposition.parse(disposition) } : {}),
        ...(destination.trim() ? { destination: destination.trim() } : {}),
      }),
    onSuccess: done,
    onError: onDone,
    onSettled: settled,
  });
  const d = detail.data;
  const error = detail.error ?? approve.error ?? override.error;
  // The rule's own explanation is in both languages; the one stored with the item is English only, so a Japanese
  // screen without the rule shows none rather than mix languages.
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  // The checklist the answers were given to, so they read as its questions and answers, not their ids.
  const profile = useGradingProfile(d?.answers ? (d.category ?? null) : null);
  const why = d?.rule ? d.rule.explain[lang] : lang === 'en' ? d?.explanation : null;
  const gradeSelect = useRef<HTMLSelectElement>(null);
  // O on the queue: straight into the override, grade first.
  const pendingDetail = d?.reviewStatus === 'pending';
  useEffect(() => {
    if (focusOverride > 0 && pendingDetail) gradeSelect.current?.focus();
  }, [focusOverride, pendingDetail]);
  return (
    <aside className="card review-detail" data-testid="review-detail" data-status={d?.reviewStatus}>
      <div className="row between">
        <h3 className="mono">{d?.lpn ?? '…'}</h3>
        <button type="button" className="btn btn-secondary btn-small" onClick={onClose} data-testid="review-detail-close">
          {t('review.closeDetail')}
        </button>
      </div>
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      {d && (
        <>
          <dl className="facts">
            <Fact label={t('intake.rma')} value={d.rmaNumber ?? t('outcome.noRma')} />
            <Fact label={t('intake.sku')} value={d.expectedSku && d.expectedSku !== d.sku ? `${d.sku} ≠ ${d.expectedSku}` : d.sku} />
            <Fact label={t('intake.kind')} value={t(`itemKind.${d.kind}`)} />
            <Fact label={t('result.grade')} value={d.grade} />
            <Fact label={t('reports.disposition')} value={`${t(`result.disposition.${d.disposition}`)} → ${t(`destinationName.${d.destination}`, { defaultValue: d.destination })}`} />
            <Fact label={t('review.gradedAt')} value={formatDateTime(d.gradedAt, i18n.language)} />
            <Fact label={t('review.statusLabel')} value={t(`reviewStatus.${d.reviewStatus}`)} />
            {d.reviewStatus === 'pending' ? (
              <Fact label={t('review.age')} value={<AgeText minutes={d.ageMinutes} />} />
            ) : (
              <>
                <Fact label={t('review.decided')} value={d.reviewedAt ? formatDateTime(d.reviewedAt, i18n.language) : '—'} />
                <Fact label={t('review.decidedBy')} value={d.reviewedByName ?? d.reviewedBy ?? '—'} />
                <Fact label={t('review.waited')} value={<AgeText minutes={d.ageMinutes} />} />
              </>
            )}
          </dl>
          <div className="tags">
            {d.flags.map((f) => (
              <em key={f} className="tag">
                {t(`flag.${f}`, { defaultValue: f })}
              </em>
            ))}
          </div>
          <SoldVersusReturned detail={d} />
          <SiteFlagEvidence flags={d.siteFlags} />
          {why && <p data-testid="review-why">{why}</p>}
          <RuleLine rule={d.rule} ruleId={d.ruleId} version={d.ruleSetVersion} origin={d.ruleSetOrigin} flags={d.flags} testId="review-rule" />
          <h4>{t('review.answers')}</h4>
          {d.answers ? (
            <ul className="answers-list" data-testid="review-answers">
              {answersInWords(profile.data, d.answers, lang).map((a) => (
                <li key={a.id} data-question={a.id}>
                  {a.question}
                  {lang === 'ja' ? '：' : ': '}
                  <strong>{a.answer}</strong>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">{t('review.noAnswers')}</p>
          )}
          {d.declaration ? (
            // The lead compares what the customer showed with what the bench photographed, side by side.
            <div className="photo-compare" data-testid="photo-compare">
              <section>
                <h4>{t('declaration.customerPhotos')}</h4>
                <DeclarationCard declaration={d.declaration} photos={d.customerPhotos ?? []} />
              </section>
              <section>
                <h4>{t('review.photos', { count: d.photos.length })}</h4>
                <div className="photo-thumbs" data-testid="review-photos">
                  {d.photos.map((p) => (
                    <PhotoThumb key={p} sha256={p} />
                  ))}
                </div>
              </section>
            </div>
          ) : (
            <>
              <h4>{t('review.photos', { count: d.photos.length })}</h4>
              <div className="photo-thumbs" data-testid="review-photos">
                {d.photos.map((p) => (
                  <PhotoThumb key={p} sha256={p} />
                ))}
              </div>
            </>
          )}
          {d.reviewReason && <p>{t('review.decidedWhy', { reason: d.reviewReason })}</p>}
          {d.reviewStatus === 'pending' && (
            <>
              <button type="button" className="btn btn-primary" onClick={() => decideOnce(() => approve.mutate())} disabled={approve.isPending} data-testid="review-approve">
                {t('review.approve')}
              </button>
              <fieldset className="override">
                <legend>{t('review.override')}</legend>
                <select ref={gradeSelect} className="input" value={grade} onChange={(e) => setGrade(e.target.value)} data-testid="override-grade">
                  <option value="">{t('review.keepGrade')}</option>
                  {Grade.options.map((g) => (
                    <option key={g} value={g}>
                      {g === 'scrap' ? t('grade.scrap') : g}
                    </option>
                  ))}
                </select>
                <select className="input" value={disposition} onChange={(e) => setDisposition(e.target.value)} data-testid="override-disposition">
                  <option value="">{t('review.keepDisposition')}</option>
                  {Disposition.options.map((x) => (
                    <option key={x} value={x}>
                      {t(`result.disposition.${x}`)}
                    </option>
                  ))}
                </select>
                <input className="input" placeholder={t('review.destination')} value={destination} maxLength={32} onChange={(e) => setDestination(e.target.value)} />
                <textarea className="input" placeholder={t('review.reason')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="override-reason" />
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={reason.trim().length < 3 || (!grade && !disposition) || override.isPending}
                  onClick={() => decideOnce(() => override.mutate())}
                  data-testid="override-submit"
                >
                  {t('review.overrideSubmit')}
                </button>
              </fieldset>
            </>
          )}
        </>
      )}
    </aside>
  );
}

/** Under a serial or lot mismatch: what the line sold beside what came back, so the lead need not look either up. */
function SoldVersusReturned({ detail }: { detail: ReviewDetail }) {
  const { t } = useTranslation();
  const lines = (
    [
      ['serial', 'serial_mismatch'],
      ['lot', 'lot_mismatch'],
    ] as const
  ).flatMap(([field, flag]) => {
    const sold = detail.sold?.[field];
    const returned = detail.identity[field];
    return detail.flags.includes(flag) && sold && returned ? [{ field, text: t(`review.differs.${field}`, { sold, returned }) }] : [];
  });
  if (lines.length === 0) return null;
  return (
    <ul className="flag-details" data-testid="review-differs">
      {lines.map((l) => (
        <li key={l.field} data-field={l.field}>
          {l.text}
        </li>
      ))}
    </ul>
  );
}

function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
