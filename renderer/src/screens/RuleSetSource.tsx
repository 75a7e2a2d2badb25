// Which rule set the Rules screen shows and whether it is the one in force. At the site hub before the site has
// published a rule set, the editor starts from the shipped default: it routes nothing site-wide (each bench routes by
// its own), so the heading must not call it "current" beside "no rule set is published".
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../contract/index.js';
import { formatDateTime } from '../ui/format.js';

type RulesGet = CallOutput<'rules.get'>;

/** Issue 15: whose rules route here (the site's or this bench's own), and at a bench of a site, how fresh its copy is. */
export function RuleSetSource({ data, hubUi }: { data: RulesGet; hubUi: boolean }) {
  const { t, i18n } = useTranslation();
  const version = data.current.version;
  const key = hubUi
    ? data.source === 'site'
      ? 'siteRules.source.hubPublished'
      : 'siteRules.source.hubNone'
    : data.source === 'site'
      ? 'siteRules.source.benchSite'
      : data.site
        ? 'siteRules.source.benchOwnSite'
        : 'siteRules.source.benchOwn';
  const problem = data.site?.errorKey;
  return (
    <div className="card" data-testid="rules-source" data-source={data.source ?? 'bench'}>
      <p>
        <strong>{t(key, { version })}</strong>
        {data.site?.lastPulledAt && <span className="hint"> {t('siteRules.lastPulled', { at: formatDateTime(data.site.lastPulledAt, i18n.language) })}</span>}
      </p>
      {problem && (
        <p className="warn" data-testid="rules-site-problem">
          {t(problem, { defaultValue: problem })} {t('siteRules.keeps', { version })}
        </p>
      )}
    </div>
  );
}

/** The heading's badge: the version in force, or at a hub with nothing published, the shipped set shown to start from. */
export function RulesVersion({ data, hubUi }: { data: RulesGet; hubUi: boolean }) {
  const { t } = useTranslation();
  const shippedOnly = hubUi && data.source !== 'site';
  return (
    <span className="count" data-testid="rules-version" data-in-force={shippedOnly ? 'none' : 'current'}>
      {t(shippedOnly ? 'rules.versionShipped' : 'rules.version', { version: data.current.version })}
    </span>
  );
}
