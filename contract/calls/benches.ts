import { BenchesGlance } from '../siteReports.js';
import { call, Empty, LEADS } from './define.js';

/** Issue 15: every bench of the site at a glance; only the hub answers it (a bench has no site view). */
export const benchCalls = {
  'benches.list': call({ access: LEADS, background: true, input: Empty, output: BenchesGlance }),
} as const;
