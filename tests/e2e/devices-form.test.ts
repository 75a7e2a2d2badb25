// A shift lead sets up a bench's devices on the Devices screen instead of editing JSON: a serial scanner on a socat
// pty is added through the form, refused while a field is wrong (the field named, nothing typed lost), saved, seen
// connected, and its scans reach the screen. Staff see the screen without the form.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialScannerSim } from '../../fixtures/device-sims/scannerSim.js';
import { eventually, humanType, openScreen, screenshotDir, signIn, signOut, startBench, wedgeScan, type Bench } from './harness.js';

let bench: Bench;
let scanner: SerialScannerSim;

beforeAll(async () => {
  scanner = await SerialScannerSim.open();
  // A bench set up with no devices yet: the lead adds them.
  bench = await startBench({ devices: [] });
}, 120_000);

afterAll(async () => {
  await bench?.close();
  await scanner?.close();
});

const draft = (page: Page) => page.getByTestId('device-draft').last();
const issue = (page: Page) => page.getByTestId('device-form-issue');

/** A fresh page with someone of this role signed in on the Devices screen. */
async function onDevices(role: 'staff' | 'lead', options: { language: 'ja' | 'en'; width?: number; height?: number }): Promise<Page> {
  const page = await bench.newPage(options);
  const who = bench.sample.operators[role];
  await signIn(page, who.badge, who.pin);
  await openScreen(page, 'devices');
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir(), `${name}.png`), fullPage: true });
}

