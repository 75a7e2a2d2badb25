import { z } from 'zod';

// Typed events from device drivers (native/) to core. Drivers emit raw identifiers plus
// metadata; decoding (GS1, EPC) and matching to RMA lines happen in domain.

/** One UHF tag observation. `epcHex` is the EPC bank as uppercase hex, whole 16-bit words. */
export const TagRead = z
  .object({
    epcHex: z
      .string()
      .regex(/^(?:[0-9A-F]{4}){1,31}$/, 'EPC hex: uppercase, whole 16-bit words, at most 496 bits'),
    /** 1-based antenna port, when the reader says. */
    antenna: z.number().int().min(0).max(65535).optional(),
    /** Signal strength as the reader reports it: dBm for LLRP (PeakRSSI), a raw 0–255 level for Chafon-style readers. */
    rssi: z.number().min(-255).max(255).optional(),
    /** When the tag was (first) seen: epoch ms (the reader's timestamp when it sends one). */
    at: z.number().int().nonnegative(),
    /** Which device produced the read, e.g. "chafon:/dev/ttyUSB0" or "llrp:10.0.0.5:5084". */
    source: z.string().min(1).max(200),
  })
  .strict();
export type TagRead = z.infer<typeof TagRead>;

/** Barcode symbologies, named from the AIM symbology identifier the scanner sent. */
export const Symbology = z.enum([
  'code39',
  'telepen',
  'code128',
  'gs1-128',
  'datamatrix',
  'gs1-datamatrix',
  'ean-13',
  'ean-8',
  'ean-addon',
  'gs1-databar',
  'codabar',
  'code93',
  'code11',
  'itf',
  'pdf417',
  'msi',
  'qr',
  'gs1-qr',
  'micro-qr',
  'aztec',
  'gs1-aztec',
  'dotcode',
  'maxicode',
  'other',
  'unknown',
]);
export type Symbology = z.infer<typeof Symbology>;

/** One barcode read by a serial or HID-POS scanner. */
export const ScanEvent = z
  .object({
    /** The decoded data without the AIM prefix; the GS separator (ASCII 29) is kept. */
    text: z.string().min(1).max(8192),
    symbology: Symbology,
    /** The AIM symbology identifier as sent (e.g. "]C1"), null when the scanner sent none. */
    aim: z
      .string()
      .regex(/^\][A-Za-z][0-9A-Za-z]$/)
      .nullable(),
    /** True when the AIM identifier says the data is a GS1 element string (FNC1 in first position). */
    gs1: z.boolean(),
    /** Which device produced the scan, e.g. "serial:/dev/ttyUSB0" or "hidpos:0c2e:0b8f". */
    source: z.string().min(1).max(200),
    /** Epoch ms. */
    at: z.number().int().nonnegative(),
  })
  .strict();
export type ScanEvent = z.infer<typeof ScanEvent>;

/**
 * A scanner sent something that is not a readable scan (bytes that are not text, a frame cut short or without
 * its terminator, a flood): the operator is told to scan again, not left waiting for an answer.
 */
export const UnreadableScan = z.object({ deviceId: z.string(), label: z.string() }).strict();
export type UnreadableScan = z.infer<typeof UnreadableScan>;

export const WeightUnit = z.enum(['g', 'kg']);
export type WeightUnit = z.infer<typeof WeightUnit>;

/** One reading from a parcel scale. */
export const WeightReading = z
  .object({
    stable: z.boolean(),
    /** True when the scale reports overload: value and grams are then null. */
    overload: z.boolean(),
    /** The number as the scale shows it, in `unit`. */
    value: z.number().nullable(),
    unit: WeightUnit,
    grams: z.number().nullable(),
    source: z.string().min(1).max(200),
    at: z.number().int().nonnegative(),
  })
  .strict();
export type WeightReading = z.infer<typeof WeightReading>;

export const DeviceKind = z.enum(['scanner', 'scale', 'rfid', 'printer']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** stopped: not running on purpose; error: present but unusable, or misbehaving (reason says which). */
export const DeviceState = z.enum(['connecting', 'connected', 'reconnecting', 'error', 'stopped']);
export type DeviceState = z.infer<typeof DeviceState>;

/**
 * What kind of reason a device's state has, so the screen says it in the operator's language. `reason` stays the
 * English sentence (logs, support) and is shown as it is for reasons without a code.
 */
export const DeviceReasonCode = z.enum([
  'portAbsent', // {port}
  'portDisconnected', // {port}
  'portClosed', // {port}
  'portPermission', // {port}
  'portBusy', // {port}
  'portNotSerial', // {port}: the path is a file or device that is not a serial port
  'portFailed', // {port, detail}: any other failure; detail is the system's (English) words
  'noTerminator', // {bytes}
  'unreadableFrames', // {count}
  'readerSilent', // {rounds}
  'printerChecking',
  'printerNoStatus',
  'printerFault', // {faults}: comma-separated headOpen, paperOut, ribbonOut, paused, or one of a SATO's others (bufferFull, sensor, headError, card, cutter, other)
  'printerNoReply',
  'printerStatusRefused', // takes the connection, then resets or closes it at the status query
  'printerUnreachable',
  'printerBadReply',
]);
export type DeviceReasonCode = z.infer<typeof DeviceReasonCode>;
export const DeviceReasonParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type DeviceReasonParams = z.infer<typeof DeviceReasonParams>;

export const DeviceStatus = z
  .object({
    deviceId: z.string().min(1),
    kind: DeviceKind,
    /** Human label: port path or USB product name. */
    label: z.string(),
    state: DeviceState,
    /** Plain-words reason for reconnecting / error. */
    reason: z.string().optional(),
    reasonCode: DeviceReasonCode.optional(),
    reasonParams: DeviceReasonParams.optional(),
    /** Epoch ms of the last state change. */
    since: z.number().int().nonnegative(),
  })
  .strict();
export type DeviceStatus = z.infer<typeof DeviceStatus>;
