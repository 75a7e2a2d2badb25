// npm run chaos -- --items 10000 --kills 100 --faults 0.3
import { parseArgs } from 'node:util';
import { runChaos } from '../fixtures/demo-wms/chaos.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '100' },
    faults: { type: 'string', default: '0.3' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const r = await runChaos({
  items: Number(values.items),
  kills: Number(values.kills),
  faults: Number(values.faults),
  seed: Number(values.seed),
  keep: values.keep,
  log: values.verbose ? (l) => console.error(l) : undefined,
});
console.error(`seed=${values.seed} kills=${r.kills} integrity_check=${r.integrity}${values.keep ? ` dir=${r.dir}` : ''}`);
console.log(`delivered=${r.delivered} lost=${r.lost} duplicated=${r.duplicated} out_of_order=${r.outOfOrder}`);
process.exit(r.lost === 0 && r.duplicated === 0 && r.outOfOrder === 0 && r.integrity === 'ok' ? 0 : 1);
