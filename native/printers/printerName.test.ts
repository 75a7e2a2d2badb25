import { describe, expect, it } from 'vitest';
import { PrinterConfig } from '../../contract/config.js';
import { sampleLabel } from '../../contract/label.js';
import { PrinterError } from './errors.js';
import { createLabelPrinter } from './labelPrinter.js';

const sent: Buffer[] = [];
const transport = { name: 'tcp://127.0.0.1:9100', send: async (b: Buffer) => void sent.push(b) };

describe('the print outcome names the printer as the site does', () => {
  it('carries the configured name next to the address', async () => {
    const config = PrinterConfig.parse({ transport: 'tcp', host: '127.0.0.1', name: '出荷口プリンター' });
    const printer = createLabelPrinter(config, { transport, statusCheck: false });
    const outcome = await printer.print(sampleLabel({ language: 'ja' }));
    expect(outcome).toMatchObject({ status: 'printed', printer: 'tcp://127.0.0.1:9100', printerName: '出荷口プリンター' });
    expect(await printer.reprint(`label:${sampleLabel().lpn}`)).toMatchObject({ printerName: '出荷口プリンター' });
    await printer.close();
  });

  it('has no name when the site gave none (the screen then says "the label printer")', async () => {
    const printer = createLabelPrinter(PrinterConfig.parse({ transport: 'tcp', host: '127.0.0.1' }), { transport, statusCheck: false });
    const outcome = await printer.print(sampleLabel());
    expect(outcome.printerName).toBeUndefined();
    await printer.close();
  });
});

describe('a printer that prints without answering status', () => {
  const silent = { ...transport, exchange: async (): Promise<Buffer> => Promise.reject(new PrinterError('no_status_reply', 'status: 127.0.0.1:9100 sent no complete reply within 2000 ms')) };

  it('is "status unknown", not a fault, when its jobs do not wait for status (SATO outside Status4, the SBPL default)', async () => {
    const printer = createLabelPrinter(PrinterConfig.parse({ transport: 'tcp', host: '127.0.0.1', language: 'sbpl' }), { transport: silent });
    expect(await printer.status()).toMatchObject({ state: 'unknown', message: expect.stringMatching(/does not answer status requests.*Status4/) });
    expect(printer.lastStatus()?.state).toBe('unknown');
    await printer.close();
  });

  it('is a fault when its jobs wait for status (a Zebra that stops answering has its head open or no labels)', async () => {
    const printer = createLabelPrinter(PrinterConfig.parse({ transport: 'tcp', host: '127.0.0.1', language: 'zpl' }), { transport: silent });
    expect(await printer.status()).toMatchObject({ state: 'fault', reason: 'no_status_reply' });
    await printer.close();
  });

  it('is still unreachable when it is', async () => {
    const refused = { ...transport, exchange: async (): Promise<Buffer> => Promise.reject(new PrinterError('refused', 'ECONNREFUSED')) };
    const printer = createLabelPrinter(PrinterConfig.parse({ transport: 'tcp', host: '127.0.0.1', language: 'sbpl' }), { transport: refused });
    expect(await printer.status()).toMatchObject({ state: 'fault', reason: 'refused' });
    await printer.close();
  });
});
