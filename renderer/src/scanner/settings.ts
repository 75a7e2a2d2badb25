import { z } from 'zod';
import type { WedgeOptions } from './wedge.js';

const Token = z.string().min(1).max(16);

/** Bench-local scanner settings (localStorage 'rs.scanner'): what the scanner was programmed with. */
export const ScannerSettings = z
  .object({
    prefix: z.array(Token).max(4),
    suffix: z.array(Token).max(4),
    maxGapMs: z.number().int().min(5).max(300),
    minLength: z.number().int().min(1).max(64),
    recogniseAfter: z.number().int().min(2).max(64),
    idleEndMs: z.number().int().min(20).max(2000),
    endWithoutTerminator: z.boolean(),
    gsStandIn: Token.nullable(),
    scannerLayout: z.enum(['auto', 'us', 'jis']),
  })
  .partial()
  .strict();
export type ScannerSettings = z.infer<typeof ScannerSettings>;

export const SCANNER_SETTINGS_KEY = 'rs.scanner';

/** Reads the settings; anything unreadable falls back to the defaults rather than breaking scanning. */
export function loadScannerSettings(storage: Pick<Storage, 'getItem'>): Partial<WedgeOptions> {
  try {
    const raw = storage.getItem(SCANNER_SETTINGS_KEY);
    if (!raw) return {};
    const parsed = ScannerSettings.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
