// A station on a copy of a cached database, wired like production (startStation) except that the
// label "printer" only renders the ZPL bytes, and nothing is logged (RS_BENCH_LOG=1: the station's log to stderr).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiResponse, PrintOutcome } from '../../contract/index.js';
import { startStation, type Station } from '../../app/station.js';
import type { LabelOutput } from '../../core/ports.js';
import { DEMO_OPERATORS } from '../../fixtures/demo-data/generate.js';
import { renderSvg } from '../../native/labels/svg.js';
import { renderZpl } from '../../native/labels/zpl.js';
import { syncFile } from '../../shared-node/syncFile.js';

export interface BenchStation {
  station: Station;
  dataDir: string;
  /** Bytes of the last label rendered. */
  labelBytes(): number;
  /** Calls and throws on a refusal, returning the value. */
  ok<T>(name: string, input: unknown): Promise<T>;
  close(): Promise<void>;
}

export const BENCH_SESSION = 'bench-staff';

/** Renders the printer's bytes for every label, as a real print would, and drops them. */
function zplBytesOnly(onBytes: (n: number) => void): LabelOutput {
  return {
    preview: (label) => renderSvg(label),
    print: async (label): Promise<PrintOutcome> => {
      onBytes(Buffer.byteLength(renderZpl(label), 'utf8'));
      return { status: 'printed', printer: 'bench (ZPL bytes rendered, not sent)' };
    },
  };
}

/** `dbFile` is copied (the bench writes parcels and items); undefined starts on an empty database. */
export async function startBenchStation(dbFile: string | undefined, options: { exportsRoots?: string[]; syncIntervalMs?: number } = {}): Promise<BenchStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rs-bench-station-'));
  if (dbFile) {
    copyFileSync(dbFile, join(dataDir, 'station.sqlite'));
    // A bench's database was on its disk long before: the kernel writing out the copy must not land in a measurement.
    syncFile(join(dataDir, 'station.sqlite'));
  }
  let bytes = 0;
  const station = await startStation(
    // No WMS: the station works offline, as the lookups must. A long interval keeps sync quiet unless told (the
    // sync timer is also what checkpoints the station's WAL: core/station.ts).
    { stationId: 'BENCH-01', dataDir, printer: { transport: 'none' }, sync: { intervalMs: options.syncIntervalMs ?? 3_600_000, batchSize: 200 }, exportsRoots: options.exportsRoots ?? [] },
    { operators: DEMO_OPERATORS, labels: zplBytesOnly((n) => (bytes = n)), log: process.env.RS_BENCH_LOG ? (m, e) => console.error(m, e) : () => {} },
  );
  const staff = DEMO_OPERATORS.find((o) => o.role === 'staff');
  if (!staff) throw new Error('no staff operator in the demo data');
  const ok = async <T>(name: string, input: unknown): Promise<T> => {
    const r: ApiResponse = await station.handle(BENCH_SESSION, name, input);
    if (!r.ok) throw new Error(`${name} refused: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  await ok('session.signIn', { badge: staff.badge, pin: staff.pin });
  return {
    station,
    dataDir,
    labelBytes: () => bytes,
    ok,
    async close() {
      await station.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
