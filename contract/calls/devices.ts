import { z } from 'zod';
import { DeviceReasonParams, DeviceStatus, Symbology, WeightReading } from '../devices.js';
import { PrintOutcome } from '../entities.js';
import { PrinterConfig } from '../printerConfig.js';
import { PrinterMessageKeyText, PrinterMessageParams } from '../printerMessages.js';
import { ANY_OPERATOR, call, Empty, LEADS } from './define.js';

// The Devices screen: what is plugged in, what it last did, and a way to test each device.

const DeviceIdRef = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'device id: lowercase letters, digits and "-"');

/** What the label printer last said about itself (ZPL ~HS / SATO ENQ). */
export const PrinterHealth = z.object({
  /** ready: can print; fault: cannot (message says why); unknown: a one-way link cannot report status. */
  state: z.enum(['ready', 'fault', 'unknown']),
  paperOut: z.boolean(),
  headOpen: z.boolean(),
  paused: z.boolean(),
  ribbonOut: z.boolean(),
  /** English words, e.g. "Out of labels", "Print head is open", for logs and support. Null when ready. */
  message: z.string().nullable(),
  /** The same as a key (contract/printerMessages.ts) the screen says in the operator's language; null when ready. */
  messageKey: PrinterMessageKeyText.nullable(),
  messageParams: PrinterMessageParams,
  /** ISO time of the check. */
  checkedAt: z.string(),
});
export type PrinterHealth = z.infer<typeof PrinterHealth>;

export const PrintQueueCounts = z.object({
  /** Waiting to be sent (retried automatically). */
  pending: z.number().int().nonnegative(),
  /** May or may not have printed: an operator decides whether to reprint. */
  uncertain: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  lastErrorKey: PrinterMessageKeyText.nullable(),
  lastErrorParams: PrinterMessageParams.nullable(),
  /** ISO time of the next automatic retry, when one is scheduled. */
  nextAttemptAt: z.string().nullable(),
});
export type PrintQueueCounts = z.infer<typeof PrintQueueCounts>;

export const PrinterView = z.object({
  /** e.g. "tcp://10.0.0.5:9100"; the same printer is listed in `devices` with deviceId "printer". */
  name: z.string(),
  /** What the floor calls it ("ラベルプリンター 1番"), when the lead gave it a name. */
  floorName: z.string().optional(),
  language: z.enum(['zpl', 'sbpl']).nullable(),
  /** Null before the first check. */
  health: PrinterHealth.nullable(),
  queue: PrintQueueCounts,
});
export type PrinterView = z.infer<typeof PrinterView>;

export const DevicesOverview = z.object({
  /** Every configured device including the printer (kind 'printer', deviceId "printer"). */
  devices: z.array(DeviceStatus),
  /** Null when the bench has no printer configured. */
  printer: PrinterView.nullable(),
});
export type DevicesOverview = z.infer<typeof DevicesOverview>;

