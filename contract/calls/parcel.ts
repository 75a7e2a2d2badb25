import { z } from 'zod';
import { ItemMatch, ParcelSearchResult, ParcelView } from '../entities.js';
import { ANY_OPERATOR, call, LEADS, ScannedCode } from './define.js';

const ParcelId = z.object({ parcelId: z.string().uuid() }).strict();
const Known = z.string().trim().max(200).optional();

/** Opening a parcel and matching its items, blind returns, the parcel's lifecycle and its expected-vs-received outcome. */
export const parcelCalls = {
  /**
   * A return already received in a closed parcel is refused (CONFLICT error.returnAlreadyReceived, with
   * when, where and by whom); `splitShipment` opens a second parcel for it on purpose.
   */
  'parcel.open': call({
    access: ANY_OPERATOR,
    answersBeforeSync: true,
    input: z.object({ code: ScannedCode, splitShipment: z.boolean().optional() }).strict(),
    output: ParcelView,
  }),
  'parcel.matchItem': call({
    access: ANY_OPERATOR,
    answersBeforeSync: true,
    input: z.object({ parcelId: z.string().uuid(), code: ScannedCode }).strict(),
    output: ItemMatch,
  }),
  'parcel.get': call({ access: ANY_OPERATOR, input: ParcelId, output: ParcelView }),
  /** Order / RMA number, customer name or kana, phone, SKU or JAN; WMS when reachable, this station's copy otherwise. */
  'parcel.search': call({
    access: ANY_OPERATOR,
    input: z
      .object({
        q: z
          .string()
          .trim()
          .max(100)
          // LIKE wildcards and spaces are not something to search for: "%%" listed every customer.
          .refine((q) => q.replace(/[%_*?\s]/g, '').length >= 2, 'type at least 2 letters or digits'),
      })
      .strict(),
    output: ParcelSearchResult,
  }),
  /** No RMA found: receive it with what is known; its items go to lead review. */
  'parcel.receiveUnexpected': call({
    access: ANY_OPERATOR,
    input: z
      .object({ scannedCode: ScannedCode.optional(), orderNumber: Known, customerName: Known, phone: Known, note: z.string().trim().max(500).optional() })
      .strict(),
    output: ParcelView,
  }),
  'parcel.listUnlinked': call({ access: LEADS, input: z.object({}).strict(), output: z.array(ParcelView) }),
  'parcel.linkRma': call({
    access: LEADS,
    input: z.object({ parcelId: z.string().uuid(), rmaNumber: z.string().trim().min(1).max(32) }).strict(),
    output: ParcelView,
  }),
  /**
   * Records extra, wrong and missing items or an empty box as outcomes and sends parcel.closed. A parcel
   * whose lines are not all received closes only with `confirmUnreceived` (the operator said so twice).
   */
  'parcel.close': call({
    access: ANY_OPERATOR,
    input: z.object({ parcelId: z.string().uuid(), confirmUnreceived: z.boolean().optional() }).strict(),
    output: ParcelView,
  }),
  /** A lead reopens a parcel closed by mistake: its outcomes are withdrawn and the WMS gets parcel.reopened. */
  'parcel.reopen': call({
    access: LEADS,
    input: z.object({ parcelId: z.string().uuid(), reason: z.string().trim().min(1).max(500).optional() }).strict(),
    output: ParcelView,
  }),
} as const;
