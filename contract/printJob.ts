// The print-job record: what the label printer's queue (native/printers/printQueue.ts) keeps between attempts,
// in memory or in the station database (db/repositories/printJobs.ts). One shape for both, so a store cannot
// drift from the queue.
import { z } from 'zod';
import { ItemLabel } from './label.js';
import { KnownPrinterMessageKey, PrinterMessageParams } from './printerMessages.js';

export const PrintJobState = z.enum([
  /** Waiting for (another) attempt. */
  'pending',
  /** Bytes are being handed to the printer right now. */
  'sending',
  'printed',
  /** The printer may have the job; only an operator may ask for a reprint. */
  'uncertain',
  'cancelled',
]);
export type PrintJobState = z.infer<typeof PrintJobState>;

export const PrintJobRecord = z.object({
  id: z.string().min(1),
  printer: z.string(),
  /** The rendered job in the printer's language (a Buffer on the main side). */
  payload: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'print job payload: bytes'),
  /**
   * The label the payload was rendered from, so a printer of another language can be given the job anew; absent for
   * jobs that are not labels and for jobs kept before labels were.
   */
  label: ItemLabel.nullable().optional(),
  /** What the operator sees in the queue, e.g. "LPN R-000123". */
  description: z.string(),
  state: PrintJobState,
  attempts: z.number().int().nonnegative(),
  /** Epoch ms; the job is not tried before then. */
  nextAttemptAt: z.number(),
  /** English, for logs and support. */
  lastError: z.string().nullable(),
  /**
   * The same in the operator's language (contract/printerMessages.ts). Null with a lastError: a job recorded
   * before keys were kept, whose English text is all there is.
   */
  lastErrorKey: KnownPrinterMessageKey.nullable(),
  lastErrorParams: PrinterMessageParams.nullable(),
  /** Epoch ms. */
  createdAt: z.number(),
  /** Epoch ms. */
  printedAt: z.number().nullable(),
});
export type PrintJobRecord = z.infer<typeof PrintJobRecord>;

export type PrintJobPatch = Partial<Pick<PrintJobRecord, 'payload' | 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'lastErrorKey' | 'lastErrorParams' | 'printedAt'>>;

/** Where print jobs live between attempts; the queue talks only to this, so its retry logic ignores where. */
export interface PrintJobStore {
  add(job: PrintJobRecord): void;
  update(id: string, patch: PrintJobPatch): void;
  get(id: string): PrintJobRecord | undefined;
  /** Jobs in any of `states`, oldest first (insertion order breaks ties). */
  list(states: readonly PrintJobState[]): PrintJobRecord[];
}
