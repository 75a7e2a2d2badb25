import { z } from 'zod';
import { PrintOutcome } from '../entities.js';
import { PrintJobState } from '../printJob.js';
import { PrinterMessageKeyText, PrinterMessageParams } from '../printerMessages.js';
import { ANY_OPERATOR, call, Empty } from './define.js';
import { PrintQueueCounts } from './devices.js';

// The bench printer's queue: what is waiting or uncertain, and an operator's reprint of an item's label.

export const PrintJobRow = z.object({
  id: z.string(),
  /** The item's LPN for label jobs ("label:<LPN>"), null for other jobs. */
  lpn: z.string().nullable(),
  description: z.string(),
  state: PrintJobState,
  attempts: z.number().int().nonnegative(),
  /** English, for logs and support (the row's tooltip). */
  lastError: z.string().nullable(),
  /** lastError in the operator's language; null for a job recorded before keys were kept (its English is shown). */
  lastErrorKey: PrinterMessageKeyText.nullable(),
  lastErrorParams: PrinterMessageParams.nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type PrintJobRow = z.infer<typeof PrintJobRow>;

export const printerCalls = {
  /** Unfinished print jobs (pending, sending, uncertain), oldest first, plus the queue counts. */
  'printer.jobs': call({
    access: ANY_OPERATOR,
    background: true,
    input: Empty,
    output: z.object({ jobs: z.array(PrintJobRow), queue: PrintQueueCounts }),
  }),
  /** Operator-requested reprint of an item's label (audited). NOT_FOUND when no label was printed for the LPN here. */
  'printer.reprint': call({
    access: ANY_OPERATOR,
    input: z.object({ lpn: z.string().trim().min(1).max(40) }).strict(),
    output: PrintOutcome,
  }),
} as const;
