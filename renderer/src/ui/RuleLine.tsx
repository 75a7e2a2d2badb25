import { useTranslation } from 'react-i18next';
import type { FiredRule } from '../../../contract/index.js';
import { ruleInWords } from './ruleWhen.js';

/**
 * Which rule routed an item: in words for the operator, its id and version small beside it for a lead who looks
 * the rule up on the Rules screen. The id alone only when the station could not say which rule it was.
 */
export function RuleLine(props: { rule: FiredRule | undefined; ruleId: string; version: number; flags?: readonly string[] | undefined; testId: string }) {
  const { rule, ruleId, version, flags, testId } = props;
  const { t } = useTranslation();
  const words = ruleInWords(t, rule, flags);
  return (
    <p className="rule" data-testid={testId} data-rule-id={ruleId}>
      {words === null ? (
        t('result.rule', { ruleId, version })
      ) : (
        <>
          <span data-testid={`${testId}-words`}>{words}</span> <small className="mono rule-id">{t('result.ruleId', { ruleId, version })}</small>
        </>
      )}
    </p>
  );
}
