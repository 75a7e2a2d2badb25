import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SiteScope } from '../../../contract/index.js';
import { useSyncStatus } from '../station/StationContext.js';

/** While the answer's scope disagrees with what the bench's sync says of the hub, the screen asks again this often. */
export const SCOPE_RECHECK_MS = 10_000;

/**
 * Whether an answer's scope is out of date by what the bench's sync says of the site hub (the hub is its WMS): "this
 * bench only" while the hub answers again, or "whole site" while it does not. Nothing to follow at a bench without a
 * hub (no scope) or before the sync status is known.
 */
export function scopeOutOfDate(scope: SiteScope | undefined, hubOnline: boolean | undefined): boolean {
  return (scope === 'bench' && hubOnline === true) || (scope === 'site' && hubOnline === false);
}

/**
 * Issue 15: at a bench of a site, whether a lead screen shows the whole site (from the hub) or, with the hub away,
 * this bench's own items only. Nothing at a bench without a hub, or at the hub. The note follows the hub by itself:
 * `recheck` (the screen's refetch) is called when the hub comes back or goes away, and again every
 * SCOPE_RECHECK_MS until the answer's scope agrees (the bench asks a hub that failed again only after a while).
 */
export function ScopeNote({ scope, recheck }: { scope: SiteScope | undefined; recheck?: () => void }) {
  const { t } = useTranslation();
  const hubOnline = useSyncStatus(scope !== undefined).data?.online;
  const again = useRef(recheck);
  again.current = recheck;
  const stale = scopeOutOfDate(scope, hubOnline);
  useEffect(() => {
    if (!stale) return;
    again.current?.();
    const timer = setInterval(() => again.current?.(), SCOPE_RECHECK_MS);
    return () => clearInterval(timer);
  }, [stale]);
  if (!scope) return null;
  return (
    <p className={scope === 'site' ? 'scope-note' : 'scope-note scope-note-bench'} data-testid="scope-note" data-scope={scope} role="status">
      {t(`site.scope.${scope}`)}
    </p>
  );
}