export const DetectedSerialPort = z.object({
  path: z.string(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
  /** Stable /dev/serial/by-id/… alias: prefer it in the bench config. */
  byId: z.string().optional(),
  /** The configured device already using this port, if any. */
  usedBy: z.string().optional(),
});
export const DetectedHidPos = z.object({
  path: z.string(),
  vendorId: z.number().int(),
  productId: z.number().int(),
  product: z.string().optional(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
});
/** Why detection saw less than everything: the English sentence, and the same as a devices.warning.* key for the screen. */
export const DetectWarning = z.object({
  text: z.string(),
  /** Null for a sentence without a key: the screen shows the text. */
  key: z.string().regex(/^devices\.warning\.[A-Za-z]+$/).nullable(),
  params: DeviceReasonParams,
});
export type DetectWarning = z.infer<typeof DetectWarning>;

export const DetectResult = z.object({
  serialPorts: z.array(DetectedSerialPort),
  hidPosScanners: z.array(DetectedHidPos),
  warnings: z.array(DetectWarning),
});
export type DetectResult = z.infer<typeof DetectResult>;

/** One raw scan as the scanner sent it, for support staff. */
export const RecentScan = z.object({
  deviceId: z.string(),
  /** The data exactly as received (GS = ASCII 29 kept). */
  text: z.string(),
  /** The same with control characters made visible, e.g. "]C1" + "0104912345678904<GS>10ABC". */
  visible: z.string(),
  symbology: Symbology,
  aim: z.string().nullable(),
  gs1: z.boolean(),
  source: z.string(),
  at: z.number().int().nonnegative(),
});
export type RecentScan = z.infer<typeof RecentScan>;

/** A tag from devices.readTags with its EPC decoded (Tag Data Standard). */
export const ReadTag = z.object({
  epcHex: z.string(),
  /** Raw reads of this tag during the collection. */
  reads: z.number().int().nonnegative(),
  antennas: z.array(z.number().int()),
  bestRssi: z.number().optional(),
  /** Which reader(s) saw it (device ids). */
  deviceIds: z.array(z.string()),
  /** e.g. "SGTIN-96"; null when the EPC does not decode. */
  scheme: z.string().nullable(),
  gtin: z.string().nullable(),
  serial: z.string().nullable(),
  /** Why it did not decode (blank tag, TID read, …). */
  error: z.string().nullable(),
});
export type ReadTag = z.infer<typeof ReadTag>;

const MatchedTag = z.object({ epcHex: z.string(), gtin: z.string(), serial: z.string() });
/** How the parcel's tags cover its RMA lines (domain/rfid/matchTags). */
export const TagMatch = z.object({
  lines: z.array(
    z.object({
      lineId: z.string(),
      gtin: z.string(),
      expectedQty: z.number().int().nonnegative(),
      tags: z.array(MatchedTag),
      missing: z.number().int().nonnegative(),
    }),
  ),
  surplus: z.array(MatchedTag),
  unexpected: z.array(MatchedTag),
  nonItem: z.array(z.object({ epcHex: z.string(), scheme: z.string() })),
  undecodable: z.array(z.object({ epcHex: z.string(), error: z.string() })),
  complete: z.boolean(),
});
export type TagMatch = z.infer<typeof TagMatch>;

export const ReadTagsResult = z.object({
  startedAt: z.number().int().nonnegative(),
  endedAt: z.number().int().nonnegative(),
  totalReads: z.number().int().nonnegative(),
  truncated: z.boolean(),
  tags: z.array(ReadTag),
  /** Present when a parcelId was given. */
  match: TagMatch.optional(),
});
export type ReadTagsResult = z.infer<typeof ReadTagsResult>;

/**
 * One bench device entry as stored in devices.json. Only id and driver are checked here; the
 * station validates each driver's settings (native/devices/config.ts) and names the bad entry.
 */
export const BenchDeviceEntry = z.looseObject({
  id: DeviceIdRef,
  driver: z.string().min(1).max(40),
  enabled: z.boolean().optional(),
});
export type BenchDeviceEntry = z.infer<typeof BenchDeviceEntry>;

export const DevicesConfigView = z.object({
  devices: z.array(BenchDeviceEntry),
  /** Where the config lives (RS_DEVICES_FILE or <dataDir>/devices.json); null when it came from elsewhere. */
  file: z.string().nullable(),
  /** The label printer the station runs now ({ transport: 'none' } when it has none). */
  printer: PrinterConfig,
  /**
   * RS_PRINTER names the printer: it wins over the file at every start, so the Devices screen may not set one
   * that the next start would drop.
   */
  printerFromEnvironment: z.boolean(),
});
export type DevicesConfigView = z.infer<typeof DevicesConfigView>;

export const deviceCalls = {
  'devices.status': call({ access: ANY_OPERATOR, background: true, input: Empty, output: DevicesOverview }),
  /** Newest first; at most 20 per device. */
  'devices.recentScans': call({
    access: ANY_OPERATOR,
    background: true,
    input: z.object({ deviceId: DeviceIdRef.optional() }).strict(),
    output: z.object({ scans: z.array(RecentScan) }),
  }),
  'devices.detect': call({ access: LEADS, input: Empty, output: DetectResult }),
  /** Prints the sample label (unique TEST- LPN each time) on the bench printer, in the operator's screen language (Japanese unless said). */
  'devices.testPrint': call({
    access: LEADS,
    input: z.object({ language: z.enum(['ja', 'en']).default('ja') }).strict(),
    output: z.object({ lpn: z.string(), outcome: PrintOutcome }),
  }),
  /** One stable reading: the scale's last stable one if fresh, else asks the scale. DEVICE error when none comes. */
  'devices.readWeight': call({
    access: ANY_OPERATOR,
    input: z.object({ deviceId: DeviceIdRef.optional(), timeoutMs: z.number().int().min(200).max(10_000).default(3000) }).strict(),
    output: WeightReading,
  }),
  /** Collects tags from every RFID reader (or one) for durationMs; with parcelId, matches them to the RMA lines. */
  'devices.readTags': call({
    access: ANY_OPERATOR,
    input: z
      .object({
        durationMs: z.number().int().min(100).max(10_000).default(2000),
        parcelId: z.string().uuid().optional(),
        deviceId: DeviceIdRef.optional(),
      })
      .strict(),
    output: ReadTagsResult,
  }),
  'devices.config': call({ access: LEADS, input: Empty, output: DevicesConfigView }),
  /** Validates, saves to the config file and restarts the devices. INVALID_INPUT names the bad entry. */
  'devices.configure': call({
    access: LEADS,
    input: z.object({ devices: z.array(BenchDeviceEntry).max(32) }).strict(),
    output: DevicesOverview,
  }),
  /**
   * Saves the label printer into the devices file and puts it in place of the running one: labels waiting in the
   * queue print on the new printer. INVALID_INPUT (error.device.badPrinter) names the field and the problem.
   */
  'devices.configurePrinter': call({ access: LEADS, input: PrinterConfig, output: DevicesOverview }),
} as const;
