import type { Role } from '../../../contract/index.js';

export const SCREENS = ['intake', 'devices', 'review', 'sync', 'reports', 'dashboard', 'benches', 'rules', 'operators'] as const;
export type ScreenId = (typeof SCREENS)[number];

/** The least role that sees a screen. The main process enforces roles per call; this only hides what would be refused. */
const MIN_ROLE: Record<ScreenId, Role> = {
  intake: 'staff',
  devices: 'staff',
  review: 'lead',
  sync: 'lead',
  reports: 'supervisor',
  dashboard: 'supervisor',
  benches: 'lead',
  rules: 'supervisor',
  operators: 'supervisor',
};
const RANK: Record<Role, number> = { staff: 0, lead: 1, supervisor: 2 };

/** Issue 15: what the site hub's UI offers (the bench's own screens need a bench). */
const SITE_SCREENS: ReadonlySet<ScreenId> = new Set(['review', 'reports', 'dashboard', 'rules', 'benches', 'operators']);
/** Screens only the hub has: a bench has no view of the other benches. */
const SITE_ONLY: ReadonlySet<ScreenId> = new Set(['benches']);

/** `site`: the renderer is served by the site hub, for leads and supervisors of the whole site. */
export function screensFor(role: Role, site = false): ScreenId[] {
  return SCREENS.filter((s) => RANK[role] >= RANK[MIN_ROLE[s]] && (site ? SITE_SCREENS.has(s) : !SITE_ONLY.has(s)));
}

/** Alt+1…Alt+8 by position in the operator's own list, so the digits stay dense for every role. */
export function screenForShortcut(role: Role, digit: string, site = false): ScreenId | undefined {
  const n = Number(digit);
  if (!Number.isInteger(n) || n < 1) return undefined;
  return screensFor(role, site)[n - 1];
}
