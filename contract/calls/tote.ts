import { z } from 'zod';
import { ToteBagScan, ToteFlagView, ToteId, ToteView } from '../totes.js';
import { ANY_OPERATOR, call, LEADS, ScannedCode } from './define.js';

/** Consolidated inbound totes at the bench (issue 17). */
export const toteCalls = {
  /** Scanning a tote's label: opens it at this bench, or (scanned again) shows it as it stands. */
  'tote.open': call({ access: ANY_OPERATOR, input: z.object({ code: ScannedCode }).strict(), output: ToteView }),
  'tote.get': call({ access: ANY_OPERATOR, input: z.object({ toteId: ToteId }).strict(), output: ToteView }),
  /**
   * A bag scanned with the tote in hand (`toteId`), or alone (its manifest's tote is opened): recorded once,
   * and its return opened as if its parcel had been scanned.
   */
  'tote.scanBag': call({
    access: ANY_OPERATOR,
    input: z.object({ toteId: ToteId.optional(), code: ScannedCode }).strict(),
    output: ToteBagScan,
  }),
  /** Reconciles the tote: missing, stray and unmanifested bags become flags for a lead. Missing bags need `confirmMissing`. */
  'tote.close': call({
    access: ANY_OPERATOR,
    input: z.object({ toteId: ToteId, confirmMissing: z.boolean().optional() }).strict(),
    output: ToteView,
  }),
  'tote.flags': call({
    access: LEADS,
    input: z.object({ status: z.enum(['pending', 'acknowledged', 'all']).default('pending') }).strict(),
    output: z.array(ToteFlagView),
  }),
  'tote.acknowledgeFlag': call({ access: LEADS, input: z.object({ id: z.number().int().positive() }).strict(), output: ToteFlagView }),
} as const;
