/** The import table of ../shared/ARCHITECTURE.md, enforced in `npm test`. */
const forbidden = [
  { name: 'contract-imports-only-zod', from: { path: '^core/contract' }, to: { pathNot: ['^core/contract', 'zod'], dependencyTypesNot: ['type-only'] } },
  { name: 'domain-is-pure', from: { path: '^core/domain' }, to: { path: ['^(db|native|electron|renderer|fixtures|launcher|preview)/', '^core/(workflow|sync|station)'] } },
  { name: 'domain-does-no-io', from: { path: '^core/domain' }, to: { dependencyTypes: ['core'], path: '^(fs|net|http|https|child_process|node:fs|node:net|node:http|node:https|node:child_process)$' } },
  { name: 'workflow-layer', from: { path: '^core/workflow' }, to: { path: ['^(electron|renderer|fixtures|launcher|preview)/', '^core/(sync|station)'] } },
  { name: 'sync-layer', from: { path: '^core/sync' }, to: { path: ['^(electron|renderer|fixtures|launcher|preview|native)/', '^core/(workflow|station|domain)'] } },
  { name: 'core-not-outward', from: { path: '^core/' }, to: { path: '^(electron|renderer|fixtures|launcher|preview)/' } },
  { name: 'db-imports-contract-only', from: { path: '^db/' }, to: { path: ['^(core/(domain|workflow|sync|station)|native|electron|renderer|fixtures|launcher|preview)'] } },
  { name: 'native-imports-contract-only', from: { path: '^native/' }, to: { path: ['^(core/(domain|workflow|sync|station)|db|electron|renderer|fixtures|launcher|preview)'] } },
  { name: 'only-electron-imports-electron', from: { pathNot: '^(electron|scripts)/' }, to: { path: '^electron$|node_modules/electron/' } },
  { name: 'electron-layer', from: { path: '^electron/' }, to: { path: '^(renderer|fixtures|preview|db|native)/' } },
  { name: 'renderer-only-contract', from: { path: '^renderer/' }, to: { path: '^(core/(domain|workflow|sync|station)|db|native|electron|fixtures|launcher|preview)' } },
  { name: 'renderer-no-node-builtins', from: { path: '^renderer/' }, to: { dependencyTypes: ['core'] } },
  // The site hub is a separate deployable: the shared contract and domain only, never bench code.
  { name: 'hub-imports-contract-and-domain-only', from: { path: '^hub/' }, to: { path: ['^(core/(workflow|sync|station|logging)|core/station\\.ts|db|native|electron|renderer|fixtures|launcher|preview|bench|scripts)'] } },
  { name: 'nothing-imports-the-hub', from: { pathNot: '^(hub|tests)/' }, to: { path: '^hub/' } },
  { name: 'not-to-unresolvable', from: {}, to: { couldNotResolve: true } },
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
].map((r) => ({ severity: 'error', ...r }));

// Tests may reach for simulators and fixtures; the layer rules are about shipped code.
for (const rule of forbidden) {
  if (rule.name.startsWith('no-') || rule.name.startsWith('not-')) continue;
  rule.from = { ...rule.from, pathNot: [].concat(rule.from.pathNot ?? [], '\\.test\\.tsx?$') };
}
// Hub tests may use the demo WMS as the far side, and no other bench code.
forbidden.push({
  name: 'hub-tests-use-only-the-demo-wms',
  severity: 'error',
  from: { path: '^hub/.*\\.test\\.ts$' },
  to: { path: ['^(core/(workflow|sync|station|logging)|db|native|electron|renderer|launcher|preview|bench|scripts)', '^fixtures/(?!demo-wms/|demo-data/)'] },
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|dist-electron|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
