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

export const DeviceConfig = z.discriminatedUnion('driver', [SerialScannerDevice, HidPosScannerDevice, AdScaleDevice]);
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
      if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'id'], message: `device id "${d.id}" is used twice` });
      seen.add(d.id);
    });
    const ports = new Map<string, string>();
    cfg.devices.forEach((d, i) => {
      if (!('serial' in d) || !d.enabled) return;
      const other = ports.get(d.serial.path);
      if (other) ctx.addIssue({ code: 'custom', path: ['devices', i, 'serial', 'path'], message: `${d.serial.path} is already used by "${other}"` });
      ports.set(d.serial.path, d.id);
    });
  });
export type BenchDevicesConfig = z.infer<typeof BenchDevicesConfig>;
export type BenchDevicesConfigInput = z.input<typeof BenchDevicesConfig>;
