// Printer transports besides TCP: a serial port (two-way) and a device file (one-way).
import { writeDeviceFile } from '../transports/deviceFile.js';
import type { ByteTransport } from '../transports/serial.js';
import { ReplyCollector } from '../transports/replyCollector.js';
import { printerMessage } from '../../contract/printerMessages.js';
import { PrinterError } from './errors.js';
import type { PrinterTransport } from './tcpPrinter.js';

/**
 * A printer on a serial port, over the reconnecting serial transport (started here). Sends and
 * status queries take turns so a status reply is never mixed with another exchange.
 */
export function createSerialPrinterTransport(port: ByteTransport): PrinterTransport {
  port.start();
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn, fn);
    turn = run.catch(() => undefined);
    return run;
  };
  const notConnected = (): PrinterError => {
    const s = port.status();
    return new PrinterError('unreachable', `${port.label}: ${s.reason ?? s.state}`, false, { said: printerMessage('printer.error.unreachable', { where: port.label }) });
  };
  return {
    name: `serial://${port.label}`,
    send: (payload) =>
      inTurn(async () => {
        if (port.status().state !== 'connected') throw notConnected();
        try {
          await port.write(payload);
        } catch (e) {
          // Part of the job may already be in the printer's buffer.
          const detail = e instanceof Error ? e.message : String(e);
          throw new PrinterError('io', detail, true, { cause: e, said: printerMessage('printer.error.io', { where: port.label, detail }) });
        }
      }),
    exchange: (request, isComplete, timeoutMs) =>
      inTurn(async () => {
        if (port.status().state !== 'connected') throw notConnected();
        const collected = new ReplyCollector();
        let off: () => void = () => undefined;
        try {
          return await new Promise<Buffer>((resolve, reject) => {
            const timer = setTimeout(
              () =>
                reject(
                  new PrinterError('no_status_reply', `${port.label}: no complete status reply within ${timeoutMs} ms`, false, {
                    said: printerMessage('printer.error.noStatusReply', { where: port.label, ms: timeoutMs }),
                  }),
                ),
              timeoutMs,
            );
            off = port.onData((chunk) => {
              const reply = collected.add(chunk);
              if (reply === null) {
                clearTimeout(timer);
                reject(
                  new PrinterError('no_status_reply', `${port.label}: sent more than ${collected.limitWords} without a complete status reply`, false, {
                    said: printerMessage('printer.error.replyTooLarge', { where: port.label, limit: collected.limitWords }),
                  }),
                );
                return;
              }
              if (isComplete(reply)) {
                clearTimeout(timer);
                resolve(reply);
              }
            });
            port.write(request).catch((e: unknown) => {
              clearTimeout(timer);
              const detail = e instanceof Error ? e.message : String(e);
              reject(new PrinterError('io', detail, false, { cause: e, said: printerMessage('printer.error.io', { where: port.label, detail }) }));
            });
          });
        } finally {
          off();
        }
      }),
    close: () => port.close(),
  };
}

export function createDeviceFilePrinterTransport(path: string, timeoutMs = 10_000): PrinterTransport {
  return {
    name: `file://${path}`,
    send: (payload) => writeDeviceFile(path, payload, timeoutMs),
  };
}
