import { useTranslation } from 'react-i18next';
import type { SiteScope } from '../../../contract/index.js';

/**
 * Issue 15: at a bench of a site, whether a lead screen shows the whole site (from the hub) or, with the hub away,
 * this bench's own items only. Nothing at a bench without a hub, or at the hub.
 */
export function ScopeNote({ scope }: { scope: SiteScope | undefined }) {
  const { t } = useTranslation();
  if (!scope) return null;
  return (
    <p className={scope === 'site' ? 'scope-note' : 'scope-note scope-note-bench'} data-testid="scope-note" data-scope={scope} role="status">
      {t(`site.scope.${scope}`)}
    </p>
  );
}
