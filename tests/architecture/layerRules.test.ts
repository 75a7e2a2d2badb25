// The allow-lists of .dependency-cruiser.cjs, tried: for each rule, a shipped-looking file is written into the
// folder it governs with an import the row does not allow, and dependency-cruiser must fail naming that rule.
// The probe files are removed in `finally`, whatever happens.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, '..', '..');
// The CLI file itself: the package's exports do not list it.
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = require(join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: Array<{ name: string }> };

interface Probe {
  /** The rule that must fire. */
  rule: string;
  /** Where the probe file goes, relative to the repository. */
  file: string;
  /** Its source: one import the rule does not allow. */
  source: string;
}

const tag = `layer_probe_${process.pid}`;
const probes: Probe[] = [
  { rule: 'contract', file: `contract/${tag}.ts`, source: "import '../db/connection.js';" },
  { rule: 'contract-npm', file: `contract/${tag}_npm.ts`, source: "import 'wanakana';" },
  { rule: 'contract-no-node-builtins', file: `contract/${tag}_node.ts`, source: "import 'node:fs';" },
  { rule: 'domain', file: `domain/${tag}.ts`, source: "import '../core/workflow/errors.js';" },
  { rule: 'domain-no-node-builtins', file: `domain/${tag}_node.ts`, source: "import 'node:fs';" },
  // shared-node/ serves the bench and the hub, so it reaches neither.
  { rule: 'shared-node', file: `shared-node/${tag}.ts`, source: "import '../core/workflow/errors.js';" },
  { rule: 'shared-node', file: `shared-node/${tag}_hub.ts`, source: "import '../hub/siteErrors.js';" },
  { rule: 'core-logging', file: `core/logging/${tag}.ts`, source: "import '../../db/connection.js';" },
  { rule: 'core-sync', file: `core/sync/${tag}.ts`, source: "import '../workflow/errors.js';" },
  { rule: 'core-workflow', file: `core/workflow/${tag}.ts`, source: "import '../../fixtures/demo-data/prng.js';" },
  { rule: 'core-root', file: `core/${tag}.ts`, source: "import '../app/env.js';" },
  // Core imports native fails: drivers come in through core/ports.ts, a type-only import included.
  { rule: 'core-workflow', file: `core/workflow/${tag}_native.ts`, source: "import type { LabelPrinter } from '../../native/printers/labelPrinter.js';\nexport type T = LabelPrinter;" },
  { rule: 'core-root', file: `core/${tag}_native.ts`, source: "import '../native/devices/deviceManager.js';" },
  { rule: 'db', file: `db/${tag}.ts`, source: "import '../core/workflow/errors.js';" },
  { rule: 'native', file: `native/${tag}.ts`, source: "import '../db/connection.js';" },
  // A type-only import counts like any other.
  { rule: 'app', file: `app/${tag}.ts`, source: "import type { DemoData } from '../fixtures/demo-data/generate.js';\nexport type T = DemoData;" },
  { rule: 'app-demo', file: `app/demo/${tag}.ts`, source: "import '../../electron/appOrigin.js';" },
  { rule: 'electron', file: `electron/${tag}.ts`, source: "import type { Handlers } from '../core/workflow/dispatch.js';\nexport type T = Handlers;" },
  { rule: 'preview', file: `preview/${tag}.ts`, source: "import '../core/workflow/errors.js';" },
  { rule: 'hub', file: `hub/${tag}.ts`, source: "import '../core/sync/wmsClient.js';" },
  { rule: 'hub-tests-use-only-the-demo-wms', file: `hub/${tag}.test.ts`, source: "import '../db/connection.js';" },
  { rule: 'nothing-imports-the-hub', file: `app/${tag}_hub.ts`, source: "import '../hub/protocol.js';" },
  { rule: 'renderer', file: `renderer/src/${tag}.ts`, source: "import '../../core/workflow/errors.js';" },
  { rule: 'renderer-no-node-builtins', file: `renderer/src/${tag}_node.ts`, source: "import 'node:fs';" },
  // Allowed hop by hop (electron → app is fine), but the bundle would then reach a fixture.
  { rule: 'electron-never-reaches-fixtures', file: `electron/${tag}_reach.ts`, source: `import '../app/${tag}_hop.js';` },
  { rule: 'shipped-code-imports-no-test-helper', file: `native/transports/${tag}_helper.ts`, source: "import './memoryTransport.test-helper.js';" },
  { rule: 'only-electron-imports-electron', file: `core/workflow/${tag}_electron.ts`, source: "import 'electron';" },
];
// The hop of the reachability probe (its own `app` violation is expected too).
const helpers = [{ file: `app/${tag}_hop.ts`, source: "import '../fixtures/demo-data/prng.js';" }];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

describe('.dependency-cruiser.cjs', () => {
  it('has a probe here for every layer rule, so a new row cannot go untested', () => {
    const generic = new Set(['not-to-unresolvable', 'no-circular']);
    const rules = config.forbidden.map((r) => r.name).filter((n) => !generic.has(n));
    expect([...new Set(rules)].sort()).toEqual([...new Set(probes.map((p) => p.rule))].sort());
  });

  it('fails a wrong import in each folder, naming that folder\'s rule', () => {
    const written: string[] = [];
    try {
      for (const p of [...probes, ...helpers]) {
        const path = join(ROOT, p.file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${p.source}\n`);
        written.push(path);
      }
      const run = spawnSync(
        process.execPath,
        [DEPCRUISE, ...written.map((w) => w.slice(ROOT.length + 1)), '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
        { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      // (The json reporter exits 0 either way; `npm run lint:deps` uses the err reporter, which fails.)
      expect(run.stdout, run.stderr).toMatch(/^\{/);
      const violations = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
      const named = (p: Probe): boolean =>
        // A reachability violation is reported on the module reached, naming the entry it is reached from.
        violations.some((v) => v.rule.name === p.rule && (v.from === p.file || v.to === p.file || JSON.stringify(v).includes(p.file)));
      const missing = probes.filter((p) => !named(p)).map((p) => `${p.rule} (${p.file})`);
      expect(missing, violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).join('\n')).toEqual([]);
    } finally {
      for (const w of written) rmSync(w, { force: true });
      rmSync(join(ROOT, 'app', 'demo'), { recursive: true, force: true });
    }
  }, 120_000);
});

describe('tsconfig', () => {
  it('type-checks every folder that holds TypeScript (tsconfig.json or tsconfig.renderer.json)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const included = (file: string): string[] => (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { include: string[] }).include;
    const covered = new Set([...included('tsconfig.json'), ...included('tsconfig.renderer.json')].map((p) => p.split('/')[0]));
    const skip = new Set(['node_modules', 'dist', 'dist-electron', 'dist-demo', 'release', 'var', 'test-results', 'docs']);
    const hasTs = (dir: string): boolean =>
      readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true }).some((e) => e.isFile() && /\.tsx?$/.test(e.name));
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !skip.has(e.name))
      .map((e) => e.name)
      .filter(hasTs);
    expect(folders.filter((f) => !covered.has(f))).toEqual([]);
  });
});
