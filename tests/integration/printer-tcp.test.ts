import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { renderSbpl } from '../../native/labels/sbpl.js';
import { labelJobId, sampleLabel } from '../../contract/label.js';
import { renderZpl } from '../../native/labels/zpl.js';
import { PrinterError } from '../../native/printers/errors.js';
import { createLabelPrinter, type LabelPrinter } from '../../native/printers/labelPrinter.js';
import { sendTcp } from '../../native/transports/tcp.js';
import { closedPort } from '../../fixtures/printer-sim/closedPort.js';
import { printerDeviceState } from '../../native/devices/printerDevice.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function sim(options: Parameters<typeof startTcpPrinterSim>[0] = {}): Promise<TcpPrinterSim> {
  const s = await startTcpPrinterSim(options);
  cleanups.push(() => s.close());
  return s;
}

function printerAt(port: number, language: 'zpl' | 'sbpl' = 'zpl'): LabelPrinter {
  const p = createLabelPrinter(
    { transport: 'tcp', host: '127.0.0.1', port, language, timeoutMs: 1000 },
    { retry: { initialDelayMs: 20, maxDelayMs: 50 } },
  );
  cleanups.push(() => p.close());
  return p;
}


describe('TCP 9100 printing against the printer simulator', () => {
  it('delivers a ZPL label byte for byte', async () => {
    const printer = await sim();
    const label = sampleLabel();
    await expect(printerAt(printer.port).print(label)).resolves.toEqual({ status: 'printed', printer: `tcp://127.0.0.1:${printer.port}` });
    const [job] = await printer.waitForJobs(1);
    expect(job).toEqual(Buffer.from(renderZpl(label), 'utf8'));
  });

  it('delivers an SBPL label byte for byte, Shift_JIS and all', async () => {
    const printer = await sim({ mode: 'sbpl' });
    const label = sampleLabel();
    await expect(printerAt(printer.port, 'sbpl').print(label)).resolves.toMatchObject({ status: 'printed' });
    const [job] = await printer.waitForJobs(1);
    expect(job).toEqual(renderSbpl(label));
  });

  it('sends one job in many chunks intact', async () => {
    const printer = await sim();
    const big = Buffer.alloc(2 * 1024 * 1024, 'A');
    await sendTcp({ host: '127.0.0.1', port: printer.port }, big);
    const [job] = await printer.waitForJobs(1);
    expect(job?.equals(big)).toBe(true);
  });

  it('says "refused" when nothing listens, and that nothing was delivered', async () => {
    const port = await closedPort();
    const err = await sendTcp({ host: '127.0.0.1', port }, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrinterError);
    expect(err).toMatchObject({ reason: 'refused', maybeDelivered: false });
  });

  it('says "timeout" when the printer takes the connection but never closes it', async () => {
    const server = net.createServer({ allowHalfOpen: true }, (s) => s.resume()); // reads, never closes
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const sockets = new Set<net.Socket>();
    server.on('connection', (s) => sockets.add(s));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const { port } = server.address() as net.AddressInfo;
    const err = await sendTcp({ host: '127.0.0.1', port, writeTimeoutMs: 200 }, 'x').catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'timeout', maybeDelivered: true });
  });

  it('a printer that accepts and closes at once has not printed: the label stays queued and prints once it takes jobs', async () => {
    const printer = await sim({ mode: 'sbpl' });
    printer.setStatus({ closeOnConnect: true });
    // SBPL: no status check before the job, so only the print connection can tell.
    const p = printerAt(printer.port, 'sbpl');
    const outcome = await p.print(sampleLabel());
    expect(outcome).toMatchObject({ status: 'queued', messageKey: 'printer.error.reset' });
    expect(p.jobs().map((j) => [j.id, j.state])).toEqual([[labelJobId('LPN-000123'), 'pending']]);
    const err = await sendTcp({ host: '127.0.0.1', port: printer.port }, 'x').catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'reset', maybeDelivered: false });
    const drained = new Promise<void>((resolve) => p.onChange((s) => s.pending === 0 && resolve()));
    printer.setStatus({ closeOnConnect: false });
    await drained;
    expect(p.jobs()).toEqual([]);
    expect(printer.jobs).toEqual([renderSbpl(sampleLabel())]);
  });

  it('queues a label while the printer is down and prints it exactly once when it comes back', async () => {
    const port = await closedPort();
    const printer = printerAt(port);
    const outcome = await printer.print(sampleLabel());
    expect(outcome.status).toBe('queued');
    expect(printer.queueStatus().pending).toBe(1);

    const drained = new Promise<void>((resolve) => printer.onChange((s) => s.pending === 0 && resolve()));
    const back = await sim({ port });
    await drained;
    expect(printer.jobs()).toEqual([]);
    // Printing the same item again (a retried API call) must not print a second label.
    await expect(printer.print(sampleLabel())).resolves.toMatchObject({ status: 'printed' });
    // Another label goes through the same queue: only then is the first one known to be alone.
    await printer.print(sampleLabel({ lpn: 'LPN-000124' }));
    const jobs = await back.waitForJobs(2);
    expect(jobs.map((j) => /\^FD>:LPN-(\d+)\^FS/.exec(j.toString())?.[1])).toEqual(['000123', '000124']);
  });

  it('does not reprint by itself when the printer dropped the connection after taking the job', async () => {
    const printer = await sim();
    printer.setStatus({ resetAfterJob: true });
    const p = printerAt(printer.port);
    const outcome = await p.print(sampleLabel());
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/may have received/);
    printer.setStatus({ resetAfterJob: false });
    // A later job goes out; the uncertain one is still held, not resent.
    await expect(p.print(sampleLabel({ lpn: 'LPN-2' }))).resolves.toMatchObject({ status: 'printed' });
    expect(printer.jobs).toHaveLength(2);
    expect(p.jobs().map((j) => [j.id, j.state])).toEqual([[labelJobId('LPN-000123'), 'uncertain']]);
    // Reprint on the operator's word.
    await expect(p.reprint(labelJobId('LPN-000123'))).resolves.toMatchObject({ status: 'printed' });
    expect(printer.jobs).toHaveLength(3);
  });
});

