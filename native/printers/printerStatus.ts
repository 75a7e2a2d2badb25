// Printer status as the UI shows it, from whichever status protocol the printer speaks.
import { z } from 'zod';
import { isPrinterError, type PrinterErrorReason } from './errors.js';

export const PrinterStatus = z.object({
  /** ready: can print; fault: cannot (see flags/reason); unknown: one-way link, no status to ask. */
  state: z.enum(['ready', 'fault', 'unknown']),
  paperOut: z.boolean(),
  headOpen: z.boolean(),
  paused: z.boolean(),
  ribbonOut: z.boolean(),
  /** Why it is not ready, when it is not. */
  reason: z.string().nullable(),
  message: z.string().nullable(),
  checkedAt: z.string(),
});
export type PrinterStatus = z.infer<typeof PrinterStatus>;

export interface StatusFlags {
  paperOut: boolean;
  headOpen: boolean;
  paused: boolean;
  ribbonOut: boolean;
}

const NO_FLAGS: StatusFlags = { paperOut: false, headOpen: false, paused: false, ribbonOut: false };

/** The first fault in the order an operator should fix them. */
export function faultReason(f: StatusFlags): PrinterErrorReason | null {
  if (f.headOpen) return 'head_open';
  if (f.paperOut) return 'paper_out';
  if (f.ribbonOut) return 'ribbon_out';
  if (f.paused) return 'paused';
  return null;
}

const MESSAGES: Partial<Record<PrinterErrorReason, string>> = {
  head_open: 'Print head is open',
  paper_out: 'Out of labels',
  ribbon_out: 'Out of ribbon',
  paused: 'Printer is paused',
};

export function statusFromFlags(flags: StatusFlags, now = new Date()): PrinterStatus {
  const reason = faultReason(flags);
  return {
    state: reason ? 'fault' : 'ready',
    ...flags,
    reason,
    message: reason ? (MESSAGES[reason] ?? reason) : null,
    checkedAt: now.toISOString(),
  };
}

/** A failed status query: the printer is treated as faulted, never as fine. */
export function statusFromError(e: unknown, now = new Date()): PrinterStatus {
  return {
    state: 'fault',
    ...NO_FLAGS,
    reason: isPrinterError(e) ? e.reason : 'io',
    message: e instanceof Error ? e.message : String(e),
    checkedAt: now.toISOString(),
  };
}

export function unknownStatus(now = new Date()): PrinterStatus {
  return { state: 'unknown', ...NO_FLAGS, reason: null, message: 'This printer connection cannot report status', checkedAt: now.toISOString() };
}
