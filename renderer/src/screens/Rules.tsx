import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Disposition, GradingProfile, RoutingRule, type CallOutput, type GradingProfileInput, type RoutingRuleInput } from '../../../contract/index.js';
import { useStation, useSystemInfo } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { describeWhen } from '../ui/ruleWhen.js';
import { routeChangedText } from '../ui/countTexts.js';
import { formatDateTime, formatNumber } from '../ui/format.js';
import { jsonIssue, ruleIssuesOf, type RuleIssue } from '../../../domain/rules/ruleIssues.js';
import { ruleIssuesText } from '../ui/ruleIssues.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { useOnceAtATime } from '../ui/once.js';
import { RuleSetSource, RulesVersion } from './RuleSetSource.js';

/**
 * Parses an editor's JSON with the contract's own schema, so mistakes show before the station sees them: as issues
 * (place and problem) the screen says in the operator's language, never the parser's or zod's English.
 */
function parseJsonAs<T>(schema: z.ZodType<T>, text: string, under: 'rules' | 'gradingProfiles'): { value: T } | { issues: RuleIssue[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { issues: [jsonIssue(text, e instanceof Error ? e.message : String(e))] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { issues: ruleIssuesOf(parsed.error.issues, raw, under) };
  return { value: parsed.data };
}

const Rules_ = z.array(RoutingRule).min(1).max(200);

export function parseRulesJson(text: string): { rules: RoutingRuleInput[] } | { issues: RuleIssue[] } {
  const r = parseJsonAs(Rules_, text, 'rules');
  return 'value' in r ? { rules: r.value } : r;
}

/** The rules as the form edits them (a destination emptied, say), checked as the JSON is before the station sees them. */
export function checkRules(rules: RoutingRuleInput[]): { rules: RoutingRuleInput[] } | { issues: RuleIssue[] } {
  const r = Rules_.safeParse(rules);
  return r.success ? { rules } : { issues: ruleIssuesOf(r.error.issues, rules, 'rules') };
}

/** The grading profiles published with the rules (issue 15), checked like the rules. */
export function parseProfilesJson(text: string): { profiles: GradingProfileInput[] } | { issues: RuleIssue[] } {
  const r = parseJsonAs(z.array(GradingProfile).max(20), text, 'gradingProfiles');
  return 'value' in r ? { profiles: r.value } : r;
}

/** Supervisors: read the rule set, change it as a form or as JSON, see what a dry run would change, publish. */
export function Rules() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'ja' ? 'ja' : 'en';
  const station = useStation();
  const queryClient = useQueryClient();
  const current = useQuery({ queryKey: ['rules'], queryFn: () => station.call('rules.get', {}) });
  const [rules, setRules] = useState<RoutingRuleInput[] | null>(null);
  const [mode, setMode] = useState<'form' | 'json' | 'profiles'>('form');
  const [text, setText] = useState('');
  // Issue 15: the grading profiles published with the rules; sent only when changed, else the current ones stay.
  const [profilesText, setProfilesText] = useState('');
  const [loadedProfilesText, setLoadedProfilesText] = useState('');
  // Issue 15: at the site hub the dry run looks at the site's last 5,000 items by default.
  const hubUi = useSystemInfo().data?.site === true;
  const [limitChosen, setLimit] = useState<number | null>(null);
  const limit = limitChosen ?? (hubUi ? 5000 : 200);
  const [note, setNote] = useState('');
  useEffect(() => {
    if (current.data && rules === null) {
      setRules(current.data.current.rules);
      setText(JSON.stringify(current.data.current.rules, null, 2));
      const profiles = JSON.stringify(current.data.current.gradingProfiles ?? [], null, 2);
      setProfilesText(profiles);
      setLoadedProfilesText(profiles);
    }
  }, [current.data, rules]);

  const parsed = mode === 'json' ? parseRulesJson(text) : rules ? checkRules(rules) : { issues: [] };
  const proposed = 'rules' in parsed ? parsed.rules : null;
  const profilesChanged = profilesText !== loadedProfilesText;
  const parsedProfiles = parseProfilesJson(profilesText);
  const dryRun = useMutation({ mutationFn: (r: RoutingRuleInput[]) => station.call('rules.dryRun', { rules: r, limit }) });
  const once = useOnceAtATime();
  const publish = useMutation({
    mutationFn: (r: RoutingRuleInput[]) =>
      station.call('rules.publish', {
        rules: r,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(profilesChanged && 'profiles' in parsedProfiles ? { gradingProfiles: parsedProfiles.profiles } : {}),
      }),
    onSuccess: () => {
      setRules(null);
      dryRun.reset();
      void queryClient.invalidateQueries({ queryKey: ['rules'] });
    },
  });
  const switchMode = (m: 'form' | 'json' | 'profiles') => {
    if (m === 'json' && rules) setText(JSON.stringify(rules, null, 2));
    if (m !== 'json' && mode === 'json' && 'rules' in parsed) setRules(parsed.rules);
    setMode(m);
  };
  const edit = (i: number, patch: Partial<RoutingRuleInput['then']>) =>
    setRules((rs) => rs?.map((r, j) => (j === i ? { ...r, then: { ...r.then, ...patch } } : r)) ?? rs);
  const error = current.error ?? dryRun.error ?? publish.error;
  // A bench of a site that routes by the site's rules publishes nothing of its own.
  const siteOwned = !hubUi && current.data?.source === 'site';
  // The dry run answers for the rules it was given: once they change, its figures (and the Publish it allowed) are
  // another rule set's, so they are not shown until the changed rules are dry-run.
  const d = dryRun.data && proposed && JSON.stringify(dryRun.variables) === JSON.stringify(proposed) ? dryRun.data : undefined;
  const listed = d?.examples.filter((x) => x.item) ?? [];

  return (
    <main className="screen" data-testid="screen-rules">
      <h2 className="screen-title">
        {t('rules.title')} {current.data && <RulesVersion data={current.data} hubUi={hubUi} />}
      </h2>
      {current.data && <RuleSetSource data={current.data} hubUi={hubUi} />}
      {error && <NoticePanel notice={{ kind: 'error', error: toApiError(error), during: 'other' }} />}
      <div className="row">
        <button type="button" className={`btn btn-small ${mode === 'form' ? 'btn-active' : 'btn-secondary'}`} onClick={() => switchMode('form')} data-testid="rules-mode-form">
          {t('rules.form')}
        </button>
        <button type="button" className={`btn btn-small ${mode === 'json' ? 'btn-active' : 'btn-secondary'}`} onClick={() => switchMode('json')} data-testid="rules-mode-json">
          {t('rules.json')}
        </button>
        <button
          type="button"
          className={`btn btn-small ${mode === 'profiles' ? 'btn-active' : 'btn-secondary'}`}
          onClick={() => switchMode('profiles')}
          data-testid="rules-mode-profiles"
        >
          {t('rules.profiles', { count: current.data?.current.gradingProfiles?.length ?? 0 })}
        </button>
      </div>
      {mode === 'profiles' ? (
        <section className="card">
          <p className="hint">{t('rules.profilesHint')}</p>
          <textarea
            className="input code"
            value={profilesText}
            onChange={(e) => setProfilesText(e.target.value)}
            spellCheck={false}
            rows={20}
            data-testid="rules-profiles-json"
          />
          {'issues' in parsedProfiles && (
            <p className="warn" data-testid="rules-profiles-error">
              {t('rules.profilesInvalid', { error: ruleIssuesText(t, parsedProfiles.issues) })}
            </p>
          )}
        </section>
      ) : mode === 'json' ? (
        <section className="card">
          <textarea className="input code" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={20} data-testid="rules-json" />
          {'issues' in parsed && parsed.issues.length > 0 && (
            <p className="warn" data-testid="rules-json-error">
              {t('rules.invalid', { error: ruleIssuesText(t, parsed.issues) })}
            </p>
          )}
        </section>
      ) : (
        <section className="card rules-table-card">
          <table className="table rules-table" data-testid="rules-table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('rules.id')}</th>
                <th>{t('rules.when')}</th>
                <th>{t('reports.disposition')}</th>
                <th>{t('result.destination')}</th>
                <th>{t('result.why')}</th>
              </tr>
            </thead>
            <tbody>
              {(rules ?? []).map((r, i) => (
                <tr key={r.id} data-testid="rule-row">
                  <td>{i + 1}</td>
                  <td className="mono">{r.id}</td>
                  <td className="small rules-when" data-testid="rule-when">
                    {Object.keys(r.when).length === 0
                      ? t('rules.always')
                      : describeWhen(t, r.when).map((line) => (
                          <div key={line}>{line}</div>
                        ))}
                  </td>
                  <td>
                    <select className="input" value={r.then.disposition} onChange={(e) => edit(i, { disposition: Disposition.parse(e.target.value) })} data-testid="rule-disposition">
                      {Disposition.options.map((x) => (
                        <option key={x} value={x}>
                          {t(`result.disposition.${x}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input className="input input-short" value={r.then.destination} onChange={(e) => edit(i, { destination: e.target.value })} data-testid="rule-destination" />
                  </td>
                  <td className="small rules-explain">{r.explain[lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {'issues' in parsed && parsed.issues.length > 0 && (
            <p className="warn" data-testid="rules-form-error">
              {t('rules.invalid', { error: ruleIssuesText(t, parsed.issues) })}
            </p>
          )}
        </section>
      )}
      <section className="card">
        <div className="row">
          <label className="filter">
            <span>{t('rules.limit')}</span>
            <input type="number" className="input input-num" min={1} max={5000} value={limit} onChange={(e) => setLimit(Math.min(5000, Math.max(1, Number(e.target.value) || 1)))} />
          </label>
          <button type="button" className="btn btn-primary" disabled={!proposed || dryRun.isPending} onClick={() => proposed && dryRun.mutate(proposed)} data-testid="rules-dry-run">
            {t('rules.dryRun')}
          </button>
          <input className="input input-wide" placeholder={t('rules.note')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="rules-note" />
          <button
            type="button"
            className="btn btn-primary"
            disabled={!proposed || !d || publish.isPending || siteOwned || (profilesChanged && 'issues' in parsedProfiles)}
            onClick={() => proposed && once(() => publish.mutateAsync(proposed))}
            data-testid="rules-publish"
          >
            {t('rules.publish')}
          </button>
        </div>
        {siteOwned && <p className="hint">{t('siteRules.publishAtHub')}</p>}
        {!d && !siteOwned && <p className="hint">{t('rules.dryRunFirst')}</p>}
        {publish.data && <p className="ok-text">{t('rules.published', { version: publish.data.version })}</p>}
        {d && (
          <div data-testid="dry-run-result" data-changed={d.changed} data-total={d.total}>
            <p>
              <strong>{routeChangedText(t, d, i18n.language)}</strong>
            </p>
            {/* Only when something would change: an empty table under "0 of N" read as a list that failed to load. */}
            {d.byTransition.length > 0 && (
            <table className="table" data-testid="dry-run-transitions">
              <thead>
                <tr>
                  <th>{t('rules.from')}</th>
                  <th>{t('rules.to')}</th>
                  <th className="num">{t('reports.items')}</th>
                </tr>
              </thead>
              <tbody>
                {d.byTransition.map((x, i) => (
                  <tr key={i}>
                    <td>
                      {t(`result.disposition.${x.from.disposition}`)} · {t(`destinationName.${x.from.destination}`, { defaultValue: x.from.destination })}
                    </td>
                    <td>
                      {t(`result.disposition.${x.to.disposition}`)} · {t(`destinationName.${x.to.destination}`, { defaultValue: x.to.destination })}
                    </td>
                    <td className="num">{formatNumber(x.count, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            )}
            {listed.length > 0 && (
              <>
                <h4>{t('siteRules.listed', { count: listed.length, changed: formatNumber(d?.changed ?? 0, i18n.language) })}</h4>
                <table className="table small" data-testid="dry-run-items">
                  <thead>
                    <tr>
                      <th>LPN</th>
                      <th>{t('site.review.bench')}</th>
                      <th>{t('result.grade')}</th>
                      <th>{t('siteRules.category')}</th>
                      <th>{t('rules.from')}</th>
                      <th>{t('rules.to')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {listed.map((x) => (
                      <tr key={x.item?.itemId ?? x.index} data-testid="dry-run-item">
                        <td className="mono">{x.item?.lpn}</td>
                        <td>{x.item?.stationId}</td>
                        <td>{x.facts.grade}</td>
                        <td>{t(`category.${x.facts.category}`, { defaultValue: x.facts.category })}</td>
                        <td>
                          {t(`result.disposition.${x.before.disposition}`)} · <span className="mono small">{x.before.ruleId}</span>
                        </td>
                        <td>
                          {t(`result.disposition.${x.after.disposition}`)} · <span className="mono small">{x.after.ruleId}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        )}
      </section>
      {current.data && current.data.history.length > 0 && (
        <section className="card">
          <h3>{t('rules.history')}</h3>
          <table className="table">
            <tbody>
              {current.data.history.map((h) => (
                <tr key={h.version}>
                  <td>v{h.version}</td>
                  <td>{t(`rules.status.${h.status}`)}</td>
                  <td>{h.publishedAt ? formatDateTime(h.publishedAt, i18n.language) : ''}</td>
                  <td>{h.publishedBy ?? ''}</td>
                  <td>{h.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
