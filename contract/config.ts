import { z } from 'zod';
import { BenchDeviceEntry } from './calls/devices.js';
import { PrinterConfig } from './printerConfig.js';

// The printer's schema has its own file: the device calls take it as input, and this file imports theirs.
export { PrinterConfig } from './printerConfig.js';

export const StationConfig = z.object({
  stationId: z.string().min(1).default('BENCH-01'),
  dataDir: z.string().min(1),
  /** Extra folders (besides the user's home) under which a supervisor may choose the export folder. */
  exportsRoots: z.array(z.string().min(1)).max(8).default([]),
  /**
   * Where exports go until a supervisor chooses a folder (created at the first export), so "Export" works on
   * a new bench without a path typed first. Absent: nothing is exported before a folder is chosen.
   */
  defaultExportFolder: z.string().min(1).optional(),
  /**
   * Where the bench delivers events and pulls reference data: the WMS, or the site hub, which serves the
   * same contract (the token is then the bench's hub credential). Absent: start the demo WMS on loopback.
   */
  wms: z
    .object({
      url: z.string().url(),
      token: z.string().min(1),
      /** The url is a site hub (it serves the reference snapshot a new bench bootstraps from). */
      hub: z.boolean().default(false),
    })
    .optional(),
  printer: PrinterConfig.default({ transport: 'none' }),
  sync: z
    .object({ intervalMs: z.number().int().positive().default(2000), batchSize: z.number().int().min(1).max(1000).default(200) })
    .default({ intervalMs: 2000, batchSize: 200 }),
  demoData: z.boolean().default(true),
  /** The bench's scanners, scale and RFID readers (see docs/devices.md); each entry is checked in full when the station starts. */
  devices: z.array(BenchDeviceEntry).max(32).default([]),
  /** Sign-in rules: an idle bench signs out by itself; wrong PINs lock a badge for a while. */
  session: z
    .object({
      idleMinutes: z.number().int().min(1).max(24 * 60).default(30),
      lockAfterFailures: z.number().int().min(1).max(20).default(5),
      lockMinutes: z.number().int().min(1).max(24 * 60).default(5),
    })
    .default({ idleMinutes: 30, lockAfterFailures: 5, lockMinutes: 5 }),
  /**
   * Issue 15: present when `wms` is the site hub. The bench then follows the site's roster (polled every
   * `rosterIntervalMs`, so a disable reaches it within 10 s), checks PINs against the site-wide lock-out while
   * the hub answers, and pulls the hub's review decisions about its items.
   */
  site: z.object({ rosterIntervalMs: z.number().int().min(200).max(10_000).default(3000) }).optional(),
});
export type StationConfig = z.infer<typeof StationConfig>;
export type StationConfigInput = z.input<typeof StationConfig>;
