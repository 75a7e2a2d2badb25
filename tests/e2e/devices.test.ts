// The Devices screen against device simulators speaking their real protocols: a serial scanner and
// an A&D scale over socat ptys, an LLRP reader and a ZPL printer on 127.0.0.1.
import { toBuffer } from 'bwip-js/node';
import tds from 'epc-tds';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdScaleSim } from '../../fixtures/device-sims/scaleSim.js';
import { GS, SerialScannerSim } from '../../fixtures/device-sims/scannerSim.js';
import { LlrpReaderSimulator } from '../../fixtures/rfid-sims/llrpSim.js';
import { openScreen, signIn, startBench, wedgeScan, type Bench, eventually } from './harness.js';

const sgtin = (gtin14: string, serial: number): string =>
  new tds.Sgtin96().setFilter(1).setPartition(6).setGtin(gtin14).setSerial(serial).toHexString().toUpperCase();

let bench: Bench;
let page: Page;
let scanner: SerialScannerSim;
let scale: AdScaleSim;
let llrp: LlrpReaderSimulator;

beforeAll(async () => {
  scanner = await SerialScannerSim.open();
  scale = await AdScaleSim.open();
  scale.set({ value: 1234.5, unit: 'g', stable: true });
  llrp = new LlrpReaderSimulator({ reportIntervalMs: 50 });
  await llrp.start();
  bench = await startBench({
    devices: [
      { id: 'scanner-1', driver: 'serial-scanner', serial: { path: scanner.path, baudRate: 9600 } },
      { id: 'scale-1', driver: 'ad-scale', serial: { path: scale.path } },
      { id: 'rfid-door', driver: 'llrp-rfid', llrp: { host: '127.0.0.1', port: llrp.port, keepaliveMs: 1000 } },
    ],
  });
  page = await bench.newPage({ language: 'en' });
}, 120_000);

afterAll(async () => {
  await bench?.close();
  await scanner?.close();
  await scale?.close();
  await llrp?.stop();
});

describe('Devices screen', () => {
  it('shows every device connected, and a scanner unplugged as reconnecting with the reason', async () => {
    const lead = bench.sample.operators.lead;
    await signIn(page, lead.badge, lead.pin);
    // Open a parcel first, so the tag read below is matched against its lines.
    await wedgeScan(page, bench.sample.trackingNumber);
    await page.getByTestId('parcel-header').waitFor();
    // Unplugged mid-shift: the bench hears it on the screen it works on, not only on the Devices screen.
    const alert = page.locator('[data-testid="device-alert"][data-device-id="scanner-1"]');
    await scanner.unplug();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Scanner: (Reconnecting|Error) — .{20,}/);
    await scanner.replug();
    await alert.waitFor({ state: 'detached', timeout: 20_000 });
    await openScreen(page, 'devices');
    for (const id of ['scanner-1', 'scale-1', 'rfid-door']) {
      await page.locator(`[data-testid="device"][data-device-id="${id}"][data-state="connected"]`).waitFor();
    }
    await scanner.unplug();
    const down = page.locator('[data-testid="device"][data-device-id="scanner-1"]:not([data-state="connected"])');
    await down.waitFor();
    expect(['reconnecting', 'error']).toContain(await down.getAttribute('data-state'));
    expect(((await down.textContent()) ?? '').length).toBeGreaterThan(20);
    await scanner.replug();
    await page.locator('[data-testid="device"][data-device-id="scanner-1"][data-state="connected"]').waitFor({ timeout: 20_000 });
  });

  it('lists the raw scans of the serial scanner with the GS separator visible, and wedge scans too', async () => {
    await scanner.scan(`0104912345678904${GS}10LOT42`, ']C1');
    const row = page.locator('[data-testid="scan-row"]', { hasText: '10LOT42' });
    await row.first().waitFor();
    await eventually(() => row.first().textContent(), (v) => expect(v).toContain('<GS>'));
    // Listed once, as the station keeps it (with its symbology), not a second time as the screen heard it.
    await expect(row.count()).resolves.toBe(1);
    await expect(row.first().textContent()).resolves.toContain('gs1-128');
    await wedgeScan(page, '4901234567894');
    await page.locator('[data-testid="scan-row"][data-source="wedge"]', { hasText: '4901234567894' }).waitFor();
    // A scan on this screen is shown, not looked up: the screen stays.
    await eventually(() => page.getByTestId('screen-devices').count(), (v) => expect(v).toBe(1));
  });

  it('answers an unreadable frame from the serial scanner at the intake screen, and reads the next frame', async () => {
    await openScreen(page, 'intake');
    // A wrong baud rate looks like this: bytes that are not text, then the terminator.
    await scanner.raw(Buffer.from([0xff, 0xfe, 0x81, 0x02, 0x0d]));
    const notice = page.locator('[data-testid="notice"][data-code="SCANNER"]');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/The scanner \(.+\) sent something that is not a readable barcode/);
    // The frame after it is read as usual.
    await openScreen(page, 'devices');
    await scanner.scan('AFTER-GARBAGE-1');
    const after = page.locator('[data-testid="scan-row"]', { hasText: 'AFTER-GARBAGE-1' });
    await after.first().waitFor();
    // Sent without an AIM identifier: said in words, not as the contract's "unknown".
    await expect(after.first().textContent()).resolves.toContain('not identified (no AIM prefix)');
  });

  it('reads the weight from the scale', async () => {
    await page.getByTestId('read-weight').click();
    const w = page.getByTestId('weight');
    await w.waitFor();
    await eventually(() => w.getAttribute('data-grams'), (v) => expect(v).toBe('1234.5'));
    await eventually(() => w.textContent(), (v) => expect(v).toContain('stable'));
  });

  it('reads tags, decodes GTIN and serial, and matches them to the open parcel', async () => {
    llrp.tags = [{ epcHex: sgtin(bench.sample.firstLine.gtin, 1001), antenna: 1, peakRssi: -50 }];
    await page.getByTestId('read-tags').click();
    const row = page.getByTestId('tag-row').first();
    await row.waitFor({ timeout: 20_000 });
    await eventually(() => row.textContent(), (v) => expect(v).toContain('SGTIN-96'));
    await eventually(() => row.textContent(), (v) => expect(v).toContain(bench.sample.firstLine.gtin));
    await eventually(() => row.textContent(), (v) => expect(v).toContain('1001'));
    await eventually(() => page.getByTestId('tags-match').textContent(), (v) => expect(v).toContain('1/'));
  });

  it('prints a test label and detects ports', async () => {
    const before = bench.printer.jobs.length;
    await page.getByTestId('test-print').click();
    await page.locator('[data-testid="test-print-result"][data-status="printed"]').waitFor();
    const jobs = await bench.printer.waitForJobs(before + 1, 10_000);
    expect(jobs.at(-1)?.toString('utf8')).toContain('TEST-');
    await page.getByTestId('detect').click();
    await page.getByTestId('detected-ports').waitFor();
  });

  it('says the printer\'s fault in the operator\'s language, with the station\'s English in the tooltip', async () => {
    const ja = await bench.newPage({ language: 'ja' });
    const lead = bench.sample.operators.lead;
    bench.printer.setStatus({ paperOut: true });
    try {
      await signIn(ja, lead.badge, lead.pin);
      await openScreen(ja, 'devices');
      const health = ja.locator('[data-testid="printer-health"][data-key="printer.fault.paperOut"]');
      await health.waitFor({ timeout: 30_000 });
      await expect(health.textContent()).resolves.toBe('印刷できません — ラベル切れです');
      await expect(health.getAttribute('title')).resolves.toBe('Out of labels');
      const printer = ja.locator('[data-testid="device"][data-device-id="printer"]');
      await eventually(() => printer.textContent(), (v) => expect(v).toContain('ラベル切れ'));
    } finally {
      bench.printer.setStatus({ paperOut: false });
      await ja.close();
    }
  });
});

