import { z } from 'zod';

// Typed events from device drivers (native/) to core. Drivers emit raw identifiers plus
// metadata; decoding (GS1, EPC) and matching to RMA lines happen in core/domain.

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
