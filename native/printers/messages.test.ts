// Each way a printer can fail reaches the screen as a printer.* key with the parameters its sentence needs
// (contract/printerMessages.ts), next to the English text for support.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrinterConfig } from '../../contract/config.js';
import { sampleLabel } from '../../contract/label.js';
import { PRINTER_MESSAGE_PARAMS, PrinterMessageParams } from '../../contract/printerMessages.js';
import { satoStatusReply } from '../../fixtures/printer-sim/statusReplies.js';
import { printerDeviceState } from '../devices/printerDevice.js';
import { exchangeTcp, sendTcp } from '../transports/tcp.js';
import { writeDeviceFile } from '../transports/deviceFile.js';
import { PrinterError, printerMessageOf } from './errors.js';
import { createLabelPrinter } from './labelPrinter.js';
import { statusFromError, statusFromFlags, unknownStatus } from './printerStatus.js';
import { querySatoStatus } from './sbplStatus.js';
import { queryZplStatus } from './zplStatus.js';
import type { PrinterTransport } from './tcpPrinter.js';
import { closedPort } from '../../fixtures/printer-sim/closedPort.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});


/** A server that answers every connection with `reply` (or nothing), and never closes on its own. */
async function server(onData: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  // Half-open: the client's FIN after a job does not close this end, as a printer that hangs would not.
  const s = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => onData(socket));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const k of sockets) k.destroy();
    return new Promise<void>((r) => s.close(() => r()));
  });
  return (s.address() as net.AddressInfo).port;
}

const failure = async (p: Promise<unknown>): Promise<PrinterError> => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof PrinterError)) throw new Error(`expected a PrinterError, got ${String(e)}`);
  return e;
};

/** The parameters a message carries are exactly the ones its key's sentence uses. */
const paramsFit = (e: PrinterError): void => {
  expect(Object.keys(e.said.params).sort()).toEqual([...PRINTER_MESSAGE_PARAMS[e.said.key]].sort());
};

describe('transport failures as keyed messages', () => {
  it('a printer that is off (connection refused) is printer.error.refused at its address', async () => {
    const port = await closedPort();
    const e = await failure(sendTcp({ host: '127.0.0.1', port }, 'x'));
    expect(e.reason).toBe('refused');
    expect(e.said).toEqual({ key: 'printer.error.refused', params: { where: `127.0.0.1:${port}` } });
    expect(e.message).toMatch(/ECONNREFUSED/);
    paramsFit(e);
  });

  it('no connection in time is printer.error.connectTimeout with the time allowed', async () => {
    // A socket that never connects, as to a printer that is off behind a switch that drops the SYN.
    const spy = vi.spyOn(net, 'createConnection').mockImplementation(() => new net.Socket());
    cleanups.push(() => spy.mockRestore());
    const e = await failure(sendTcp({ host: '10.0.0.9', port: 9100, connectTimeoutMs: 30 }, 'x'));
    expect(e.reason).toBe('timeout');
    expect(e.said).toEqual({ key: 'printer.error.connectTimeout', params: { where: '10.0.0.9:9100', ms: 30 } });
    paramsFit(e);
  });

  it('a printer that takes the bytes but never closes is printer.error.writeTimeout, and may have printed', async () => {
    const port = await server(() => undefined);
    const e = await failure(sendTcp({ host: '127.0.0.1', port, writeTimeoutMs: 100 }, 'x'));
    expect(e.maybeDelivered).toBe(true);
    expect(e.said).toEqual({ key: 'printer.error.writeTimeout', params: { where: `127.0.0.1:${port}`, ms: 100 } });
  });

  it('a status query without an answer is printer.error.noStatusReply; one that floods is printer.error.replyTooLarge', async () => {
    const silent = await server(() => undefined);
    const none = await failure(exchangeTcp({ host: '127.0.0.1', port: silent }, 'Q', () => false, 100));
    expect(none.said).toEqual({ key: 'printer.error.noStatusReply', params: { where: `127.0.0.1:${silent}`, ms: 100 } });
    const flood = await server((socket) => socket.write(Buffer.alloc(65 * 1024, 0x41)));
    const big = await failure(exchangeTcp({ host: '127.0.0.1', port: flood }, 'Q', () => false, 2000));
    expect(big.said).toEqual({ key: 'printer.error.replyTooLarge', params: { where: `127.0.0.1:${flood}`, limit: '64 KB' } });
    const hangUp = await server((socket) => socket.end('\x02half'));
    const closed = await failure(exchangeTcp({ host: '127.0.0.1', port: hangUp }, 'Q', () => false, 2000));
    expect(closed.said).toEqual({ key: 'printer.error.statusClosed', params: { where: `127.0.0.1:${hangUp}` } });
  });

  it('a missing USB printer device is printer.error.unreachable at its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-lp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'lp0');
    const e = await failure(writeDeviceFile(path, Buffer.from('x')));
    expect(e.said).toEqual({ key: 'printer.error.unreachable', params: { where: path } });
  });

  it('anything that is not a printer error is printer.error.other with its own words', () => {
    expect(printerMessageOf(new Error('boom'))).toEqual({ key: 'printer.error.other', params: { detail: 'boom' } });
    // However long that text is, the message still fits the contract that carries it.
    const long = printerMessageOf(new Error('x'.repeat(5000)));
    expect(PrinterMessageParams.safeParse(long.params).success).toBe(true);
    expect(String(long.params.detail)).toMatch(/^x+…$/);
    // A fault reason is a sentence by itself.
    expect(new PrinterError('paper_out', 'Out of labels').said).toEqual({ key: 'printer.fault.paperOut', params: {} });
  });
});

