// One bench of the chaos runs (`npm run chaos`, `npm run chaos:site`): a real station (launcher, SQLite, sync
// engine) driven through its dispatcher as an operator would: sign in, open the parcel by its tracking number,
// scan the item, grade it, close the parcel. It may be SIGKILLed at any moment and started again; it resumes
// from what the station itself says (an open parcel is continued, a closed one is refused as already received),
// never from a note of its own. It ends once every one of its returns is closed and the station's outbox is empty.
// Upstream from the environment: RS_HUB_URL + RS_HUB_TOKEN (through a site hub) or RS_WMS_URL + RS_WMS_TOKEN.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ApiResponse, ItemMatch, ParcelView } from '../contract/index.js';
import { startDemoApp } from '../app/demo.js';
import { DEMO_OPERATORS, generateDemoData } from '../fixtures/demo-data/generate.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    /** The demo WMS's seed and size: the bench derives the same tracking numbers and SKUs from them. */
    seed: { type: 'string', default: '42' },
    rmas: { type: 'string' },
    products: { type: 'string', default: '200' },
    /** This bench's share: RMAs from..from+count-1 of the demo data. */
    from: { type: 'string', default: '0' },
    count: { type: 'string' },
    /** An operator's time per return, so faults land while work is under way. */
    'pace-ms': { type: 'string', default: '0' },
    /** Once done, keep delivering until this file exists (the chaos run may still kill and restart this bench). */
    'hold-file': { type: 'string' },
    /** The operator who signs in (default: the demo staff operator); a site roster at the hub may name another. */
    badge: { type: 'string' },
    pin: { type: 'string' },
  },
});
if (!values['data-dir'] || !values.rmas || !values.count) throw new Error('--data-dir, --rmas and --count are required');
const from = Number(values.from);
const count = Number(values.count);
const paceMs = Number(values['pace-ms']);
const holdFile = values['hold-file'];
const data = generateDemoData({ seed: Number(values.seed), rmas: Number(values.rmas), products: Number(values.products) });
const mine = data.rmas.slice(from, from + count);
const staff = DEMO_OPERATORS.find((o) => o.role === 'staff');
if (!staff) throw new Error('no demo staff operator');

const app = await startDemoApp({ dataDir: values['data-dir'], printer: { transport: 'none' }, log: () => undefined });
const SESSION = 'chaos-operator';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class Refused extends Error {
  constructor(readonly key: string, message: string) {
    super(message);
  }
}

async function call<T>(name: string, input: unknown): Promise<T> {
  const r: ApiResponse = await app.station.handle(SESSION, name, input);
  if (!r.ok) throw new Refused(r.error.messageKey, `${name}: ${r.error.message}`);
  return r.value as T;
}

await call('session.signIn', { badge: values.badge ?? staff.badge, pin: values.pin ?? staff.pin });
process.stdout.write('started\n');

let done = 0;
for (const rma of mine) {
  let parcel: ParcelView | null = null;
  for (;;) {
    try {
      parcel = await call<ParcelView>('parcel.open', { code: rma.trackingNumber });
      break;
    } catch (err) {
      // Closed before a kill: the station refuses it as already received, which is this return done.
      if (err instanceof Refused && err.key === 'error.returnAlreadyReceived') break;
      // A bench still loading its reference data (snapshot, pull) answers "no data yet": the operator waits.
      if (err instanceof Refused && /noReferenceData|noRmaForCode/.test(err.key)) {
        await sleep(200);
        continue;
      }
      throw err;
    }
  }
  if (parcel) {
    const line = parcel.lines[0];
    if (!line) throw new Error(`${rma.rmaNumber} has no lines`);
    if (line.receivedQty < 1) {
      const match = await call<ItemMatch>('parcel.matchItem', { parcelId: parcel.parcelId, code: line.gtin });
      await call('item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'A', matchToken: match.matchToken });
    }
    await call('parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });
  }
  done++;
  if (done % 5 === 0) process.stdout.write(`progress ${done}\n`);
  // Yield so the sync engine runs alongside the operator, as it does at a real bench.
  await sleep(Math.max(1, paceMs));
}
process.stdout.write(`progress ${done}\n`);

// The operator is done; the bench keeps delivering until its outbox is empty (and it is let go).
for (;;) {
  await app.station.syncNow();
  const status = await call<{ pending: number; deadLetters: number }>('sync.status', {});
  if (status.deadLetters > 0) throw new Error(`${status.deadLetters} event(s) became dead letters`);
  if (status.pending === 0 && (!holdFile || existsSync(holdFile))) break;
  await sleep(100);
}
await app.close();
process.stdout.write('finished\n');
process.exit(0);
