// Outbox drain: events queued while the WMS was unreachable, then delivered to the demo WMS on loopback
// by the station's own delivery code; beside it, the same payloads posted as raw batched HTTP requests
// (fetch + JSON, no outbox) to the same server in the same run.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StationConfig, WMS_PATHS, type EventBatch, type WmsEvent } from '../../contract/index.js';
import { deliverOutbox } from '../../core/sync/outboxDelivery.js';
import { createWmsClient } from '../../core/sync/wmsClient.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { appendEvent, outboxCounts } from '../../db/repositories/outbox.js';
import { startDemoWms } from '../../fixtures/demo-wms/server.js';

export interface DrainFigures {
  events: number;
  batchSize: number;
  stationSeconds: number;
  stationEventsPerSec: number;
  rawSeconds: number;
  rawEventsPerSec: number;
  /** station rate / raw rate. */
  ratio: number;
  queueSeconds: number;
}

/** Half parcel.received, half item.graded: what a shift at the bench queues. */
export function queueOffline(db: Db, events: number): void {
  const at = '2026-11-20T01:00:00.000Z';
  db.transaction(() => {
    for (let k = 0; k < events / 2; k++) {
      const parcelId = randomUUID();
      const itemId = randomUUID();
      const rmaNumber = `RMA-${String(k + 1).padStart(8, '0')}`;
      appendEvent(db, 'parcel', parcelId, {
        type: 'parcel.received',
        payload: { parcelId, rmaNumber, scannedCode: `4${String(k).padStart(11, '0')}`, operatorId: 'OP-1001', stationId: 'BENCH-01', receivedAt: at },
      }, at);
      appendEvent(db, 'item', itemId, {
        type: 'item.graded',
        payload: {
          itemId, lpn: `LPN-BENCH01-${String(k + 1).padStart(8, '0')}`, parcelId, rmaNumber, lineId: `${rmaNumber}-1`, sku: 'APP-000123',
          kind: 'expected', gtin: '04512345001234', condition: 'new', packaging: 'factory_sealed', flags: [], heldForReview: false,
          grade: 'N', disposition: 'restock', destination: 'A-01-01', ruleId: 'sealed-restock', ruleSetVersion: 1,
          operatorId: 'OP-1001', stationId: 'BENCH-01', gradedAt: at,
        },
      }, at);
    }
  })();
}

export async function outboxDrainFigures(o: { events: number; log: (m: string) => void }): Promise<DrainFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-drain-'));
  const batchSize = StationConfig.parse({ dataDir: dir }).sync.batchSize;
  const db = openDatabase(join(dir, 'station.sqlite'));
  const wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'bench-token' });
  try {
    let t0 = performance.now();
    queueOffline(db, o.events);
    const queueSeconds = (performance.now() - t0) / 1000;
    o.log(`  queued ${o.events.toLocaleString('en')} events offline in ${queueSeconds.toFixed(1)} s; batch size ${batchSize} (the station's default)`);

    // The same payloads as wire events, under fresh keys and aggregates so the WMS applies them rather
    // than answering "duplicate" (which would flatter the raw posts).
    const rows = db.prepare('SELECT aggregate_type AS t, sequence AS s, type, payload, occurred_at AS at FROM outbox ORDER BY id').all() as {
      t: string; s: number; type: string; payload: string; at: string;
    }[];
    const rawBatches: EventBatch[] = [];
    for (let k = 0; k < rows.length; k += batchSize) {
      const events = rows.slice(k, k + batchSize).map(
        (r) => ({ idempotencyKey: randomUUID(), aggregateType: r.t, aggregateId: randomUUID(), sequence: r.s, occurredAt: r.at, type: r.type, payload: JSON.parse(r.payload) as unknown }) as WmsEvent,
      );
      rawBatches.push({ stationId: 'BENCH-RAW', events });
    }
    // Raw first, so the station's drain meets the bigger WMS database (the conservative order).
    t0 = performance.now();
    for (const batch of rawBatches) {
      const res = await fetch(wms.url + WMS_PATHS.events, {
        method: 'POST',
        headers: { authorization: `Bearer ${wms.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(batch),
      });
      if (!res.ok) throw new Error(`raw post answered HTTP ${res.status}`);
      await res.json();
    }
    const rawSeconds = (performance.now() - t0) / 1000;

    const client = createWmsClient({ baseUrl: wms.url, token: wms.token });
    t0 = performance.now();
    const report = await deliverOutbox(db, client, { stationId: 'BENCH-01', batchSize });
    const stationSeconds = (performance.now() - t0) / 1000;
    const left = outboxCounts(db);
    if (report.delivered !== o.events || left.pending !== 0) {
      throw new Error(`drain delivered ${report.delivered} of ${o.events}; ${left.pending} still pending, ${report.dead} dead`);
    }
    const stats = wms.stats();
    if (stats.duplicated !== 0 || stats.outOfOrder !== 0) throw new Error(`the WMS saw duplicates or disorder: ${JSON.stringify(stats)}`);
    const stationEventsPerSec = o.events / stationSeconds;
    const rawEventsPerSec = o.events / rawSeconds;
    return { events: o.events, batchSize, stationSeconds, stationEventsPerSec, rawSeconds, rawEventsPerSec, ratio: stationEventsPerSec / rawEventsPerSec, queueSeconds };
  } finally {
    await wms.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
