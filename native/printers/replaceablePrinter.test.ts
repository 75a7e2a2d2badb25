// A lead replaces the bench printer while labels are in flight and waiting: the label being sent must finish on the
// old printer and print nowhere else, the waiting ones must print once on the new one, in the new one's language.
import { describe, expect, it } from 'vitest';
import type { PrinterConfig } from '../../contract/printerConfig.js';
import { sampleLabel } from '../../contract/label.js';
import { createLabelPrinter } from './labelPrinter.js';
import { MemoryPrintJobStore } from './printJobStore.js';
import { replaceablePrinter } from './replaceablePrinter.js';
import type { PrinterTransport } from './tcpPrinter.js';

/** A one-way printer that records each job; `hold` keeps the next send open until released. */
function fakePrinter(name: string) {
  const jobs: Buffer[] = [];
  let release: (() => void) | null = null;
  let holding = false;
  const transport: PrinterTransport = {
    name,
    send: async (payload) => {
      if (holding) {
        holding = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      jobs.push(payload);
    },
  };
  return {
    transport,
    jobs,
    hold: () => (holding = true),
    release: () => release?.(),
    sending: () => release !== null,
  };
}

const zebra: PrinterConfig = { transport: 'tcp', host: 'old', port: 9100, language: 'zpl', timeoutMs: 1000 };
const sato: PrinterConfig = { transport: 'tcp', host: 'new', port: 9100, language: 'sbpl', timeoutMs: 1000 };
/** An SBPL job: STX, then ESC A (start of the job). */
const SBPL_START = '\x02\x1bA';

describe('replaceablePrinter', () => {
  it('the label in flight finishes on the old printer; the waiting one prints once, on the new one, in its language', async () => {
    const store = new MemoryPrintJobStore();
    const old = fakePrinter('tcp://old:9100');
    const next = fakePrinter('tcp://new:9100');
    const printer = replaceablePrinter(zebra, (c) =>
      createLabelPrinter(c, { store, transport: c.transport === 'tcp' && c.host === 'old' ? old.transport : next.transport, retry: { initialDelayMs: 5, maxDelayMs: 5 } }),
    );
    old.hold();
    const first = printer.print(sampleLabel({ lpn: 'LPN-IN-FLIGHT' }));
    const second = printer.print(sampleLabel({ lpn: 'LPN-WAITING' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(old.sending()).toBe(true);

    const replaced = printer.replace(sato);
    await new Promise((r) => setTimeout(r, 20));
    // Nothing goes to the new printer while the old one may still be taking a label.
    expect(next.jobs).toHaveLength(0);
    old.release();
    await replaced;
    await expect(first).resolves.toMatchObject({ status: 'printed', printer: 'tcp://old:9100' });
    await expect(second).resolves.toMatchObject({ status: 'queued', messageKey: 'printer.job.printerReplaced' });
    await new Promise<void>((resolve) => {
      const poll = () => (printer.queueStatus().pending === 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });

    expect(old.jobs.map((j) => j.toString('latin1'))).toEqual([expect.stringContaining('LPN-IN-FLIGHT')]);
    expect(next.jobs).toHaveLength(1);
    // Rendered again for the SATO: SBPL (STX ESC A … ESC Z), not the Zebra's ZPL it was queued in.
    expect(next.jobs[0]?.toString('latin1').startsWith(SBPL_START)).toBe(true);
    expect(next.jobs[0]?.toString('latin1')).toContain('LPN-WAITING');
    expect(next.jobs[0]?.toString('latin1')).not.toContain('^XA');
    expect(printer.name).toBe('tcp://new:9100');
    expect(printer.language).toBe('sbpl');

    // A reprint of the label the Zebra printed comes out of the SATO in SBPL too.
    await expect(printer.reprint('label:LPN-IN-FLIGHT')).resolves.toMatchObject({ status: 'printed', printer: 'tcp://new:9100' });
    expect(next.jobs[1]?.toString('latin1').startsWith(SBPL_START)).toBe(true);
    expect(next.jobs[1]?.toString('latin1')).toContain('LPN-IN-FLIGHT');
    await printer.close();
  });

  it('a print asked for while the printer is being replaced waits for the new printer instead of failing', async () => {
    const store = new MemoryPrintJobStore();
    const old = fakePrinter('tcp://old:9100');
    const next = fakePrinter('tcp://new:9100');
    const printer = replaceablePrinter(zebra, (c) => createLabelPrinter(c, { store, transport: c.transport === 'tcp' && c.host === 'old' ? old.transport : next.transport }));
    old.hold();
    void printer.print(sampleLabel({ lpn: 'LPN-1' }));
    await new Promise((r) => setTimeout(r, 20));
    const replaced = printer.replace({ ...zebra, host: 'new' });
    const during = printer.print(sampleLabel({ lpn: 'LPN-2' }));
    old.release();
    await replaced;
    await expect(during).resolves.toMatchObject({ status: 'printed', printer: 'tcp://new:9100' });
    await printer.close();
  });
});
