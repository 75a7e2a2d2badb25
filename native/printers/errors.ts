// Why a print did not happen, in terms the queue can act on: `maybeDelivered` says whether the
// printer could already have the bytes, which decides if an automatic retry is safe. `said` is the
// same failure as a keyed message (contract/printerMessages.ts) for the operator's screen.
import { printerMessage, type PrinterMessage } from '../../contract/printerMessages.js';

export type PrinterErrorReason =
  | 'unreachable' // no route / host unknown
  | 'refused' // nothing listening on the port (printer off, or busy with another host)
  | 'timeout' // connect, write, close or status reply took too long
  | 'reset' // connection dropped mid-job
  | 'io' // any other transport error
  | 'paper_out'
  | 'ribbon_out'
  | 'head_open'
  | 'paused'
  | 'no_status_reply' // a two-way printer that does not answer a status query is treated as faulted
  | 'not_configured';

export interface PrinterErrorOptions {
  cause?: unknown;
  /** What the operator is told; without it, the fault's own sentence, or the English message as a detail. */
  said?: PrinterMessage;
}

/** Reasons that are a whole sentence by themselves; for the others the thrower says where and what (options.said). */
const SELF_SAID: Partial<Record<PrinterErrorReason, PrinterMessage>> = {
  paper_out: printerMessage('printer.fault.paperOut'),
  ribbon_out: printerMessage('printer.fault.ribbonOut'),
  head_open: printerMessage('printer.fault.headOpen'),
  paused: printerMessage('printer.fault.paused'),
  not_configured: printerMessage('printer.error.notConfigured'),
};

export class PrinterError extends Error {
  override readonly name = 'PrinterError';
  readonly said: PrinterMessage;
  constructor(
    readonly reason: PrinterErrorReason,
    message: string,
    /** True once any byte may have reached the printer: an automatic resend could print twice. */
    readonly maybeDelivered = false,
    options: PrinterErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.said = options.said ?? SELF_SAID[reason] ?? printerMessage('printer.error.other', { detail: message });
  }
}

/** What to tell the operator about any failure: a printer error's own message, anything else as its text. */
export function printerMessageOf(e: unknown): PrinterMessage {
  if (isPrinterError(e)) return e.said;
  return printerMessage('printer.error.other', { detail: e instanceof Error ? e.message : String(e) });
}

/** The sentence for a transport failure at `where` (host:port, port, path) whose reason came from an errno code. */
export function saidForReason(reason: PrinterErrorReason, where: string, detail: string): PrinterMessage {
  switch (reason) {
    case 'unreachable':
      return printerMessage('printer.error.unreachable', { where });
    case 'refused':
      return printerMessage('printer.error.refused', { where });
    case 'timeout':
      return printerMessage('printer.error.timeout', { where });
    case 'reset':
      return printerMessage('printer.error.reset', { where });
    default:
      return SELF_SAID[reason] ?? printerMessage('printer.error.io', { where, detail });
  }
}

export function isPrinterError(e: unknown): e is PrinterError {
  return e instanceof PrinterError;
}

/** Maps a Node socket/fs error code to a reason. */
export function reasonForErrno(code: string | undefined): PrinterErrorReason {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return 'unreachable';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'reset';
    default:
      return 'io';
  }
}
