import { DashboardShift } from '../reports.js';
import { call, Empty, LEADS } from './define.js';

export const dashboardCalls = {
  /** The shift dashboard for leads; the dashboard.changed event says when it is stale. */
  'dashboard.shift': call({ access: LEADS, background: true, input: Empty, output: DashboardShift }),
} as const;