describe('printer status over TCP', () => {
  it('reports paper out, head open and paused from ~HS, and ready once cleared', async () => {
    const printer = await sim();
    const p = printerAt(printer.port);
    await expect(p.status()).resolves.toMatchObject({ state: 'ready' });
    printer.setStatus({ paperOut: true });
    await expect(p.status()).resolves.toMatchObject({ state: 'fault', paperOut: true, reason: 'paper_out', message: 'Out of labels' });
    printer.setStatus({ paperOut: false, headOpen: true });
    await expect(p.status()).resolves.toMatchObject({ state: 'fault', headOpen: true, reason: 'head_open' });
    printer.setStatus({ headOpen: false, paused: true });
    await expect(p.status()).resolves.toMatchObject({ state: 'fault', paused: true, reason: 'paused' });
  });

  it('treats a printer that does not answer ~HS as faulted', async () => {
    const printer = await sim();
    printer.setStatus({ noReply: true });
    const p = createLabelPrinter({ transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'zpl', timeoutMs: 1000 }, { statusTimeoutMs: 150 });
    cleanups.push(() => p.close());
    await expect(p.status()).resolves.toMatchObject({ state: 'fault', reason: 'no_status_reply' });
    expect(printer.statusQueries).toBe(1);
  });

  it('a printer that takes jobs but resets the status query is "drops status requests", not "unreachable"', async () => {
    const printer = await sim();
    printer.setStatus({ resetStatusQueries: true });
    const p = printerAt(printer.port);
    const s = await p.status();
    expect(printer.statusQueries).toBe(1);
    expect(s).toMatchObject({ state: 'fault', reason: 'no_status_reply', messageKey: 'printer.error.statusReset', messageParams: { where: `127.0.0.1:${printer.port}` } });
    expect(printerDeviceState(s)).toMatchObject({ state: 'error', code: 'printerStatusRefused' });
    // It is there: the print connection still takes a job.
    await sendTcp({ host: '127.0.0.1', port: printer.port }, '^XA^XZ');
    await expect(printer.waitForJobs(1)).resolves.toHaveLength(1);
    // Nothing listening is still what "unreachable" means.
    const gone = await printerAt(await closedPort()).status();
    expect(printerDeviceState(gone)).toMatchObject({ state: 'reconnecting', code: 'printerUnreachable' });
  });

  it('a SATO that resets ENQ, with no status check before jobs, prints and shows as connected without status', async () => {
    const printer = await sim({ mode: 'sbpl' });
    printer.setStatus({ resetStatusQueries: true });
    const p = printerAt(printer.port, 'sbpl');
    const s = await p.status();
    expect(printer.statusQueries).toBe(1);
    expect(printerDeviceState(s)).toMatchObject({ state: 'connected', code: 'printerNoStatus' });
    await expect(p.print(sampleLabel())).resolves.toMatchObject({ status: 'printed' });
  });

  it('ends a status query whose reply floods in, instead of keeping every byte', async () => {
    // A device on port 9100 that answers ~HS with an endless stream (never three lines of status).
    const server = net.createServer((s) => {
      const junk = Buffer.alloc(16 * 1024, 0x41);
      const pump = (): void => {
        while (!s.destroyed && s.write(junk));
        if (!s.destroyed) s.once('drain', pump);
      };
      s.once('data', pump);
      s.on('error', () => undefined);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));
    const port = (server.address() as net.AddressInfo).port;
    const p = createLabelPrinter({ transport: 'tcp', host: '127.0.0.1', port, language: 'zpl', timeoutMs: 1000 }, { statusTimeoutMs: 5000 });
    cleanups.push(() => p.close());
    // Stopped at the limit, not by the (long) status timeout, which says otherwise.
    await expect(p.status()).resolves.toMatchObject({ state: 'fault', reason: 'no_status_reply', message: expect.stringContaining('more than 64 KB') });
  });

  it('holds a label while the printer is out of paper and prints it after the roll is changed', async () => {
    const printer = await sim();
    printer.setStatus({ paperOut: true });
    const p = printerAt(printer.port);
    const outcome = await p.print(sampleLabel());
    expect(outcome).toMatchObject({ status: 'queued', message: 'Out of labels' });
    expect(printer.jobs).toHaveLength(0);
    const drained = new Promise<void>((resolve) => p.onChange((s) => s.pending === 0 && resolve()));
    printer.setStatus({ paperOut: false });
    await drained;
    expect(printer.jobs).toHaveLength(1);
  });

  it('asks a SATO printer with ENQ', async () => {
    const printer = await sim({ mode: 'sbpl' });
    const p = createLabelPrinter({ transport: 'tcp', host: '127.0.0.1', port: printer.port, language: 'sbpl', timeoutMs: 1000 }, { statusCheck: true });
    cleanups.push(() => p.close());
    await expect(p.status()).resolves.toMatchObject({ state: 'ready' });
    printer.setStatus({ ribbonOut: true });
    await expect(p.status()).resolves.toMatchObject({ state: 'fault', ribbonOut: true, reason: 'ribbon_out' });
    await expect(p.print(sampleLabel())).resolves.toMatchObject({ status: 'queued' });
    printer.setStatus({ ribbonOut: false });
    p.retryNow();
    const [job] = await printer.waitForJobs(1);
    expect(job).toEqual(renderSbpl(sampleLabel()));
  });
});
