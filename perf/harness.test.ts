// The bench harness itself at a tiny scale: every figure is produced and written. No timing is
// asserted — a slow machine must never fail a test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { countE2eFlow } from './figures/operatorActions.js';
import { baselineInputs, baselineScript, countBaseline } from './baseline-spreadsheet.js';
import { percentile, median } from './lib/stats.js';

const dir = mkdtempSync(join(tmpdir(), 'rs-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench statistics', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('operator actions', () => {
  it('counts the scans and keys of an e2e flow in source order', () => {
    const src = `await signInPin(page, op.pin);\nawait wedgeScan(page, a);\nawait wedgeScan(page, b);\nawait page.keyboard.press('b');\nconst result = page.getByTestId('result-panel');`;
    expect(countE2eFlow(src)).toEqual({ scans: 2, keys: 1, actions: 3, steps: ['scan a', 'scan b', 'key b'] });
    expect(countE2eFlow('nothing here')).toBeNull();
  });

  it('counts the baseline script: a scan is one action, typed text one per character', () => {
    const { sealed, opened } = baselineInputs({ trackingNumber: '1', rmaNumber: 'R', orderNumber: 'O', sku: 'S', jan: 'J', lpn: 'L' });
    const s = countBaseline(baselineScript(sealed));
    expect(s.scans).toBe(3);
    expect(s.actions).toBe(s.scans + s.keystrokes);
    // Condition notes are typed twice (sheet and e-mail) plus a Tab.
    expect(countBaseline(baselineScript(opened)).keystrokes).toBe(s.keystrokes + 2 * [...opened.notes].length + 1 + 1);
  });
});

describe('npm run bench at a tiny scale', () => {
  it('writes results.json with every figure and the machine', () => {
    const out = join(dir, 'results.json');
    const run = fileURLToPath(new URL('./run.ts', import.meta.url));
    execFileSync(process.execPath, ['--import', 'tsx', run, '--scale', '0.01', '--rmas', '2000', '--out', out, '--cache', join(dir, 'cache')], { encoding: 'utf8', stdio: 'pipe' });
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      machine: { cores: number; node: string; cpuModel: string };
      referenceData: { rmas: number };
      figures: { id: string; value: number; met: boolean | null }[];
    };
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(results.referenceData.rmas).toBe(2000);
    const ids = results.figures.map((f) => f.id);
    expect(ids).toEqual([
      'scan.tracking', 'scan.rmaNumber', 'scan.orderNumber', 'scan.lpn', 'scan.serial', 'scan.gtin', 'scan.gs1', 'scan.epc',
      'corePath', 'actions.sealed', 'actions.opened', 'drain.rate', 'drain.ratio', 'pull.before', 'pull', 'export.csv', 'export.xlsx',
      'busy.scan', 'busy.corePath', 'busy.loop.export.xlsx', 'busy.loop.pull', 'busy.loop.drain', 'coldStart', 'idleRss',
    ]);
    for (const f of results.figures) expect(Number.isFinite(f.value), f.id).toBe(true);
    // Action counts do not depend on the machine.
    expect(results.figures.find((f) => f.id === 'actions.sealed')?.met).toBe(true);
  }, 240_000);
});
