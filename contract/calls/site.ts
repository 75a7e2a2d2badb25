// Issue 15: the bench's calls about the site's work (the hub's decisions about this bench's items).
import { z } from 'zod';
import { Disposition, Grade } from '../entities.js';
import { ANY_OPERATOR, call, Empty } from './define.js';

/** An item a lead at the site hub overrode to another disposition or destination: its box carries the old label. */
export const RelabelItem = z.object({
  itemId: z.string(),
  lpn: z.string(),
  sku: z.string(),
  grade: Grade,
  disposition: Disposition,
  destination: z.string(),
  reviewedBy: z.string().nullable(),
  reviewReason: z.string().nullable(),
  relabelSince: z.string(),
});
export type RelabelItem = z.infer<typeof RelabelItem>;

export const siteCalls = {
  'review.relabelList': call({ access: ANY_OPERATOR, background: true, input: Empty, output: z.object({ items: z.array(RelabelItem) }) }),
  'review.relabelDone': call({ access: ANY_OPERATOR, input: z.object({ itemId: z.string().uuid() }).strict(), output: z.object({ done: z.boolean() }) }),
} as const;
