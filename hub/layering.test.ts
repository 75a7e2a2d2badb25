// The hub may import the shared contract and domain only. This proves the dependency-cruiser rules
// bite: a throw-away tree with the repo's folder names, one hub file importing bench sync code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as IConfiguration;
const dir = mkdtempSync(join(tmpdir(), 'rs-hub-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

async function violations(): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const out = await cruise(['hub', 'launcher'], { ruleSet: { forbidden: config.forbidden ?? [] }, tsPreCompilationDeps: true, validate: true });
    return (out.output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  } finally {
    process.chdir(cwd);
  }
}

tree({
  'core/contract/index.ts': 'export const x = 1;\n',
  'core/domain/rules/a.ts': 'export const y = 2;\n',
  'core/sync/wmsClient.ts': 'export const z = 3;\n',
  'db/connection.ts': 'export const d = 4;\n',
  'fixtures/demo-wms/server.ts': 'export const w = 5;\n',
  'launcher/env.ts': 'export const e = 6;\n',
  'hub/ok.ts': "import { x } from '../core/contract/index.js';\nimport { y } from '../core/domain/rules/a.js';\nexport const ok = x + y;\n",
});

describe('hub layering rules', () => {
  it('let the hub import the contract and the domain', async () => {
    expect(await violations()).toEqual([]);
  });

  it('refuse bench code in the hub, fixtures outside its tests, and the hub in bench code', async () => {
    tree({
      'hub/bad.ts': "import { z } from '../core/sync/wmsClient.js';\nimport { d } from '../db/connection.js';\nimport { w } from '../fixtures/demo-wms/server.js';\nexport const bad = z + d + w;\n",
      'hub/fine.test.ts': "import { w } from '../fixtures/demo-wms/server.js';\nexport const t = w;\n",
      'hub/bad2.test.ts': "import { d } from '../db/connection.js';\nexport const t2 = d;\n",
      'launcher/uses-hub.ts': "import { ok } from '../hub/ok.js';\nexport const u = ok;\n",
    });
    const found = await violations();
    expect(found).toEqual(
      expect.arrayContaining([
        'hub-imports-contract-and-domain-only: hub/bad.ts -> core/sync/wmsClient.ts',
        'hub-imports-contract-and-domain-only: hub/bad.ts -> db/connection.ts',
        'hub-imports-contract-and-domain-only: hub/bad.ts -> fixtures/demo-wms/server.ts',
        'hub-tests-use-only-the-demo-wms: hub/bad2.test.ts -> db/connection.ts',
        'nothing-imports-the-hub: launcher/uses-hub.ts -> hub/ok.ts',
      ]),
    );
    expect(found.filter((v) => v.includes('fine.test.ts'))).toEqual([]);
  });
});
