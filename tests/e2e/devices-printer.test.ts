// A shift lead points the bench at another label printer from the Devices screen, in Japanese: a wrong field is
// named and nothing changes; Enter and a scan in a field save nothing; saved, the screen and the header follow the
// new printer (a network printer simulator on 127.0.0.1) and a test label comes out of it. Staff see no form.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { eventually, humanType, openScreen, screenshotDir, signIn, startBench, wedgeScan, type Bench } from './harness.js';

let bench: Bench;
let floorPrinter: TcpPrinterSim;

beforeAll(async () => {
  floorPrinter = await startTcpPrinterSim({ mode: 'zpl' });
  bench = await startBench({ devices: [] });
}, 120_000);

afterAll(async () => {
  await bench?.close();
  await floorPrinter?.close();
});

async function onDevices(role: 'staff' | 'lead'): Promise<Page> {
  const page = await bench.newPage({ language: 'ja', width: 1280, height: 800 });
  const who = bench.sample.operators[role];
  await signIn(page, who.badge, who.pin);
  await openScreen(page, 'devices');
  return page;
}

const printerRow = (page: Page) => page.locator('[data-testid="device"][data-device-id="printer"]');
const issue = (page: Page) => page.getByTestId('printer-form-issue');

describe('the Devices screen\'s printer section', () => {
  it('staff see the printer\'s state, not the form', async () => {
    const page = await onDevices('staff');
    await printerRow(page).waitFor();
    await expect(page.getByTestId('printer-form').count()).resolves.toBe(0);
    await page.close();
  });

  it('a lead sets a network printer in Japanese: refused by field, then saved, reachable, printing and in the header', async () => {
    const page = await onDevices('lead');
    const form = page.getByTestId('printer-form');
    await form.waitFor();
    // The printer the bench runs now, as the form shows it.
    await expect(page.getByTestId('printer-transport').inputValue()).resolves.toBe('tcp');
    await expect(page.getByTestId('printer-port').inputValue()).resolves.toBe(String(bench.printer.port));
    await expect(page.getByTestId('printer-save').isDisabled()).resolves.toBe(true);

    // An empty address: the station names the field in Japanese and nothing changes.
    await page.getByTestId('printer-host').fill('');
    await page.getByTestId('printer-port').fill(String(floorPrinter.port));
    await page.getByTestId('printer-save').click();
    await issue(page).waitFor();
    await expect(issue(page).getAttribute('data-field')).resolves.toBe('host');
    await expect(issue(page).textContent()).resolves.toBe('ラベルプリンターのアドレス（IP）：空にはできません。');
    await expect(page.getByTestId('printer-host').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByTestId('printer-port').inputValue()).resolves.toBe(String(floorPrinter.port));
    await expect(printerRow(page).textContent()).resolves.toContain(`:${bench.printer.port}`);

    // Typing the address: Enter saves nothing, and a scan into the field is neither typed nor a test scan.
    const host = page.getByTestId('printer-host');
    await host.click();
    await humanType(page, '127.0.0.1');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('printer-form-saved').count()).resolves.toBe(0);
    await wedgeScan(page, '4901234567894');
    await eventually(() => host.inputValue(), (v) => expect(v).toBe('127.0.0.1'));
    await expect(page.locator('[data-testid="scan-row"]', { hasText: '4901234567894' }).count()).resolves.toBe(0);
    await page.getByTestId('printer-name').fill('ラベルプリンター 1番');
    await expect(form.getAttribute('data-dirty')).resolves.toBe('true');

    // A look at Intake and back: the edits are as typed, still unsaved.
    await openScreen(page, 'intake');
    await openScreen(page, 'devices');
    await eventually(() => page.getByTestId('printer-host').inputValue(), (v) => expect(v).toBe('127.0.0.1'));
    await expect(page.getByTestId('printer-name').inputValue()).resolves.toBe('ラベルプリンター 1番');

    await page.getByTestId('printer-save').click();
    await page.getByTestId('printer-form-saved').waitFor();
    await expect(issue(page).count()).resolves.toBe(0);
    // Reachable: the printer device is the new one and connected, and the printer answers its status query.
    await page.locator(`[data-testid="device"][data-device-id="printer"][data-state="connected"]`, { hasText: `:${floorPrinter.port}` }).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="printer-health"][data-state="ready"]').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('printer-panel').textContent()).resolves.toContain(`tcp://127.0.0.1:${floorPrinter.port}`);
    // The panel names it as the floor does, above its address.
    await expect(page.getByTestId('printer-floor-name').textContent()).resolves.toBe('ラベルプリンター 1番');
    await expect(form.getAttribute('data-dirty')).resolves.toBe('false');
    await page.screenshot({ path: join(screenshotDir(), 'ja-devices-printer-saved.png'), fullPage: true });

    // A test label comes out of the new printer, under its floor name.
    await page.getByTestId('test-print').click();
    await page.locator('[data-testid="test-print-result"][data-status="printed"]').waitFor();
    await expect(page.getByTestId('test-print-result').textContent()).resolves.toContain('ラベルプリンター 1番');
    await floorPrinter.waitForJobs(1, 15_000);

    // The header follows the new printer: out of labels there is said on every screen, and goes when it is fixed.
    floorPrinter.setStatus({ paperOut: true });
    await openScreen(page, 'intake');
    await page.locator('[data-testid="device-alert"][data-device-id="printer"]').waitFor({ timeout: 20_000 });
    floorPrinter.setStatus({ paperOut: false });
    await page.locator('[data-testid="device-alert"][data-device-id="printer"]').waitFor({ state: 'detached', timeout: 20_000 });
    await page.close();
  }, 90_000);
});
