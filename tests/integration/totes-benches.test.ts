// Issue 17: one consolidated tote worked at two benches. Each bench pulls the manifest, receives the bags it
// unpacks and closes its part; both benches' tote events reach the WMS through their outboxes, none refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { createSyncEngine, type SyncEngine } from '../../core/sync/syncEngine.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { TEST_OPERATORS } from '../../core/workflow/harness.test-helper.js';
import { IntakeService } from '../../core/workflow/intake.js';
import { enrolOperatorsIfNone } from '../../core/workflow/operators.js';
import { ToteService } from '../../core/workflow/totes.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { demoTotes } from '../../fixtures/demo-data/manifests.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';

const TOKEN = 'test-token-totes';
const data = generateDemoData({ seed: 42, rmas: 200, now: '2026-11-01T00:00:00.000Z' });
const totes = demoTotes(data);
const staff = { id: 'OP-1001', name: '佐藤 花子', role: 'staff' as const };

interface BenchParts {
  db: Db;
  sync: SyncEngine;
  totes: ToteService;
}

describe('a tote worked at two benches', () => {
  let dir: string;
  let wms: DemoWms;
  const benches: BenchParts[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'totes-benches-'));
    wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: TOKEN, seed: { products: data.products, rmas: data.rmas, manifests: totes.map((t) => t.manifest) } });
    for (const stationId of ['BENCH-01', 'BENCH-02']) {
      const db = openDatabase(join(dir, `${stationId}.sqlite`));
      await enrolOperatorsIfNone(db, TEST_OPERATORS);
      const sync = createSyncEngine({ db, client: createWmsClient({ baseUrl: wms.url, token: TOKEN, timeoutMs: 3000 }), stationId, intervalMs: 60_000, batchSize: 50 });
      const intake = new IntakeService({ db, stationId, onOutboxAppended: () => undefined });
      benches.push({ db, sync, totes: new ToteService({ db, stationId, intake, onOutboxAppended: () => undefined }) });
    }
  });

  afterEach(async () => {
    for (const b of benches.splice(0)) {
      await b.sync.stop();
      b.db.close();
    }
    await wms.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('each bench sends its own tote.opened and tote.closed; the WMS applies all of them in order', async () => {
    const tote = totes.find((t) => t.manifest.bags.length >= 8 && t.strays.length === 0)!;
    const { toteId } = tote.manifest;
    const [one, two] = benches as [BenchParts, BenchParts];
    for (const b of benches) expect((await b.sync.flushNow()).lastError).toBeNull();

    one.totes.open(staff, toteId);
    for (const bag of tote.arrives.slice(0, 4)) one.totes.scanBag(staff, toteId, bag);
    expect(await one.totes.close(staff, toteId, true)).toMatchObject({ receivedCount: 4, missingCount: tote.manifest.bags.length - 4 });
    two.totes.open(staff, toteId);
    for (const bag of tote.arrives.slice(4, 8)) two.totes.scanBag(staff, toteId, bag);
    expect(await two.totes.close(staff, toteId, true)).toMatchObject({ receivedCount: 4 });

    for (const b of benches) expect((await b.sync.flushNow()).pending).toBe(0);
    const events = wms.db.prepare("SELECT station_id AS s, aggregate_id AS a, sequence, type, payload FROM events WHERE aggregate_type = 'tote' ORDER BY seq").all() as {
      s: string;
      a: string;
      sequence: number;
      type: string;
      payload: string;
    }[];
    expect(events.map((e) => [e.s, e.a, e.sequence, e.type])).toEqual([
      ['BENCH-01', `${toteId}@BENCH-01`, 1, 'tote.opened'],
      ['BENCH-01', `${toteId}@BENCH-01`, 2, 'tote.closed'],
      ['BENCH-02', `${toteId}@BENCH-02`, 1, 'tote.opened'],
      ['BENCH-02', `${toteId}@BENCH-02`, 2, 'tote.closed'],
    ]);
    const received = events
      .filter((e) => e.type === 'tote.closed')
      .flatMap((e) => (JSON.parse(e.payload) as { received: { bagCode: string }[] }).received.map((r) => r.bagCode));
    expect(received.sort()).toEqual(tote.arrives.slice(0, 8).sort());
    expect(wms.stats()).toMatchObject({ duplicated: 0, outOfOrder: 0 });
    expect(wms.stats().receipts.rejected ?? 0).toBe(0);
  });
});
