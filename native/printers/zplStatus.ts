// ZPL ~HS (host status) parsing. The reply is three STX…ETX framed strings:
//   1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l   b = paper out, c = paused, eee = formats in buffer
//   2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www  o = head up (open), p = ribbon out, uuuuuuuu = labels left
//   3: xxxx,y                             password, static RAM
import { printerMessage } from '../../contract/printerMessages.js';
import { PrinterError } from './errors.js';
import { statusFromError, statusFromFlags, type PrinterStatus } from './printerStatus.js';
import type { PrinterTransport } from './tcpPrinter.js';

export const ZPL_HOST_STATUS_QUERY = Buffer.from('~HS\r\n', 'latin1');

export interface ZplHostStatus {
  paperOut: boolean;
  paused: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
  formatsInBuffer: number;
  labelsRemaining: number;
  bufferFull: boolean;
  underTemperature: boolean;
  overTemperature: boolean;
}

const malformed = (message: string): PrinterError => new PrinterError('io', message, false, { said: printerMessage('printer.error.malformedStatus', { protocol: 'ZPL' }) });

const frames = (reply: Buffer): string[] => [...reply.toString('latin1').matchAll(/\x02([^\x02\x03]*)\x03/g)].map((m) => m[1]!);

/** True once all three framed strings have arrived. */
export function isCompleteHostStatus(reply: Buffer): boolean {
  return frames(reply).length >= 3;
}

export function parseZplHostStatus(reply: Buffer): ZplHostStatus {
  const [s1, s2] = frames(reply);
  const a = s1?.split(',');
  const b = s2?.split(',');
  if (!a || !b || a.length < 12 || b.length < 11) {
    throw malformed(`malformed ~HS reply: ${JSON.stringify(reply.toString('latin1').slice(0, 120))}`);
  }
  const bit = (v: string | undefined, field: string): boolean => {
    if (v !== '0' && v !== '1') throw malformed(`malformed ~HS reply: ${field} is ${JSON.stringify(v)}`);
    return v === '1';
  };
  const num = (v: string | undefined, field: string): number => {
    if (!v || !/^\d+$/.test(v)) throw malformed(`malformed ~HS reply: ${field} is ${JSON.stringify(v)}`);
    return Number(v);
  };
  return {
    paperOut: bit(a[1], 'paper out flag'),
    paused: bit(a[2], 'pause flag'),
    formatsInBuffer: num(a[4], 'formats in buffer'),
    bufferFull: bit(a[5], 'buffer full flag'),
    underTemperature: bit(a[10], 'under temperature flag'),
    overTemperature: bit(a[11], 'over temperature flag'),
    headOpen: bit(b[2], 'head up flag'),
    ribbonOut: bit(b[3], 'ribbon out flag'),
    labelsRemaining: num(b[8], 'labels remaining'),
  };
}

/**
 * Asks a two-way ZPL printer for its status. No reply within `timeoutMs` is reported as a fault
 * (a Zebra with the head open or media out may not answer at all).
 */
export async function queryZplStatus(transport: PrinterTransport, timeoutMs = 2000): Promise<PrinterStatus> {
  if (!transport.exchange) {
    throw new PrinterError('io', `${transport.name} is one-way; it cannot report status`, false, { said: printerMessage('printer.error.oneWay', { where: transport.name }) });
  }
  try {
    const reply = await transport.exchange(ZPL_HOST_STATUS_QUERY, isCompleteHostStatus, timeoutMs);
    return statusFromFlags(parseZplHostStatus(reply));
  } catch (e) {
    return statusFromError(e);
  }
}
