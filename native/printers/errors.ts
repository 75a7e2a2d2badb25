// Why a print did not happen, in terms the queue can act on: `maybeDelivered` says whether the
// printer could already have the bytes, which decides if an automatic retry is safe.

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

export class PrinterError extends Error {
  override readonly name = 'PrinterError';
  constructor(
    readonly reason: PrinterErrorReason,
    message: string,
    /** True once any byte may have reached the printer: an automatic resend could print twice. */
    readonly maybeDelivered = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
