import { z } from 'zod';
import { Carrier, Gtin } from './entities.js';

/**
 * What a scanned or typed code is: the answer of `classifyCode` in domain/identifiers
 * and of `returns-station decode`. One object per input; `kind` says which fields apply.
 */
export const DecodedKind = z.enum(['tracking', 'gs1', 'gtin', 'epc', 'rma', 'order', 'lpn', 'tote', 'bag', 'unknown']);
export type DecodedKind = z.infer<typeof DecodedKind>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

const base = {
  /** The text as received. */
  input: z.string(),
  /** True when the code is well-formed and every check digit it carries is right. */
  valid: z.boolean(),
  /** The canonical text to look up (scanner prefixes, separators and Codabar start/stop removed). */
  normalized: z.string(),
  /** Why it is not valid; absent when it is. */
  error: z.string().optional(),
};

export const DecodedCode = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tracking'),
    ...base,
    /** The most likely carrier: the first candidate. */
    carrier: Carrier.optional(),
    /** Domestic 12-digit numbers fit Yamato, Sagawa and Japan Post alike, most likely first. */
    carrierCandidates: z.array(Carrier),
  }),
  z.object({
    kind: z.literal('gs1'),
    ...base,
    form: z.enum(['element_string', 'hri', 'digital_link']).optional(),
    gtin: Gtin.optional(),
    serial: z.string().optional(),
    lot: z.string().optional(),
    expiry: IsoDate.optional(),
    sscc: z.string().optional(),
  }),
  z.object({ kind: z.literal('gtin'), ...base, gtin: Gtin.optional() }),
  z.object({
    kind: z.literal('epc'),
    ...base,
    epcScheme: z.string().optional(),
    gtin: Gtin.optional(),
    serial: z.string().optional(),
    sscc: z.string().optional(),
    tagUri: z.string().optional(),
  }),
  z.object({ kind: z.literal('rma'), ...base }),
  z.object({ kind: z.literal('order'), ...base }),
  z.object({ kind: z.literal('lpn'), ...base, stationId: z.string().optional() }),
  /** A consolidated tote's or cage's label (TOTE-… / CAGE-…). */
  z.object({ kind: z.literal('tote'), ...base }),
  /** A return's bag inside a consolidated tote (BAG-…). */
  z.object({ kind: z.literal('bag'), ...base }),
  z.object({ kind: z.literal('unknown'), ...base }),
]);
export type DecodedCode = z.infer<typeof DecodedCode>;
