// Electronegativity (Doyensec's Electron misconfiguration scanner) over the shell's sources, in `npm test`.
// HIGH and MEDIUM findings fail unless tests/security/electronegativity-allowlist.json explains them,
// and every explanation must also be in docs/security.md.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Finding {
  id: string;
  file: string;
  severity: { name: string };
  confidence: { name: string };
  location: { line: number };
  description: string;
}
interface RunResult {
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Finding[];
}
interface AllowEntry {
  id: string;
  file: string;
  reason: string;
}

const ROOT = resolve(import.meta.dirname, '../..');
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron ?? '';

/**
 * Loads the scanner with its two network look-ups (fresh translations, Electron's release list) answered
 * "offline" at once: CI has no internet, and the checks themselves are all local.
 */
function loadScanner(): (options: Record<string, unknown>, forCli: boolean) => Promise<RunResult> {
  const req = createRequire(join(ROOT, 'node_modules/@doyensec/electronegativity/package.json'));
  const gotPath = req.resolve('got');
  const offline = (): Promise<never> => Promise.reject(new Error('offline'));
  const gotModule = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };
  req.cache[gotPath] = gotModule as unknown as NodeJS.Module;
  const mod = req('./dist/runner.js') as { default?: unknown };
  return (mod.default ?? mod) as (options: Record<string, unknown>, forCli: boolean) => Promise<RunResult>;
}

/** The shipped shell only: tests and test doubles of electron/ are not part of the app. */
function shippedShellCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rs-eneg-'));
  for (const f of readdirSync(join(ROOT, 'electron'))) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.endsWith('.test-helper.ts')) continue;
    copyFileSync(join(ROOT, 'electron', f), join(dir, f));
  }
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('electronegativity', () => {
  it('finds no HIGH or MEDIUM issue in electron/ that docs/security.md does not explain', async () => {
    const input = shippedShellCopy();
    scratch.push(input);
    const run = loadScanner();
    const log = console.log;
    console.log = () => undefined; // the scanner reports its offline look-ups on stdout
    let result: RunResult;
    try {
      result = await run(
        { input, output: undefined, isSarif: false, customScan: [], excludeFromScan: [], isRelative: true, electronVersionOverride: ELECTRON_VERSION.replace(/^[^\d]*/, ''), parserPlugins: [] },
        false,
      );
    } finally {
      console.log = log;
    }
    expect(result.errors.filter((e) => !e.tolerable)).toEqual([]);

    const allow = (JSON.parse(readFileSync(join(import.meta.dirname, 'electronegativity-allowlist.json'), 'utf8')) as { findings: AllowEntry[] }).findings;
    const docs = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');
    const serious = result.issues.filter((i) => i.severity.name === 'HIGH' || i.severity.name === 'MEDIUM');
    const key = (id: string, file: string): string => `${id} @ ${file}`;
    const allowed = new Set(allow.map((a) => key(a.id, a.file)));
    const unexplained = serious.filter((i) => !allowed.has(key(i.id, i.file))).map((i) => `${i.severity.name} ${key(i.id, i.file)}:${i.location.line} — ${i.description}`);
    expect(unexplained, 'fix these, or explain each in the allow-list and docs/security.md').toEqual([]);

    const found = new Set(serious.map((i) => key(i.id, i.file)));
    const stale = allow.filter((a) => !found.has(key(a.id, a.file))).map((a) => key(a.id, a.file));
    expect(stale, 'allow-list entries the scanner no longer reports: remove them').toEqual([]);
    for (const a of allow) {
      expect(a.reason.length, `${a.id}: a reason`).toBeGreaterThan(20);
      expect(docs, `${a.id} explained in docs/security.md`).toContain(a.id);
    }
  });
});
