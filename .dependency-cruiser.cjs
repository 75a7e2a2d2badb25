/**
 * The import table of ../shared/ARCHITECTURE.md, enforced in `npm test` (`npm run lint:deps`), as allow-lists:
 * each row says which project folders a folder may import; anything else is an error naming the row. Type-only
 * imports count like any other (no escape). Tests (`*.test.ts`) and test helpers (`*.test-helper.ts`) are not
 * shipped and may import anything; tests/layerRules.test.ts writes a wrong import into each folder and checks
 * that the row's rule names it.
 *
 * contract/ and domain/ are the ground floor: the bench, the hub and the renderer all build on them.
 * shared-node/ sits on it for what both deployables need and only Node can do (the PIN hash, exceljs's stream).
 */
const PROJECT = '^(contract|domain|shared-node|core|hub|db|native|electron|renderer|fixtures|app|preview|perf|tests|scripts|bin)/';

/** name, the folder (or files) it governs, the project folders it may import, and whether npm / Node built-ins are allowed. */
const ROWS = [
  { name: 'contract', from: '^contract/', allow: ['^contract/'], npm: ['zod'], node: false },
  { name: 'domain', from: '^domain/', allow: ['^contract/', '^domain/'], npm: true, node: false },
  // Used by the bench and the hub alike, so it may not reach either; the renderer has no Node, so not domain/.
  { name: 'shared-node', from: '^shared-node/', allow: ['^contract/', '^domain/', '^shared-node/'], npm: true, node: true },
  { name: 'core-logging', from: '^core/logging/', allow: ['^core/logging/'], npm: true, node: true },
  { name: 'core-sync', from: '^core/sync/', allow: ['^contract/', '^shared-node/', '^core/sync/', '^core/workerEntry\\.ts$', '^core/longLivedWorker\\.ts$', '^core/threadPriority\\.ts$', '^core/pacedWriteStream\\.ts$', '^db/'], npm: true, node: true },
  // No native/: the workflow reaches printers and devices through core/ports.ts, which app/ fills with drivers.
  { name: 'core-workflow', from: '^core/workflow/', allow: ['^contract/', '^domain/', '^shared-node/', '^core/workflow/', '^core/ports\\.ts$', '^core/workerEntry\\.ts$', '^core/longLivedWorker\\.ts$', '^core/threadPriority\\.ts$', '^core/pacedWriteStream\\.ts$', '^db/'], npm: true, node: true },
  // core/station.ts, core/ports.ts and any other file at the top of core/: the station's assembly and its ports.
  { name: 'core-root', from: '^core/[^/]+$', allow: ['^contract/', '^domain/', '^core/', '^db/'], npm: true, node: true },
  { name: 'db', from: '^db/', allow: ['^db/', '^contract/', '^shared-node/'], npm: true, node: true },
  { name: 'native', from: '^native/', allow: ['^native/', '^contract/'], npm: true, node: true },
  // app/demo.ts (and app/demo/) is the only place that may use fixtures/: demo mode's parts.
  { name: 'app', from: '^app/', fromNot: '^app/demo(\\.ts$|/)', allow: ['^app/', '^contract/', '^core/station\\.ts$', '^core/ports\\.ts$', '^core/workflow/', '^db/', '^native/'], npm: true, node: true },
  { name: 'app-demo', from: '^app/demo(\\.ts$|/)', allow: ['^app/', '^contract/', '^core/workflow/', '^fixtures/'], npm: true, node: true },
  { name: 'electron', from: '^electron/', allow: ['^electron/', '^app/', '^contract/'], npm: true, node: true },
  { name: 'preview', from: '^preview/', allow: ['^preview/', '^app/', '^contract/'], npm: true, node: true },
  // The site hub is a separate deployable: the shared contract, domain and shared-node only, never bench code.
  { name: 'hub', from: '^hub/', allow: ['^hub/', '^contract/', '^domain/', '^shared-node/'], npm: true, node: true },
  { name: 'renderer', from: '^renderer/', allow: ['^renderer/', '^contract/', '^domain/'], npm: true, node: false },
];

const NOT_SHIPPED = '\\.test(-helper)?\\.tsx?$';

const forbidden = [];
for (const row of ROWS) {
  const from = { path: row.from, pathNot: [NOT_SHIPPED, ...(row.fromNot ? [row.fromNot] : [])] };
  forbidden.push({ name: row.name, comment: `${row.from} may import only ${row.allow.join(', ')}`, from, to: { path: PROJECT, pathNot: row.allow } });
  if (Array.isArray(row.npm)) {
    forbidden.push({ name: `${row.name}-npm`, comment: `${row.from} may use only ${row.npm.join(', ')}`, from, to: { path: '(^|/)node_modules/', pathNot: row.npm.map((p) => `(^|/)node_modules/${p}/`) } });
  }
  if (!row.node) forbidden.push({ name: `${row.name}-no-node-builtins`, comment: `${row.from} does no I/O`, from, to: { dependencyTypes: ['core'] } });
}
forbidden.push(
  // The packaged main bundle must never carry demo code or demo PINs (electron/bundle.test.ts checks the bundle too).
  { name: 'electron-never-reaches-fixtures', from: { path: '^electron/', pathNot: NOT_SHIPPED }, to: { path: '^fixtures/', reachable: true } },
  // Test helpers sit beside the code they serve but are never part of it.
  { name: 'shipped-code-imports-no-test-helper', from: { path: '^(core|db|native|electron|app|preview|renderer)/', pathNot: NOT_SHIPPED }, to: { path: NOT_SHIPPED } },
  { name: 'only-electron-imports-electron', from: { pathNot: ['^(electron|scripts)/', NOT_SHIPPED] }, to: { path: '^electron$|node_modules/electron/' } },
  // Hub tests may use the demo WMS, demo data and the shared test builders (tests/), and no other bench code.
  {
    name: 'hub-tests-use-only-the-demo-wms',
    from: { path: '^hub/.*\\.test\\.ts$' },
    to: { path: PROJECT, pathNot: ['^hub/', '^contract/', '^domain/', '^shared-node/', '^fixtures/demo-(wms|data)/', '^tests/'] },
  },
  // The bench never carries the hub (its dependencies alone are ~60 MB of PostgreSQL); tests may start one.
  // scripts/site.ts (`npm run site`) is the demo site's launcher, a dev tool that is never packaged: it starts the hub
  // beside the benches, with the renderer build and the demo operators that hub/ itself may not import.
  { name: 'nothing-imports-the-hub', from: { pathNot: '^(hub|tests)/|^scripts/site\\.ts$' }, to: { path: '^hub/' } },
  { name: 'not-to-unresolvable', from: {}, to: { couldNotResolve: true } },
  { name: 'no-circular', from: {}, to: { circular: true } },
);

module.exports = {
  forbidden: forbidden.map((r) => ({ severity: 'error', ...r })),
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stays in the graph (not followed), so the npm rows above can see which packages a folder uses.
    exclude: { path: '(^|/)(dist|dist-electron|dist-demo)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
