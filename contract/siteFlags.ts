// Issue 15: flags only the site hub can raise, and the evidence it keeps for each. Imports zod only, so
// entities.ts (the review detail) can name it without an import cycle.
import { z } from 'zod';

/** Issue 15: the flags only the site hub can raise, each from what several benches (and the WMS) saw. */
export const SITE_FLAG_CODES = ['site_serial_returner', 'site_rma_twice', 'site_serial_twice', 'site_epc_twice'] as const;
export const SiteFlagCode = z.enum(SITE_FLAG_CODES);
export type SiteFlagCode = z.infer<typeof SiteFlagCode>;

/** One sighting behind a site flag: a return received or an item graded at a bench, or an RMA in the WMS's history. */
export const SiteFlagOccurrence = z.object({
  source: z.enum(['bench', 'wms']),
  stationId: z.string().nullable(),
  at: z.string(),
  rmaNumber: z.string().nullable(),
  parcelId: z.string().nullable(),
  itemId: z.string().nullable(),
  lpn: z.string().nullable(),
});
export type SiteFlagOccurrence = z.infer<typeof SiteFlagOccurrence>;

/** A site flag with its evidence: what repeated (the RMA, serial, EPC or customer), how often, and where. */
export const SiteFlagEvidence = z.object({
  code: SiteFlagCode,
  /** The RMA number, serial number, EPC or customer id that repeated. */
  subject: z.string(),
  count: z.number().int(),
  /** Serial returners: the window and the threshold the count reached. */
  windowDays: z.number().int().optional(),
  threshold: z.number().int().optional(),
  raisedAt: z.string(),
  occurrences: z.array(SiteFlagOccurrence),
});
export type SiteFlagEvidence = z.infer<typeof SiteFlagEvidence>;