describe('the Devices screen\'s device form', () => {
  it('staff see the devices without the form', async () => {
    const page = await onDevices('staff', { language: 'en' });
    await page.getByTestId('device-list').waitFor();
    await expect(page.getByTestId('device-form').count()).resolves.toBe(0);
    await expect(page.getByTestId('detect').count()).resolves.toBe(0);
    // No scale and no RFID reader on this bench: no "Read weight" or "Read tags" that could only fail.
    await page.locator('[data-testid="device"][data-device-id="printer"]').waitFor();
    await expect(page.getByTestId('scale-panel').count()).resolves.toBe(0);
    await expect(page.getByTestId('rfid-panel').count()).resolves.toBe(0);
    await page.close();
  });

  it('a lead adds a serial scanner: a wrong field is named and nothing typed is lost; saved, it connects and scans', async () => {
    const page = await onDevices('lead', { language: 'en' });
    await page.getByTestId('device-form').waitFor();
    await expect(page.getByTestId('device-save').isDisabled()).resolves.toBe(true);

    await page.getByTestId('device-add').click();
    await expect(page.getByTestId('device-form').getAttribute('data-dirty')).resolves.toBe('true');
    await draft(page).getByTestId('draft-baudRate').fill('9600');
    await draft(page).getByTestId('draft-parity').selectOption('none');
    // The port left empty: the station says so at the field.
    await page.getByTestId('device-save').click();
    await issue(page).waitFor();
    await expect(issue(page).getAttribute('data-field')).resolves.toBe('path');
    await expect(issue(page).textContent()).resolves.toBe('Device 1 (scanner-1), Port: Must not be empty.');
    await expect(draft(page).getByTestId('draft-path').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(draft(page).getByTestId('draft-baudRate').inputValue()).resolves.toBe('9600');
    await expect(draft(page).getByTestId('draft-parity').inputValue()).resolves.toBe('none');

    // A speed of 0: named as well, the port typed a moment ago kept.
    await draft(page).getByTestId('draft-path').fill(scanner.path);
    await draft(page).getByTestId('draft-baudRate').fill('0');
    await page.getByTestId('device-save').click();
    await eventually(() => issue(page).getAttribute('data-field'), (v) => expect(v).toBe('baudRate'));
    await expect(issue(page).textContent()).resolves.toBe('Device 1 (scanner-1), Speed (baud): Write more than 0 (found 0).');
    await expect(draft(page).getByTestId('draft-path').inputValue()).resolves.toBe(scanner.path);
    await page.setViewportSize({ width: 1280, height: 800 });
    await shoot(page, 'en-devices-form-refused');
    await page.setViewportSize({ width: 560, height: 800 });
    await shoot(page, 'en-devices-form-refused-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    // Nothing was saved by the refusals.
    await expect(page.locator('[data-testid="device"][data-device-id="scanner-1"]').count()).resolves.toBe(0);

    await draft(page).getByTestId('draft-baudRate').fill('9600');
    await page.getByTestId('device-save').click();
    await page.getByTestId('device-form-saved').waitFor();
    await expect(issue(page).count()).resolves.toBe(0);
    await page.locator('[data-testid="device"][data-device-id="scanner-1"][data-state="connected"]').waitFor({ timeout: 20_000 });
    await scanner.scan('FORM-SCAN-1');
    await page.locator('[data-testid="scan-row"]', { hasText: 'FORM-SCAN-1' }).first().waitFor();

    // The station has it, as sent: reopened, the form shows the same.
    await page.reload();
    await page.getByTestId('app').waitFor();
    await openScreen(page, 'devices');
    await expect(draft(page).getByTestId('draft-path').inputValue()).resolves.toBe(scanner.path);
    await expect(draft(page).getByTestId('draft-id').inputValue()).resolves.toBe('scanner-1');
    await page.close();
  });

  it('typing in the form saves nothing by accident: Enter does not save, a wedge scan is not taken, Discard puts it back', async () => {
    const page = await onDevices('lead', { language: 'en' });
    const id = draft(page).getByTestId('draft-id');
    await id.click();
    await id.press('End');
    await humanType(page, 'x');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('device-form').getAttribute('data-dirty')).resolves.toBe('true');
    await expect(page.getByTestId('device-form-saved').count()).resolves.toBe(0);
    // A scan while the field has the focus: not a test scan, and not in the field.
    await wedgeScan(page, '4901234567894');
    await eventually(() => id.inputValue(), (v) => expect(v).toBe('scanner-1x'));
    await expect(page.locator('[data-testid="scan-row"]', { hasText: '4901234567894' }).count()).resolves.toBe(0);
    // Detect ports offers what it found for the port (by its by-id alias when the system has one).
    await page.getByTestId('detect').click();
    await page.getByTestId('detected-ports').waitFor();
    const pick = draft(page).getByTestId('draft-pick-port');
    await pick.waitFor();
    const found = await pick.locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value).filter((v) => v !== ''));
    const listed = await page.getByTestId('detected-port').allTextContents();
    expect(found.length).toBe(listed.length);
    if (found[0]) {
      await pick.selectOption(found[0]);
      await expect(draft(page).getByTestId('draft-path').inputValue()).resolves.toBe(found[0]);
    }
    await shoot(page, 'en-devices-form-detected');
    // A look at Intake and back: the edits are as typed, still unsaved.
    await openScreen(page, 'intake');
    await openScreen(page, 'devices');
    await eventually(() => id.inputValue(), (v) => expect(v).toBe('scanner-1x'));
    await expect(page.getByTestId('device-form').getAttribute('data-dirty')).resolves.toBe('true');
    await page.getByTestId('device-discard').click();
    await expect(id.inputValue()).resolves.toBe('scanner-1');
    await expect(draft(page).getByTestId('draft-path').inputValue()).resolves.toBe(scanner.path);
    await expect(page.getByTestId('device-form').getAttribute('data-dirty')).resolves.toBe('false');
    // The station still has the saved scanner, untouched.
    await expect(page.locator('[data-testid="device"][data-device-id="scanner-1"]').count()).resolves.toBe(1);
    await signOut(page);
    await page.close();
  });

  it('says a refusal in Japanese at 1280×800 and narrow', async () => {
    const page = await onDevices('lead', { language: 'ja', width: 1280, height: 800 });
    await page.getByTestId('device-add').click();
    // The same port as scanner-1: the station names the device that has it.
    await draft(page).getByTestId('draft-path').fill(scanner.path);
    await page.getByTestId('device-save').click();
    await issue(page).waitFor();
    await expect(issue(page).textContent()).resolves.toBe('機器2（scanner-2）のポート：このポートは「scanner-1」が使っています。');
    await shoot(page, 'ja-devices-form-refused');
    await page.setViewportSize({ width: 560, height: 800 });
    await shoot(page, 'ja-devices-form-refused-narrow');
    await page.getByTestId('device-discard').click();
    await expect(page.getByTestId('device-draft').count()).resolves.toBe(1);
    await page.close();
  });
});
