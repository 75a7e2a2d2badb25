import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSample, generateDemoData } from '../../fixtures/demo-data/generate.js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { startDemoApp, type RunningDemoApp } from '../../app/demo.js';

const sample = demoSample(generateDemoData({ seed: 42, rmas: 50 }));
let dir: string;
let app: RunningDemoApp;
let printer: TcpPrinterSim;

async function ok<T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-station-'));
  printer = await startTcpPrinterSim({ mode: 'zpl' });
  app = await startDemoApp({
    dataDir: dir,
    env: {},
    demoRmas: 50,
    printer: { transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zpl', timeoutMs: 2000 },
    log: () => undefined,
  });
});
afterAll(async () => {
  await app?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one return through a real station (SQLite file, demo WMS over HTTP, TCP 9100 printer)', () => {
  it('pulls reference data from the demo WMS on start and says the WMS is a demo', async () => {
    const s = app.station;
    expect(s.info.wmsIsDemo).toBe(true);
    const status = await ok<{ online: boolean; wmsIsDemo: boolean }>(s.handle('t', 'session.signIn', { badge: sample.operators.staff.badge, pin: sample.operators.staff.pin }).then(() => s.handle('t', 'sync.status', {})));
    expect(status).toMatchObject({ online: true, wmsIsDemo: true });
  });

  it('scan parcel → RMA lines → scan item → grade → label printed, event delivered to the WMS', async () => {
    const s = app.station;
    const parcel = await ok<{ parcelId: string; rmaNumber: string; lines: unknown[] }>(s.handle('t', 'parcel.open', { code: sample.trackingNumber }));
    expect(parcel.rmaNumber).toBe(sample.rmaNumber);
    expect(parcel.lines).toHaveLength(sample.rma.lines.length);
    const match = await ok<{ line: { lineId: string } }>(s.handle('t', 'parcel.matchItem', { parcelId: parcel.parcelId, code: sample.firstLine.jan }));
    expect(match.line.lineId).toBe(sample.firstLine.lineId);
    const graded = await ok<{ itemId: string; lpn: string; print: { status: string }; routing: { ruleId: string } }>(
      s.handle('t', 'item.grade', { parcelId: parcel.parcelId, lineId: match.line.lineId, grade: 'A' }),
    );
    expect(graded.print.status).toBe('printed');
    const preview = await ok<{ labelSvg: string }>(s.handle('t', 'item.labelPreview', { itemId: graded.itemId }));
    expect(preview.labelSvg).toContain('<svg');
    expect(preview.labelSvg).toContain(graded.lpn);
    const [job] = await printer.waitForJobs(1);
    expect(job!.toString('utf8')).toContain(graded.lpn);

    await app.station.syncNow();
    const wmsEvents = app.demoWms!.db.prepare('SELECT type, payload FROM events ORDER BY seq').all() as { type: string; payload: string }[];
    expect(wmsEvents.map((e) => e.type)).toEqual(['parcel.received', 'item.graded']);
    expect(JSON.parse(wmsEvents[1]!.payload)).toMatchObject({ lpn: graded.lpn, grade: 'A', ruleId: graded.routing.ruleId });
    const status = await ok<{ pending: number }>(s.handle('t', 'sync.status', {}));
    expect(status.pending).toBe(0);
  });

  it('says clearly that an unknown tracking number matches nothing', async () => {
    const r = await app.station.handle('t', 'parcel.open', { code: sample.unknownTrackingNumber });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', messageKey: 'error.noRmaForCode' } });
  });
});