describe('printer status as keyed messages', () => {
  const flags = { paperOut: false, headOpen: false, paused: false, ribbonOut: false };

  it('says each flag fault (head first) and nothing when ready', () => {
    expect(statusFromFlags({ ...flags, paperOut: true, headOpen: true })).toMatchObject({ message: 'Print head is open', messageKey: 'printer.fault.headOpen', messageParams: {} });
    expect(statusFromFlags({ ...flags, paperOut: true })).toMatchObject({ messageKey: 'printer.fault.paperOut' });
    expect(statusFromFlags({ ...flags, ribbonOut: true })).toMatchObject({ messageKey: 'printer.fault.ribbonOut' });
    expect(statusFromFlags({ ...flags, paused: true })).toMatchObject({ messageKey: 'printer.fault.paused' });
    expect(statusFromFlags(flags)).toMatchObject({ state: 'ready', message: null, messageKey: null });
    expect(unknownStatus()).toMatchObject({ state: 'unknown', messageKey: 'printer.status.noStatus' });
    expect(statusFromError(new PrinterError('refused', 'ECONNREFUSED', false, { said: { key: 'printer.error.refused', params: { where: 'h:1' } } }))).toMatchObject({
      messageKey: 'printer.error.refused',
      messageParams: { where: 'h:1' },
    });
  });

  const replying = (reply: Buffer): PrinterTransport => ({ name: 'tcp://h:1', send: async () => undefined, exchange: async () => reply });

  it('a SATO error with no flag of its own (cutter) is its own fault, on the device list too', async () => {
    const s = await querySatoStatus(replying(Buffer.from('\x02  j000000' + ' '.repeat(16) + '\x03', 'latin1')));
    expect(s).toMatchObject({ state: 'fault', message: 'Printer error: cutter error', messageKey: 'printer.fault.cutter' });
    expect(printerDeviceState(s)).toEqual({ state: 'error', reason: 'cutter error', code: 'printerFault', params: { faults: 'cutter' } });
  });

  it('a status reply that cannot be read is printer.error.malformedStatus, not "unreachable"', async () => {
    const sato = await querySatoStatus(replying(Buffer.from('\x02garbage\x03', 'latin1')));
    expect(sato).toMatchObject({ state: 'fault', messageKey: 'printer.error.malformedStatus', messageParams: { protocol: 'SATO' } });
    expect(printerDeviceState(sato)).toMatchObject({ state: 'error', code: 'printerBadReply' });
    const zpl = await queryZplStatus(replying(Buffer.from('\x02hello\x03\x02x\x03\x02y\x03', 'latin1')));
    expect(zpl).toMatchObject({ messageKey: 'printer.error.malformedStatus', messageParams: { protocol: 'ZPL' } });
  });

  it('a SATO paper end still reads as the paper-out flag', async () => {
    const s = await querySatoStatus(replying(satoStatusReply({ paperOut: true, paused: false, headOpen: false, ribbonOut: false, formatsInBuffer: 0, labelsRemaining: 0 })));
    expect(s).toMatchObject({ paperOut: true, messageKey: 'printer.fault.paperOut' });
  });

  it('a SATO outside Status4 is "status unknown" with the Status4 hint as a key', async () => {
    const silent: PrinterTransport = {
      name: 'tcp://h:1',
      send: async () => undefined,
      exchange: async () => Promise.reject(new PrinterError('no_status_reply', 'no reply', false, { said: { key: 'printer.error.noStatusReply', params: { where: 'h:1', ms: 5 } } })),
    };
    const printer = createLabelPrinter(PrinterConfig.parse({ transport: 'tcp', host: '127.0.0.1', language: 'sbpl' }), { transport: silent });
    expect(await printer.status()).toMatchObject({ state: 'unknown', messageKey: 'printer.status.silent', message: expect.stringMatching(/Status4/) });
    await printer.close();
  });

  it('a job held back by a fault carries the fault as its last error, key and all', async () => {
    const paperOut: PrinterTransport = {
      name: 'tcp://h:1',
      send: async () => undefined,
      exchange: async () => Buffer.from('\x02030,1,0,0812,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n', 'latin1'),
    };
    const printer = createLabelPrinter(PrinterConfig.parse({ transport: 'tcp', host: '127.0.0.1', language: 'zpl' }), { transport: paperOut, retry: { initialDelayMs: 60_000 } });
    const outcome = await printer.print(sampleLabel());
    expect(outcome).toMatchObject({ status: 'queued', message: 'Out of labels', messageKey: 'printer.fault.paperOut', messageParams: {} });
    expect(printer.jobs()[0]).toMatchObject({ lastError: 'Out of labels', lastErrorKey: 'printer.fault.paperOut', lastErrorParams: {} });
    expect(printer.queueStatus()).toMatchObject({ lastErrorKey: 'printer.fault.paperOut' });
    await printer.close();
  });

  it('says "no printer" as a key too', async () => {
    const none = createLabelPrinter(PrinterConfig.parse({ transport: 'none' }));
    expect(await none.print(sampleLabel())).toMatchObject({ status: 'failed', messageKey: 'printer.error.notConfigured' });
  });
});
