// SATO status over the ENQ/ACK/NAK ("status 4") protocol: the host sends ENQ (0x05) and the
// printer answers STX {2-byte job ID}{1 status byte}{6-digit labels remaining}{16-byte job
// name} ETX. Older "status 3" printers send the same first fields without the job name.
import { printerMessage, type PrinterMessage } from '../../contract/printerMessages.js';
import { PrinterError } from './errors.js';
import { saying, statusFromError, statusFromFlags, type PrinterStatus, type StatusFlags } from './printerStatus.js';
import type { PrinterTransport } from './tcpPrinter.js';

export const SATO_ENQ = Buffer.from([0x05]);

export interface SatoStatus extends StatusFlags {
  jobId: string;
  statusByte: string;
  online: boolean;
  labelsRemaining: number;
  /** Any error state (a–k), including those with no flag of their own (cutter, sensor, …). */
  error: string | null;
}

const ERRORS: Record<string, string> = {
  a: 'receive buffer full',
  b: 'head open',
  c: 'paper end',
  d: 'ribbon end',
  e: 'media error',
  f: 'sensor error',
  g: 'head error',
  h: 'cover open',
  i: 'card error',
  j: 'cutter error',
  k: 'other error',
};

/** The errors with no flag of their own (b–e and h show as head open, paper out, ribbon out). */
const UNFLAGGED: Record<string, PrinterMessage> = {
  a: printerMessage('printer.fault.bufferFull'),
  f: printerMessage('printer.fault.sensor'),
  g: printerMessage('printer.fault.headError'),
  i: printerMessage('printer.fault.card'),
  j: printerMessage('printer.fault.cutter'),
  k: printerMessage('printer.fault.other'),
};

const malformed = (message: string): PrinterError => new PrinterError('io', message, false, { said: printerMessage('printer.error.malformedStatus', { protocol: 'SATO' }) });

function frame(reply: Buffer): string | null {
  const m = /\x02([^\x02\x03]*)\x03/.exec(reply.toString('latin1'));
  return m ? m[1]! : null;
}

export function isCompleteSatoStatus(reply: Buffer): boolean {
  return frame(reply) !== null;
}

export function parseSatoStatus(reply: Buffer): SatoStatus {
  const body = frame(reply);
  if (body === null || body.length < 9 || !/^\d{6}$/.test(body.slice(3, 9))) {
    throw malformed(`malformed SATO status: ${JSON.stringify(reply.toString('latin1').slice(0, 60))}`);
  }
  const s = body[2]!;
  const error = ERRORS[s] ?? null;
  // '0'–'4' off-line; 'E','K','Q','W' on-line but print stopped: both mean a paused printer.
  const offline = /^[0-4]$/.test(s);
  const stopped = 'EKQW'.includes(s);
  if (!error && !offline && !/^[A-W]$/.test(s)) throw malformed(`unknown SATO status byte ${JSON.stringify(s)}`);
  return {
    jobId: body.slice(0, 2),
    statusByte: s,
    online: !offline && !error,
    labelsRemaining: Number(body.slice(3, 9)),
    error,
    headOpen: s === 'b' || s === 'h',
    paperOut: s === 'c' || s === 'e',
    ribbonOut: s === 'd',
    paused: offline || stopped,
  };
}

export async function querySatoStatus(transport: PrinterTransport, timeoutMs = 2000): Promise<PrinterStatus> {
  if (!transport.exchange) {
    throw new PrinterError('io', `${transport.name} is one-way; it cannot report status`, false, { said: printerMessage('printer.error.oneWay', { where: transport.name }) });
  }
  try {
    const reply = await transport.exchange(SATO_ENQ, isCompleteSatoStatus, timeoutMs);
    const st = parseSatoStatus(reply);
    const status = statusFromFlags(st);
    if (st.error && status.state === 'ready') {
      return { ...status, state: 'fault', reason: 'io', ...saying(`Printer error: ${st.error}`, UNFLAGGED[st.statusByte] ?? printerMessage('printer.fault.other')) };
    }
    return status;
  } catch (e) {
    return statusFromError(e);
  }
}
