import { describe, expect, it } from 'vitest';
import { PrinterConfig } from '../../contract/config.js';
import { sampleLabel } from '../../contract/label.js';
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
