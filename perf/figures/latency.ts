// Scan → match result for each identifier kind, and one matched item through the whole core path,
// measured in-process through station.handle (contract validation, session check, the services, SQLite).
import type { GradedItem, ItemMatch, ParcelView, Product } from '../../contract/index.js';
import { startBenchStation } from '../lib/benchStation.js';
import { measure, measureWithSetup, type Latency, type MeasureOptions } from '../lib/stats.js';
import { benchRma, gs1Code, randomIndexes, sgtin96 } from './scanCodes.js';

export const SCAN_KINDS = ['tracking', 'rmaNumber', 'orderNumber', 'lpn', 'serial', 'gtin', 'gs1', 'epc'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

export interface LatencyFigures {
  scan: Record<ScanKind, Latency>;
  corePath: Latency;
  labelBytes: number;
}

export interface LatencyOptions extends MeasureOptions {
  dbFile: string;
  rmaCount: number;
  products: readonly Product[];
  log: (m: string) => void;
  /** Called as each figure is done (the standalone script prints the load average beside it). */
  onFigure?: (name: string, l: Latency) => void;
}

export async function latencyFigures(o: LatencyOptions): Promise<LatencyFigures> {
  const bySku = new Map(o.products.map((p) => [p.sku, p]));
  const perFigure = o.warmup + o.iterations * o.runs;
  // Every parcel-level scan opens a return nobody opened yet, as at a real dock.
  // Serial scans skip RMAs without an electronics line (about 3 in 4), hence the extra share.
  const pool = randomIndexes(o.rmaCount, Math.min(o.rmaCount, perFigure * 12 + 300), 0xbe4c4);
  let next = 0;
  const freshRma = (): ReturnType<typeof benchRma> => {
    const index = pool[next++];
    if (index === undefined) throw new Error('ran out of RMA indexes');
    return benchRma(index, o.products);
  };
  const productOf = (sku: string): Product => {
    const p = bySku.get(sku);
    if (!p) throw new Error(`product ${sku} is not in the bench catalogue`);
    return p;
  };

  const bs = await startBenchStation(o.dbFile);
  try {
    const lpns: string[] = [];
    let labelBytes = 0;

    o.log('  core path: parcel opened (untimed), then item scanned (GS1), graded, routed, label rendered, outbox committed (timed)');
    const corePath = await measureWithSetup(
      async (i) => {
        const rma = freshRma();
        const parcel = await bs.ok<ParcelView>('parcel.open', { code: rma.trackingNumber });
        const line = rma.lines[0];
        if (!line) throw new Error(`${rma.rmaNumber} has no lines`);
        return { parcelId: parcel.parcelId, code: gs1Code(productOf(line.sku).gtin, `BSN${String(i).padStart(8, '0')}`) };
      },
      async (s) => {
        const match = await bs.ok<ItemMatch>('parcel.matchItem', { parcelId: s.parcelId, code: s.code });
        const graded = await bs.ok<GradedItem>('item.grade', {
          parcelId: s.parcelId,
          lineId: match.line.lineId,
          answers: { packaging: 'factory_sealed' },
          matchToken: match.matchToken,
        });
        lpns.push(graded.lpn);
      },
      o,
    );
    o.onFigure?.('corePath', corePath);
    labelBytes = bs.labelBytes();
    if (labelBytes === 0) throw new Error('no label bytes were rendered');

    const scan = {} as Record<ScanKind, Latency>;
    const measureScan = async (kind: ScanKind, op: (i: number) => unknown): Promise<Latency> => {
      const l = await measure(op, o);
      o.onFigure?.(kind, l);
      return l;
    };
    const openBy = (code: (rma: ReturnType<typeof benchRma>) => string) => async () => {
      const rma = freshRma();
      const v = await bs.ok<ParcelView>('parcel.open', { code: code(rma) });
      if (v.rmaNumber !== rma.rmaNumber) throw new Error(`scan matched ${v.rmaNumber}, expected ${rma.rmaNumber}`);
    };
    o.log('  parcel step: tracking, RMA number, order number, sold serial (each opens a new parcel), LPN of a graded item');
    scan.tracking = await measureScan('tracking', openBy((r) => r.trackingNumber));
    scan.rmaNumber = await measureScan('rmaNumber', openBy((r) => r.rmaNumber));
    scan.orderNumber = await measureScan('orderNumber', openBy((r) => r.orderNumber));
    scan.lpn = await measureScan('lpn', (i) => bs.ok<ParcelView>('parcel.open', { code: lpns[i % lpns.length] }));
    // A bare serial number: the RMA line that sold it (electronics lines carry one).
    scan.serial = await measureScan('serial', async () => {
      let rma = freshRma();
      while (!rma.lines.some((l) => l.serialNumber)) rma = freshRma();
      const serial = rma.lines.find((l) => l.serialNumber)?.serialNumber ?? '';
      const v = await bs.ok<ParcelView>('parcel.open', { code: serial });
      if (v.rmaNumber !== rma.rmaNumber) throw new Error(`serial ${serial} matched ${v.rmaNumber}, expected ${rma.rmaNumber}`);
    });

    o.log('  item step in an opened parcel: JAN/GTIN, GS1 element string, EPC (SGTIN-96)');
    const opened: { parcelId: string; gtin: string }[] = [];
    for (let k = 0; k < 200; k++) {
      const rma = freshRma();
      const parcel = await bs.ok<ParcelView>('parcel.open', { code: rma.rmaNumber });
      const line = rma.lines[0];
      if (line) opened.push({ parcelId: parcel.parcelId, gtin: productOf(line.sku).gtin });
    }
    const matchWith = (code: (p: { gtin: string }, i: number) => string) => async (i: number) => {
      const p = opened[i % opened.length];
      if (!p) throw new Error('no opened parcels');
      await bs.ok<ItemMatch>('parcel.matchItem', { parcelId: p.parcelId, code: code(p, i) });
    };
    // The JAN-13 printed on the box is the GTIN-14 without its leading 0.
    scan.gtin = await measureScan('gtin', matchWith((p) => p.gtin.slice(1)));
    scan.gs1 = await measureScan('gs1', matchWith((p, i) => gs1Code(p.gtin, `GS${i}`)));
    scan.epc = await measureScan('epc', matchWith((p, i) => sgtin96(p.gtin, i + 1)));
    return { scan, corePath, labelBytes };
  } finally {
    await bs.close();
  }
}
