// Per-bench device configuration: which devices this bench has, on which port, with which
// settings. Validated once when the station starts; a bad entry is refused with its path.
import { z } from 'zod';
import { AdScaleSettings } from '../scale/adScale.js';
import { HidPosSettings } from '../scanners/hidPos.js';
import { SerialScannerSettings } from '../scanners/serialScanner.js';
import { SerialSettings } from '../transports/serial.js';

const DeviceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'device id: lowercase letters, digits and "-", e.g. "scanner-1"');

export const SerialScannerDevice = z
  .object({
    id: DeviceId,
    driver: z.literal('serial-scanner'),
    enabled: z.boolean().default(true),
    serial: SerialSettings,
    scanner: SerialScannerSettings.default(SerialScannerSettings.parse({})),
  })
  .strict();

export const HidPosScannerDevice = z
  .object({
    id: DeviceId,
    driver: z.literal('hidpos-scanner'),
    enabled: z.boolean().default(true),
    hidpos: HidPosSettings.default(HidPosSettings.parse({})),
  })
  .strict();

// A&D scales leave the factory at 2400 bps, 7 data bits, even parity, 1 stop bit.
export const ScaleSerialSettings = SerialSettings.extend({
  baudRate: z.number().int().positive().default(2400),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(7),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('even'),
});

export const AdScaleDevice = z
  .object({
    id: DeviceId,
    driver: z.literal('ad-scale'),
    enabled: z.boolean().default(true),
    serial: ScaleSerialSettings,
    scale: AdScaleSettings.default(AdScaleSettings.parse({})),
  })
  .strict();

/** Repeats of one EPC within this window are one tag (the `device.tags` stream). */
const DedupeWindowMs = z.number().int().min(0).max(60_000).default(2000);

// Chafon-style readers leave the factory at 57600 bps 8N1.
export const ChafonSerialSettings = SerialSettings.extend({
  baudRate: z.number().int().positive().default(57600),
});

export const ChafonRfidDevice = z
  .object({
    id: DeviceId,
    driver: z.literal('chafon-rfid'),
    enabled: z.boolean().default(true),
    serial: ChafonSerialSettings,
    rfid: z
      .object({
        /** 'uhfreader288' (current generation, antenna + RSSI per tag) or 'uhfreader18'. */
        dialect: z.enum(['uhfreader288', 'uhfreader18']).default('uhfreader288'),
        /** Reader address; 255 broadcasts to whatever reader is on the line. */
        adr: z.number().int().min(0).max(255).default(0),
        pollIntervalMs: z.number().int().min(20).max(10_000).default(100),
        dedupeWindowMs: DedupeWindowMs,
      })
      .strict()
      .default({ dialect: 'uhfreader288', adr: 0, pollIntervalMs: 100, dedupeWindowMs: 2000 }),
  })
  .strict();

export const LineRfidDevice = z
  .object({
    id: DeviceId,
    driver: z.literal('line-rfid'),
    enabled: z.boolean().default(true),
    serial: SerialSettings,
    rfid: z.object({ dedupeWindowMs: DedupeWindowMs }).strict().default({ dedupeWindowMs: 2000 }),
  })
  .strict();

export const LlrpRfidDevice = z
  .object({
    id: DeviceId,
    driver: z.literal('llrp-rfid'),
    enabled: z.boolean().default(true),
    llrp: z
      .object({
        host: z.string().min(1).max(253),
        port: z.number().int().min(1).max(65535).default(5084),
        /** Antenna IDs to read with; empty or absent: all antennas. */
        antennas: z.array(z.number().int().min(1).max(65535)).max(64).optional(),
        keepaliveMs: z.number().int().min(500).max(60_000).default(5000),
      })
      .strict(),
    rfid: z.object({ dedupeWindowMs: DedupeWindowMs }).strict().default({ dedupeWindowMs: 2000 }),
  })
  .strict();

export const DeviceConfig = z.discriminatedUnion('driver', [
  SerialScannerDevice,
  HidPosScannerDevice,
  AdScaleDevice,
  ChafonRfidDevice,
  LineRfidDevice,
  LlrpRfidDevice,
]);
export type DeviceConfig = z.infer<typeof DeviceConfig>;
export type DeviceConfigInput = z.input<typeof DeviceConfig>;

export const BenchDevicesConfig = z
  .object({
    devices: z.array(DeviceConfig).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.devices.forEach((d, i) => {
      if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'id'], message: `device id "${d.id}" is used twice`, params: { reason: 'idTwice' } });
      seen.add(d.id);
    });
    const ports = new Map<string, string>();
    cfg.devices.forEach((d, i) => {
      if (!('serial' in d) || !d.enabled) return;
      const other = ports.get(d.serial.path);
      if (other) ctx.addIssue({
          code: 'custom',
          path: ['devices', i, 'serial', 'path'],
          message: `${d.serial.path} is already used by "${other}"`,
          params: { reason: 'portTwice', other },
        });
      ports.set(d.serial.path, d.id);
    });
  });
export type BenchDevicesConfig = z.infer<typeof BenchDevicesConfig>;
export type BenchDevicesConfigInput = z.input<typeof BenchDevicesConfig>;

/**
 * Validates a bench config and, when it is bad, says so in one sentence that names the entry
 * (by position and id) and the field, e.g. `device 2 ("scale-1"): serial.path: Required`. The issue itself goes
 * with it, so the Devices screen can say the same in the operator's language.
 */
export function parseBenchDevicesConfig(
  input: unknown,
): { ok: true; config: BenchDevicesConfig } | { ok: false; message: string; issue?: z.core.$ZodIssue } {
  const parsed = BenchDevicesConfig.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue) return { ok: false, message: 'the device config is not valid' };
  const [top, index, ...rest] = issue.path;
  if (top === 'devices' && typeof index === 'number') {
    const entry: unknown = typeof input === 'object' && input !== null && 'devices' in input && Array.isArray(input.devices) ? input.devices[index] : undefined;
    const id = typeof entry === 'object' && entry !== null && 'id' in entry && typeof entry.id === 'string' ? ` ("${entry.id.slice(0, 40)}")` : '';
    const field = rest.length > 0 ? `${rest.join('.')}: ` : '';
    return { ok: false, message: `device ${index + 1}${id}: ${field}${issue.message}`, issue };
  }
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `${where}${issue.message}`, issue };
}
