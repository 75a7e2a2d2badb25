// A small `npm run chaos:site`: two benches graded through their dispatchers deliver through the hub to a
// faulty demo WMS while a bench and the hub are SIGKILLed, PostgreSQL restarts under the hub and the WMS goes
// down once; counted in the demo WMS's own database, every return arrives once and in order.
import { describe, expect, it } from 'vitest';
import { runChaosSite } from '../../hub/chaosSite.js';

describe('three-tier chaos (small)', () => {
  it('loses, doubles and reorders nothing across bench and hub kills, a PostgreSQL restart and a WMS outage', async () => {
    const items = 16;
    const r = await runChaosSite({ benches: 2, items, kills: 2, faults: 0.2, wmsWindows: 1, paceMs: 30, seed: 11 });
    expect(r).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, itemsAtWms: items, postgresRestarts: 1, wmsWindows: 1 });
    expect(r.benchKills).toBeGreaterThanOrEqual(1);
    expect(r.hubKills).toBeGreaterThanOrEqual(1);
    // parcel.received, item.graded and parcel.closed for each return.
    expect(r.delivered).toBe(items * 3);
  }, 240_000);
});
