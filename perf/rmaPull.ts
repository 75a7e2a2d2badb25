// `npx tsx perf/rmaPull.ts [--rmas 1000000] [--products 20000] [--no-before] [--sliced]`: the RMA pull figure
// alone (perf/figures/rmaPull.ts), without the rest of `npm run bench`, with the load average beside each figure.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rmaPullFigures } from './figures/rmaPull.js';
import { referenceDbs } from './lib/referenceDb.js';

const { values } = parseArgs({
  options: {
    rmas: { type: 'string', default: '1000000' },
    products: { type: 'string', default: '20000' },
    'no-before': { type: 'boolean', default: false },
    sliced: { type: 'boolean', default: false },
  },
});
const log = (m: string): void => console.log(m);
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').trim();
const size = { rmas: Number(values.rmas), products: Number(values.products) };
const dbs = referenceDbs(size, log);
log(`RMA pull into an empty station: ${size.rmas.toLocaleString('en')} RMAs, ${size.products.toLocaleString('en')} products; ${new Date().toISOString()}; /proc/loadavg ${loadavg()}`);
const f = await rmaPullFigures({ wmsDbFile: dbs.wms.file, expectRmas: size.rmas, before: !values['no-before'], sliced: values.sliced, log });
log(`RMA pull: ${f.rmas.toLocaleString('en')} RMAs, ${f.lines.toLocaleString('en')} lines in ${f.seconds.toFixed(1)} s (${Math.round(f.rmasPerSec).toLocaleString('en')} RMAs/s); /proc/loadavg ${loadavg()}`);
