import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { CallOutput } from '../../../contract/index.js';
import { defaultRuleSet } from '../../../domain/rules/defaultRuleSet.js';
import { createI18n, type Language } from '../i18n/index.js';
import { RuleSetSource, RulesVersion } from './RuleSetSource.js';

type RulesGet = CallOutput<'rules.get'>;

/** The Rules screen's heading badge and source line, as text. */
function heading(data: RulesGet, hubUi: boolean, language: Language): string {
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <RulesVersion data={data} hubUi={hubUi} /> <RuleSetSource data={data} hubUi={hubUi} />
    </I18nextProvider>,
  );
  return html.replace(/<[^>]+>/g, '');
}

const shipped: RulesGet = { current: defaultRuleSet, history: [], source: 'bench' };
const v = defaultRuleSet.version;

describe('the Rules screen says which rule set is in force', () => {
  it('at a hub that has published none, the shipped set shown is not called current', () => {
    const en = heading(shipped, true, 'en');
    expect(en).not.toMatch(/current/i);
    expect(en).toContain(`shown: shipped default v${v} (not published for the site)`);
    expect(en).toContain(`No rule set is published for the site yet: each bench routes by its own. Shown here is the shipped default rule set v${v}`);
    const ja = heading(shipped, true, 'ja');
    expect(ja).not.toContain('現在');
    expect(ja).toContain(`表示中：標準 v${v}（サイトには未公開）`);
    expect(ja).toContain(`同梱の標準ルールセット v${v}`);
  });

  it('once the site has published, and at a bench, the version is the current one', () => {
    const site: RulesGet = { current: { ...defaultRuleSet, version: v + 1 }, history: [], source: 'site' };
    expect(heading(site, true, 'en')).toContain(`current v${v + 1}`);
    expect(heading(site, true, 'ja')).toContain(`現在 v${v + 1}`);
    expect(heading(shipped, false, 'en')).toContain(`current v${v}`);
  });
});
