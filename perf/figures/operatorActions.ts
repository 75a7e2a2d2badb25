// Operator actions for a matched single-item return, counted from the end-to-end flow
// (tests/e2e/operator-path.test.ts) and the grading profiles the bench asks through.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Category, GradingProfile } from '../../contract/index.js';
import { nextQuestion } from '../../domain/grading/evaluate.js';
import { GRADING_PROFILES } from '../../domain/grading/profiles/index.js';
import { baselineInputs, baselineScript, countBaseline, type BaselineCount } from '../baseline-spreadsheet.js';

export interface ActionCount {
  scans: number;
  keys: number;
  actions: number;
  /** What the operator does, in order. */
  steps: string[];
}

export interface OperatorActionFigures {
  /** Scans and keys the e2e test performs from the parcel scan to the result (quick grade key). */
  e2eQuickGrade: ActionCount | null;
  sealed: ActionCount;
  /** Opened, typical grading: each profile question answered with its likely answer (Enter), per category. */
  openedByCategory: Record<Category, ActionCount>;
  /** The worst category. */
  opened: ActionCount;
  baseline: { sealed: BaselineCount; opened: BaselineCount };
  /** Baseline actions / station actions. */
  sealedFactor: number;
  openedFactor: number;
}

const E2E = fileURLToPath(new URL('../../tests/e2e/operator-path.test.ts', import.meta.url));

/**
 * The e2e operator path: after sign-in, the scans (wedgeScan) and key presses until the result panel
 * shows. Counted from the test's source so the figure follows the test when the flow changes.
 */
export function countE2eFlow(source: string): ActionCount | null {
  const start = source.indexOf('await signInPin(');
  const end = source.indexOf("getByTestId('result-panel')", start);
  if (start < 0 || end < 0) return null;
  const body = source.slice(start, end);
  const scans = [...body.matchAll(/wedgeScan\(page, ([^)]+)\)/g)].map((m) => `scan ${m[1]}`);
  const keys = [...body.matchAll(/keyboard\.press\('([^']+)'\)/g)].map((m) => `key ${m[1]}`);
  // The steps in source order.
  const steps = [...body.matchAll(/wedgeScan\(page, ([^)]+)\)|keyboard\.press\('([^']+)'\)/g)].map((m) => (m[1] ? `scan ${m[1]}` : `key ${m[2]}`));
  return { scans: scans.length, keys: keys.length, actions: scans.length + keys.length, steps };
}

/** Keys through a profile: the first answer given, then the likely answer (Enter) to every next question. */
function profileKeys(profile: GradingProfile, first: string): string[] {
  const answers: Record<string, string> = {};
  const keys: string[] = [];
  for (let q = nextQuestion(profile, answers); q; q = nextQuestion(profile, answers)) {
    const pick = Object.keys(answers).length === 0 ? first : q.likely;
    const option = q.answers.find((a) => a.id === pick);
    if (!option) throw new Error(`${profile.id}: question ${q.id} has no answer ${pick}`);
    // The likely answer is preselected, so Enter takes it; anything else is its own key.
    keys.push(pick === q.likely ? `Enter (${q.id}: ${pick})` : `${option.key} (${q.id}: ${pick})`);
    answers[q.id] = pick;
  }
  return keys;
}

function count(steps: string[]): ActionCount {
  const scans = steps.filter((s) => s.startsWith('scan')).length;
  return { scans, keys: steps.length - scans, actions: steps.length, steps };
}

export function operatorActionFigures(sample: { trackingNumber: string; rmaNumber: string; orderNumber: string; sku: string; jan: string }): OperatorActionFigures {
  const e2eQuickGrade = countE2eFlow(readFileSync(E2E, 'utf8'));
  const scanSteps = ['scan parcel label', 'scan item barcode'];
  const sealed = count([...scanSteps, ...profileKeys(GRADING_PROFILES.apparel, 'factory_sealed')]);
  const openedByCategory = Object.fromEntries(
    (Object.keys(GRADING_PROFILES) as Category[]).map((c) => [c, count([...scanSteps, ...profileKeys(GRADING_PROFILES[c], 'opened_intact')])]),
  ) as Record<Category, ActionCount>;
  const opened = Object.values(openedByCategory).reduce((a, b) => (b.actions > a.actions ? b : a));
  const inputs = baselineInputs({ ...sample, lpn: 'R-2026-000123' });
  const baseline = { sealed: countBaseline(baselineScript(inputs.sealed)), opened: countBaseline(baselineScript(inputs.opened)) };
  return {
    e2eQuickGrade,
    sealed,
    openedByCategory,
    opened,
    baseline,
    sealedFactor: baseline.sealed.actions / sealed.actions,
    openedFactor: baseline.opened.actions / opened.actions,
  };
}
