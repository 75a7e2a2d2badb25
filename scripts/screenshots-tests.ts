// `npm run screenshots:tests`: the README pictures that only the end-to-end tests reach (a production bench's
// first start, the customer's declaration), refreshed into docs/screenshots/. A plain `npm test` saves them under
// test-results/ instead, so running the tests never changes the checkout.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const TESTS = ['tests/e2e/first-run.test.ts', 'tests/e2e/declaration.test.ts'];

const run = spawnSync(process.execPath, [resolve('node_modules/vitest/vitest.mjs'), 'run', ...TESTS], {
  stdio: 'inherit',
  env: { ...process.env, RS_SCREENSHOT_DIR: resolve('docs/screenshots') },
});
process.exit(run.status ?? 1);