describe('a test label that waited for the printer', () => {
  it('says it printed once the printer took it, not still "waiting — out of labels"', async () => {
    await openScreen(page, 'devices');
    bench.printer.setStatus({ paperOut: true });
    const before = bench.printer.jobs.length;
    try {
      await page.getByTestId('test-print').click();
      await page.locator('[data-testid="test-print-result"][data-status="queued"]').waitFor({ timeout: 20_000 });
    } finally {
      bench.printer.setStatus({ paperOut: false });
    }
    await bench.printer.waitForJobs(before + 1, 30_000);
    const result = page.locator('[data-testid="test-print-result"][data-status="printed"]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).not.toMatch(/Out of labels/);
  });

  it('a graded item\'s label that waited says "printed" on the result once the printer took it', async () => {
    // The parcel opened in the first test is still in hand.
    await openScreen(page, 'intake');
    await page.getByTestId('parcel-header').waitFor();
    const before = bench.printer.jobs.length;
    bench.printer.setStatus({ paperOut: true });
    try {
      await wedgeScan(page, bench.sample.firstLine.jan);
      await page.getByTestId('grade-panel').waitFor();
      await page.keyboard.press('b');
      await page.locator('[data-testid="print-status"][data-status="queued"]').waitFor({ timeout: 20_000 });
    } finally {
      bench.printer.setStatus({ paperOut: false });
    }
    await bench.printer.waitForJobs(before + 1, 30_000);
    await page.locator('[data-testid="print-status"][data-status="printed"]').waitFor({ timeout: 20_000 });
    // The camera test below starts on the Devices screen.
    await openScreen(page, 'devices');
  });
});

describe('camera fallback scanner', () => {
  it('decodes a Codabar (NW-7) waybill and a Code 128 label from image files', async () => {
    await page.getByTestId('camera-toggle').click();
    await page.getByTestId('camera-scanner').waitFor();
    for (const [bcid, text, expected] of [
      ['rationalizedCodabar', 'A123456789012A', '123456789012'],
      ['code128', 'RMA-00000042', 'RMA-00000042'],
    ] as const) {
      // bwip-js draws on a transparent background unless told; ZXing needs contrast.
      const png = await toBuffer({ bcid, text, scale: 3, height: 12, backgroundcolor: 'FFFFFF', paddingwidth: 20, paddingheight: 20 });
      await page.getByTestId('camera-file').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: png });
      await page.locator('[data-testid="scan-row"][data-source="image"]', { hasText: expected }).waitFor();
    }
  });
});
