import { useTranslation } from 'react-i18next';
import type { FiredRule, RuleSetOrigin } from '../../../contract/index.js';
import { ruleSetLabel } from '../../../domain/rules/ruleSetLabel.js';
import { ruleInWords } from './ruleWhen.js';

/**
 * Which rule routed an item: in words for the operator, its id and rule set small beside it for a lead who looks
 * the rule up on the Rules screen. The rule set says whose it is ("サイト v3", "作業台 BENCH-01 v3", "標準 v2"): a
 * bench's own v3 and the site's v3 are two tables. The id alone only when the station could not say which rule it was.
 */
export function RuleLine(props: {
  rule: FiredRule | undefined;
  ruleId: string;
  version: number;
  origin?: RuleSetOrigin | undefined;
  flags?: readonly string[] | undefined;
  testId: string;
}) {
  const { rule, ruleId, version, origin, flags, testId } = props;
  const { t, i18n } = useTranslation();
  const words = ruleInWords(t, rule, flags);
  const ruleSet = ruleSetLabel(version, origin, i18n.language === 'en' ? 'en' : 'ja');
  return (
    <p className="rule" data-testid={testId} data-rule-id={ruleId} data-rule-set-source={origin?.source} title={origin ? `sha256 ${origin.sha256}` : undefined}>
      {words === null ? (
        t('result.rule', { ruleId, ruleSet })
      ) : (
        <>
          <span data-testid={`${testId}-words`}>{words}</span> <small className="mono rule-id">{t('result.ruleId', { ruleId, ruleSet })}</small>
        </>
      )}
    </p>
  );
}
