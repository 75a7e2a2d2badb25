// Printer status as the UI shows it, from whichever status protocol the printer speaks.
import { z } from 'zod';
import { KnownPrinterMessageKey, PrinterMessageParams, printerMessage, type PrinterMessage } from '../../contract/printerMessages.js';
import { isPrinterError, printerMessageOf, type PrinterErrorReason } from './errors.js';

export const PrinterStatus = z.object({
  /** ready: can print; fault: cannot (see flags/reason); unknown: one-way link, no status to ask. */
  state: z.enum(['ready', 'fault', 'unknown']),
  paperOut: z.boolean(),
  headOpen: z.boolean(),
  paused: z.boolean(),
  ribbonOut: z.boolean(),
  /** Why it is not ready, when it is not. */
  reason: z.string().nullable(),
  /** English, for logs and support; the screen shows messageKey in the operator's language. */
  message: z.string().nullable(),
  messageKey: KnownPrinterMessageKey.nullable(),
  messageParams: PrinterMessageParams,
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

type FaultReason = Extract<PrinterErrorReason, 'head_open' | 'paper_out' | 'ribbon_out' | 'paused'>;

/** The first fault in the order an operator should fix them. */
export function faultReason(f: StatusFlags): FaultReason | null {
  if (f.headOpen) return 'head_open';
  if (f.paperOut) return 'paper_out';
  if (f.ribbonOut) return 'ribbon_out';
  if (f.paused) return 'paused';
  return null;
}

const FAULTS: Record<FaultReason, { text: string; said: PrinterMessage }> = {
  head_open: { text: 'Print head is open', said: printerMessage('printer.fault.headOpen') },
  paper_out: { text: 'Out of labels', said: printerMessage('printer.fault.paperOut') },
  ribbon_out: { text: 'Out of ribbon', said: printerMessage('printer.fault.ribbonOut') },
  paused: { text: 'Printer is paused', said: printerMessage('printer.fault.paused') },
};

/** The keyed form of a status's message, when it has one. */
export function saidOf(s: Pick<PrinterStatus, 'messageKey' | 'messageParams'>): PrinterMessage | null {
  return s.messageKey ? { key: s.messageKey, params: s.messageParams } : null;
}

/** The status's message fields for an English sentence and its keyed form. */
export function saying(message: string, said: PrinterMessage): Pick<PrinterStatus, 'message' | 'messageKey' | 'messageParams'> {
  return { message, messageKey: said.key, messageParams: said.params };
}

const SILENT: Pick<PrinterStatus, 'message' | 'messageKey' | 'messageParams'> = { message: null, messageKey: null, messageParams: {} };

export function statusFromFlags(flags: StatusFlags, now = new Date()): PrinterStatus {
  const reason = faultReason(flags);
  return {
    state: reason ? 'fault' : 'ready',
    ...flags,
    reason,
    ...(reason ? saying(FAULTS[reason].text, FAULTS[reason].said) : SILENT),
    checkedAt: now.toISOString(),
  };
}

/** A failed status query: the printer is treated as faulted, never as fine. */
export function statusFromError(e: unknown, now = new Date()): PrinterStatus {
  return {
    state: 'fault',
    ...NO_FLAGS,
    reason: isPrinterError(e) ? e.reason : 'io',
    ...saying(e instanceof Error ? e.message : String(e), printerMessageOf(e)),
    checkedAt: now.toISOString(),
  };
}

export function unknownStatus(now = new Date()): PrinterStatus {
  return {
    state: 'unknown',
    ...NO_FLAGS,
    reason: null,
    ...saying('This printer connection cannot report status', printerMessage('printer.status.noStatus')),
    checkedAt: now.toISOString(),
  };
}
