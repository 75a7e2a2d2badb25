// The bench's device file: RS_DEVICES_FILE, else <dataDir>/devices.json when it exists. It lists
// the scanners, scale and RFID readers and may name the label printer, so one file describes a
// bench's hardware. A bad file stops start-up with one sentence that names the entry.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { BenchDeviceEntry } from '../contract/calls/devices.js';
import { PrinterConfig } from '../contract/index.js';
import { parseBenchDevicesConfig } from '../native/devices/config.js';

const DevicesFile = z
  .object({
    /** Optional: "$schema" or a note for whoever edits the file by hand. */
    $comment: z.string().optional(),
    printer: PrinterConfig.optional(),
    devices: z.array(z.unknown()).max(32).default([]),
  })
  .strict();

export interface BenchDevices {
  /** Where the file is (also where devices.configure saves). */
  file: string;
  /** True when the file exists and was read. */
  loaded: boolean;
  devices: BenchDeviceEntry[];
  printer?: PrinterConfig;
}

export function devicesFilePath(dataDir: string, env: { RS_DEVICES_FILE?: string | undefined }): string {
  return env.RS_DEVICES_FILE ?? join(dataDir, 'devices.json');
}

/** Reads and validates the bench's device file. Throws an Error whose message is one sentence. */
export function readDevicesFile(file: string, required: boolean): BenchDevices {
  if (!existsSync(file)) {
    if (required) throw new Error(`Device file ${file} (RS_DEVICES_FILE) does not exist.`);
    return { file, loaded: false, devices: [] };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Device file ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const shape = DevicesFile.safeParse(json);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new Error(`Device file ${file} is not valid: ${where}${issue?.message ?? 'invalid'}.`);
  }
  const checked = parseBenchDevicesConfig({ devices: shape.data.devices });
  if (!checked.ok) throw new Error(`Device file ${file} is not valid: ${checked.message}.`);
  // Keep the entries as written (defaults are filled in by the station), so a save round-trips them.
  const out: BenchDevices = { file, loaded: true, devices: shape.data.devices as BenchDeviceEntry[] };
  if (shape.data.printer) out.printer = shape.data.printer;
  return out;
}
