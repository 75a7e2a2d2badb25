// What the label printer says (its health, a job's last error, a print outcome) as a stable key and its
// parameters, so the screen says it in the operator's language. The English sentence still travels beside it
// for logs, support and the tooltip, and is what a renderer shows for a key it does not know.
import { z } from 'zod';

/**
 * Every key the station sends, with the parameters its sentence uses. The renderer's dictionaries have a
 * sentence for each under the same key (renderer/src/i18n), using exactly these parameters.
 */
export const PRINTER_MESSAGE_PARAMS = {
  // Reaching the printer. {where}: host:port, serial port or device path.
  'printer.error.unreachable': ['where'],
  'printer.error.refused': ['where'],
  'printer.error.connectTimeout': ['where', 'ms'],
  'printer.error.timeout': ['where'],
  'printer.error.reset': ['where'],
  'printer.error.io': ['where', 'detail'],
  'printer.error.permission': ['where'],
  // Sending a job: the printer may have part of it.
  'printer.error.writeTimeout': ['where', 'ms'],
  'printer.error.closedMidJob': ['where'],
  // Asking for status.
  'printer.error.noStatusReply': ['where', 'ms'],
  'printer.error.statusClosed': ['where'],
  'printer.error.statusReset': ['where'],
  'printer.error.replyTooLarge': ['where', 'limit'],
  'printer.error.malformedStatus': ['protocol'],
  'printer.error.oneWay': ['where'],
  'printer.error.notConfigured': [],
  /** Anything that is not a printer error of ours: {detail} is its own text. */
  'printer.error.other': ['detail'],
  // What the printer reports about itself.
  'printer.fault.headOpen': [],
  'printer.fault.paperOut': [],
  'printer.fault.ribbonOut': [],
  'printer.fault.paused': [],
  'printer.fault.bufferFull': [],
  'printer.fault.sensor': [],
  'printer.fault.headError': [],
  'printer.fault.card': [],
  'printer.fault.cutter': [],
  'printer.fault.other': [],
  // Status that cannot be known.
  'printer.status.noStatus': [],
  'printer.status.silent': [],
  // The queue's own words about a job.
  'printer.job.interrupted': [],
  'printer.job.queueClosed': [],
  'printer.job.notFound': ['id'],
  'printer.job.cancelled': [],
  'printer.job.stationClosing': [],
  'printer.job.printerReplaced': [],
  'printer.job.waiting': [],
} as const satisfies Record<string, readonly string[]>;

export type PrinterMessageKey = keyof typeof PRINTER_MESSAGE_PARAMS;
export const PRINTER_MESSAGE_KEYS = Object.keys(PRINTER_MESSAGE_PARAMS) as PrinterMessageKey[];

/** A key the station itself may send (the main side's own statuses and records). */
export const KnownPrinterMessageKey = z.enum(PRINTER_MESSAGE_KEYS as [PrinterMessageKey, ...PrinterMessageKey[]]);

/** The longest text a parameter carries; printerMessage cuts longer ones. */
export const PRINTER_PARAM_MAX = 500;

export const PrinterMessageParams = z.record(z.string().max(40), z.union([z.string().max(PRINTER_PARAM_MAX), z.number()]));
export type PrinterMessageParams = z.infer<typeof PrinterMessageParams>;

/**
 * A key on the wire: any printer.* key, not only today's, so a renderer older than the station shows the English
 * text for one it lacks instead of refusing the whole answer.
 */
export const PrinterMessageKeyText = z.string().regex(/^printer\.[a-z]+\.[A-Za-z]+$/, 'printer message key');

type ParamsOf<K extends PrinterMessageKey> = { [P in (typeof PRINTER_MESSAGE_PARAMS)[K][number]]: string | number };

export interface PrinterMessage<K extends PrinterMessageKey = PrinterMessageKey> {
  key: K;
  params: PrinterMessageParams;
}

/**
 * A message with the parameters its key's sentence needs, checked when it is built. A parameter that is some
 * other error's own text can be long: it is cut here, so it never makes the answer carrying it fail the contract.
 */
export function printerMessage<K extends PrinterMessageKey>(key: K, ...params: ParamsOf<K> extends Record<string, never> ? [] : [ParamsOf<K>]): PrinterMessage<K> {
  const given: Record<string, string | number> = params[0] ?? {};
  const cut = Object.fromEntries(
    Object.entries(given).map(([name, value]) => [name, typeof value === 'string' && value.length > PRINTER_PARAM_MAX ? `${value.slice(0, PRINTER_PARAM_MAX - 1)}…` : value]),
  );
  return { key, params: cut };
}
