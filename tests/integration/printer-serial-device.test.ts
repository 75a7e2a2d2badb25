// Printers on a serial port (real serialport over a socat pty pair) and on a device file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrinterConfig } from '../../contract/config.js';
import { startSerialPrinterSim, type SerialPrinterSim } from '../../fixtures/printer-sim/serialPrinter.js';
import { renderSbpl } from '../../native/labels/sbpl.js';
import { sampleLabel } from '../../contract/label.js';
import { renderZpl } from '../../native/labels/zpl.js';
import { createLabelPrinter, type LabelPrinter } from '../../native/printers/labelPrinter.js';
import { writeDeviceFile } from '../../native/transports/deviceFile.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function serialSim(mode: 'zpl' | 'sbpl' = 'zpl'): Promise<SerialPrinterSim> {
  const sim = await startSerialPrinterSim({ mode });
  cleanups.push(() => sim.close());
  return sim;
}

function printer(config: PrinterConfig, statusCheck?: boolean): LabelPrinter {
  const p = createLabelPrinter(config, { retry: { initialDelayMs: 50, maxDelayMs: 200 }, ...(statusCheck === undefined ? {} : { statusCheck }) });
  cleanups.push(() => p.close());
  return p;
}

const drained = (p: LabelPrinter): Promise<void> => new Promise((resolve) => p.onChange((s) => s.pending === 0 && resolve()));

describe('serial printer over a pty pair', () => {
  it('prints ZPL byte for byte after checking ~HS, and holds the label while out of paper', async () => {
    const sim = await serialSim();
    const p = printer({ transport: 'serial', path: sim.devicePath, baudRate: 9600, language: 'zpl', timeoutMs: 1000 });
    sim.setStatus({ paperOut: true });
    // The port opens asynchronously; until then the job is queued as unreachable.
    const first = await p.print(sampleLabel());
    expect(first.status).toBe('queued');
    expect(sim.jobs).toHaveLength(0);
    await expect.poll(() => p.queueStatus().lastError, { timeout: 5000 }).toBe('Out of labels');
    const done = drained(p);
    sim.setStatus({ paperOut: false });
    await done;
    const [job] = await sim.waitForJobs(1);
    expect(job).toEqual(Buffer.from(renderZpl(sampleLabel()), 'utf8'));
    expect(sim.statusQueries).toBeGreaterThan(0);
  });

  it('queues while the cable is pulled and prints once when it is back', async () => {
    const sim = await serialSim();
    const p = printer({ transport: 'serial', path: sim.devicePath, baudRate: 9600, language: 'zpl', timeoutMs: 1000 });
    await expect.poll(async () => (await p.status()).state, { timeout: 5000 }).toBe('ready');
    await sim.unplug();
    await expect(p.print(sampleLabel())).resolves.toMatchObject({ status: 'queued' });
    const done = drained(p);
    await sim.plug();
    await done;
    await sim.waitForJobs(1);
    await p.print(sampleLabel({ lpn: 'LPN-2' }));
    await sim.waitForJobs(2);
    expect(sim.jobs.map((j) => /\^FD>:([^^]+)\^FS/.exec(j.toString())?.[1])).toEqual(['LPN-000123', 'LPN-2']);
  });

  it('prints SBPL with Shift_JIS and reads SATO ENQ status', async () => {
    const sim = await serialSim('sbpl');
    const p = printer({ transport: 'serial', path: sim.devicePath, baudRate: 9600, language: 'sbpl', timeoutMs: 1000 }, true);
    await expect.poll(async () => (await p.status()).state, { timeout: 5000 }).toBe('ready');
    sim.setStatus({ headOpen: true });
    await expect(p.status()).resolves.toMatchObject({ state: 'fault', headOpen: true });
    sim.setStatus({ headOpen: false });
    await expect(p.print(sampleLabel())).resolves.toMatchObject({ status: 'printed' });
    const [job] = await sim.waitForJobs(1);
    expect(job).toEqual(renderSbpl(sampleLabel()));
  });
});

describe('device-file printer', () => {
  it('writes the job to the device and reports status as unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const device = join(dir, 'lp0');
    writeFileSync(device, ''); // stands in for /dev/usb/lp0, which already exists when plugged in
    const p = printer({ transport: 'device', path: device, language: 'zpl', timeoutMs: 2000 });
    await expect(p.print(sampleLabel())).resolves.toEqual({ status: 'printed', printer: `file://${device}` });
    expect(readFileSync(device)).toEqual(Buffer.from(renderZpl(sampleLabel()), 'utf8'));
    await expect(p.status()).resolves.toMatchObject({ state: 'unknown' });
  });

  it('does not create a missing device, and queues the job as unreachable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const device = join(dir, 'lp9');
    await expect(writeDeviceFile(device, Buffer.from('x'))).rejects.toMatchObject({ reason: 'unreachable', maybeDelivered: false });
    const p = printer({ transport: 'device', path: device, language: 'zpl', timeoutMs: 2000 });
    await expect(p.print(sampleLabel())).resolves.toMatchObject({ status: 'queued' });
    expect(() => readFileSync(device)).toThrow(/ENOENT/);
  });
});
