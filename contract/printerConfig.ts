// The bench's label printer as the devices file, RS_PRINTER and the Devices screen's printer section give it.
import { z } from 'zod';

/** What the floor calls the printer ("ラベルプリンター 1番"); the print notice shows it instead of an address. */
const PrinterName = z.string().min(1).max(40).optional();

export const PrinterConfig = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('tcp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(9100),
    language: z.enum(['zpl', 'sbpl']).default('zpl'),
    name: PrinterName,
    timeoutMs: z.number().int().positive().default(3000),
  }),
  /** A printer on a serial / USB-serial port (two-way: status queries work). */
  z.object({
    transport: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    language: z.enum(['zpl', 'sbpl']).default('zpl'),
    name: PrinterName,
    timeoutMs: z.number().int().positive().default(3000),
  }),
  /** A USB printer through the kernel's printer class driver, e.g. /dev/usb/lp0 (one-way). */
  z.object({
    transport: z.literal('device'),
    path: z.string().min(1),
    language: z.enum(['zpl', 'sbpl']).default('zpl'),
    name: PrinterName,
    timeoutMs: z.number().int().positive().default(10000),
  }),
  z.object({ transport: z.literal('none') }),
]);
export type PrinterConfig = z.infer<typeof PrinterConfig>;
