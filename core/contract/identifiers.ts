import { z } from 'zod';
import { Carrier, Gtin } from './entities.js';

/**
 * What a scanned or typed code is: the answer of `classifyCode` in core/domain/identifiers
 * and of `returns-station decode`. One object per input; `kind` says which fields apply.
 */
export const DecodedKind = z.enum(['tracking', 'gs1', 'gtin', 'epc', 'rma', 'order', 'lpn', 'unknown']);
export type DecodedKind = z.infer<typeof DecodedKind>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

const base = {
  /** The text as received. */
  input: z.string(),
  /** True when the code is well-formed and every check digit it carries is right. */
  valid: z.boolean(),
  /** The canonical text to look up (scanner prefixes, separators and Codabar start/stop removed). */
  normalized: z.string(),
  /** Why it is not valid (or, for a valid GS1 code, nothing). */
  error: z.string().optional(),
};

export const DecodedCode = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('tracking'),
    /** The most likely carrier: the first candidate. */
    carrier: Carrier.optional(),
    /** Domestic 12-digit numbers fit Yamato, Sagawa and Japan Post alike, most likely first. */
    carrierCandidates: z.array(Carrier),
  }),
  z.object({
    ...base,
    kind: z.literal('gs1'),
    form: z.enum(['element_string', 'hri', 'digital_link']).optional(),
    gtin: Gtin.optional(),
    serial: z.string().optional(),
    lot: z.string().optional(),
    expiry: IsoDate.optional(),
    sscc: z.string().optional(),
  }),
  z.object({ ...base, kind: z.literal('gtin'), gtin: Gtin.optional() }),
  z.object({
    ...base,
    kind: z.literal('epc'),
    epcScheme: z.string().optional(),
    gtin: Gtin.optional(),
    serial: z.string().optional(),
    sscc: z.string().optional(),
    tagUri: z.string().optional(),
  }),
  z.object({ ...base, kind: z.literal('rma') }),
  z.object({ ...base, kind: z.literal('order') }),
  z.object({ ...base, kind: z.literal('lpn'), stationId: z.string().optional() }),
  z.object({ ...base, kind: z.literal('unknown') }),
]);
export type DecodedCode = z.infer<typeof DecodedCode>;
