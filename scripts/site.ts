// `npm run site -- --benches 3`: a whole site on one machine for a demo (hub/site.ts starts it). The hub
// serves the hub UI, and the demo operators are the site's roster, so the same badges sign in at every
// bench and, for leads and supervisors, at the hub UI.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_OPERATORS } from '../fixtures/demo-data/generate.js';
import { HUB_PATHS } from '../hub/protocol.js';
import { startSite } from '../hub/site.js';
import { ensureRenderer } from './ensure-renderer.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      benches: { type: 'string', default: '3' },
      'data-dir': { type: 'string', default: join(ROOT, 'var', 'site') },
      'site-id': { type: 'string', default: 'SITE-01' },
      'hub-port': { type: 'string', default: '8090' },
      'wms-port': { type: 'string', default: '8088' },
      'bench-port': { type: 'string', default: '5181' },
      rmas: { type: 'string', default: '1000' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const benches = Number(values.benches);
  if (!Number.isInteger(benches) || benches < 1 || benches > 50) throw new Error('--benches takes a number from 1 to 50');
  const say = (line: string): void => console.log(line);
  console.log(`Starting a site with ${benches} bench(es) in ${values['data-dir']}...`);
  // The hub UI and the benches serve the same screens: built once, before any of them starts.
  if (!(await ensureRenderer({ root: ROOT, log: say }))) throw new Error('the app screens could not be built');
  const site = await startSite({
    benches,
    dataDir: values['data-dir'],
    siteId: values['site-id'],
    hubPort: Number(values['hub-port']),
    wmsPort: Number(values['wms-port']),
    benchPort: Number(values['bench-port']),
    rmas: Number(values.rmas),
    hubUiDir: join(ROOT, 'dist', 'renderer'),
    operators: DEMO_OPERATORS,
    // Only the renderer build's progress and failures are shown unless --verbose.
    log: values.verbose ? say : (line) => (/Building|could not|error/i.test(line) ? say(line) : undefined),
  });
  const badges = (role: string): string => DEMO_OPERATORS.filter((o) => o.role === role).map((o) => `${o.badge} / PIN ${o.pin}`).join(', ');
  console.log(`\nSite ${site.hub.siteId} is running:`);
  console.log(`  demo WMS   ${site.wmsUrl}`);
  console.log(`  site hub   ${site.hub.url}   (hub UI for leads and supervisors; metrics ${site.hub.url}${HUB_PATHS.metrics}; admin token ${site.hub.adminToken})`);
  for (const b of site.benches) console.log(`  ${b.stationId.padEnd(10)} ${b.url}`);
  console.log(`\nSign in with a badge and PIN: staff ${badges('staff')}; lead ${badges('lead')}; supervisor ${badges('supervisor')}.`);
  console.log('Ctrl-C stops everything.');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the benches, the hub and the demo WMS...');
    void site.close().then(
      () => {
        console.log('Site stopped.');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`The site could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
