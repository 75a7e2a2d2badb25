// A lead edits the bench's device list as fields: what the station has must come back unchanged, settings the form
// does not show must survive a save, and a refusal must be said at its entry and field in the screen's language.
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../contract/index.js';
import type { BenchDeviceEntry } from '../../../contract/calls/devices.js';
import { createI18n } from '../i18n/index.js';
import { changed, draftIssue, draftOf, entryOf, newDraft, portChoices } from './deviceDrafts.js';

const ja = createI18n('ja');
const en = createI18n('en');
const exists = (i18n: typeof ja) => (k: string) => i18n.exists(k);

const scanner: BenchDeviceEntry = {
  id: 'scanner-1',
  driver: 'serial-scanner',
  serial: { path: '/dev/serial/by-id/usb-Honeywell-if00', baudRate: 115200, parity: 'none' },
  scanner: { terminator: 'CR', encoding: 'shift_jis' },
};
const reader: BenchDeviceEntry = { id: 'rfid-door', driver: 'llrp-rfid', enabled: false, llrp: { host: '10.0.0.5', port: 5084, keepaliveMs: 1000 }, rfid: { dedupeWindowMs: 500 } };
const hid: BenchDeviceEntry = { id: 'hid-1', driver: 'hidpos-scanner', hidpos: { match: { vendorId: 3118 } } };

const refusal = (params: ApiError['params'], messageKey = 'error.device.badConfig'): ApiError => ({ code: 'INVALID_INPUT', messageKey, params, message: 'refused' });

describe('device entries as form fields', () => {
  it('an entry comes back exactly as the station gave it, settings the form does not show included', () => {
    for (const entry of [scanner, reader, hid]) expect(entryOf(draftOf(entry, 0))).toEqual(entry);
    expect(changed([scanner, reader, hid].map((e, i) => draftOf(e, i)), [scanner, reader, hid])).toBe(false);
  });

  it('edited fields change only their settings; numbers go as numbers, a blank leaves the driver\'s usual value', () => {
    const d = { ...draftOf(scanner, 0), path: ' /dev/ttyUSB1 ', baudRate: '9600', parity: '', stopBits: '2' };
    expect(entryOf(d)).toEqual({
      id: 'scanner-1',
      driver: 'serial-scanner',
      serial: { path: '/dev/ttyUSB1', baudRate: 9600, stopBits: 2 },
      scanner: { terminator: 'CR', encoding: 'shift_jis' },
    });
    expect(changed([d], [scanner])).toBe(true);
    expect(entryOf({ ...draftOf(reader, 0), enabled: true, port: '' })).toEqual({ ...reader, enabled: true, llrp: { host: '10.0.0.5', keepaliveMs: 1000 } });
  });

  it('a number field with words in it goes as typed, for the station to name it', () => {
    expect(entryOf({ ...draftOf(scanner, 0), baudRate: '96OO' }).serial).toMatchObject({ baudRate: '96OO' });
  });

  it('another driver starts the entry afresh: the old driver\'s sections would be refused', () => {
    const asScale = entryOf({ ...draftOf(scanner, 0), driver: 'ad-scale', baudRate: '' });
    expect(asScale).toEqual({ id: 'scanner-1', driver: 'ad-scale', serial: { path: '/dev/serial/by-id/usb-Honeywell-if00', parity: 'none' } });
    expect(entryOf({ ...draftOf(scanner, 0), driver: 'hidpos-scanner' })).toEqual({ id: 'scanner-1', driver: 'hidpos-scanner' });
  });

  it('a new entry is a serial scanner with a free name, disabled only when unticked', () => {
    const taken = [draftOf(scanner, 0), draftOf({ ...scanner, id: 'scanner-2' }, 1)];
    const d = newDraft(7, taken);
    expect(d).toMatchObject({ key: 7, id: 'scanner-3', driver: 'serial-scanner', enabled: true });
    expect(entryOf({ ...d, path: '/dev/pts/4' })).toEqual({ id: 'scanner-3', driver: 'serial-scanner', serial: { path: '/dev/pts/4' } });
    expect(entryOf({ ...d, enabled: false })).toMatchObject({ enabled: false });
  });

  it('a detected port is offered by its stable by-id alias', () => {
    expect(
      portChoices({
        serialPorts: [
          { path: '/dev/ttyACM0', byId: '/dev/serial/by-id/usb-Datalogic-if00', manufacturer: 'Datalogic', usedBy: 'scanner-1' },
          { path: '/dev/ttyS0' },
        ],
        hidPosScanners: [],
        warnings: [],
      }),
    ).toEqual([
      { path: '/dev/serial/by-id/usb-Datalogic-if00', usedBy: 'scanner-1', maker: 'Datalogic' },
      { path: '/dev/ttyS0', usedBy: null, maker: '' },
    ]);
  });
});

describe('a refused save, said at its entry and field', () => {
  const drafts = [draftOf(scanner, 0), draftOf(reader, 1)];

  it('an empty port: entry, name and field in Japanese, no English from the station', () => {
    const issue = draftIssue(ja.t, exists(ja), refusal({ entry: 1, deviceId: 'scanner-1', field: 'serial.path', problem: 'empty', detail: 'device 1: serial.path: Too small' }), drafts);
    expect(issue).toEqual({ index: 0, field: 'path', text: '機器1（scanner-1）のポート：空にはできません。' });
  });

  it('a speed of 0: "more than 0", with what was written', () => {
    const params = { entry: 1, field: 'serial.baudRate', problem: 'moreThan', minimum: 0, given: '0' };
    expect(draftIssue(en.t, exists(en), refusal(params), drafts)?.text).toBe('Device 1 (scanner-1), Speed (baud): Write more than 0 (found 0).');
    expect(draftIssue(ja.t, exists(ja), refusal(params), drafts)?.text).toBe('機器1（scanner-1）の通信速度（bps）：0より大きい数にしてください（書かれている値：0）。');
  });

  it('a port two devices use names the other one', () => {
    const issue = draftIssue(en.t, exists(en), refusal({ entry: 2, field: 'serial.path', problem: 'portTwice', other: 'scanner-1' }), drafts);
    expect(issue).toMatchObject({ index: 1, field: 'path', text: 'Device 2 (rfid-door), Port: Device "scanner-1" already uses this port.' });
  });

  it('a setting the form does not show is named by its path, and no field is marked', () => {
    const issue = draftIssue(en.t, exists(en), refusal({ entry: 1, field: 'scanner.maxFrameBytes', problem: 'tooBig', maximum: 65536, given: '99999' }), drafts);
    expect(issue).toEqual({ index: 0, field: null, text: 'Device 1 (scanner-1), scanner.maxFrameBytes: Write 65536 or less (found 99999).' });
  });

  it('the call\'s own check (a name with capitals) names only the path: the entry and field still', () => {
    const issue = draftIssue(ja.t, exists(ja), refusal({ field: 'devices.1.id' }, 'error.invalidInput'), drafts);
    expect(issue).toEqual({ index: 1, field: 'id', text: '機器2（rfid-door）の名前（ID）：この設定を確認してください。' });
  });

  it('a refusal about no one entry is left to the screen\'s notice', () => {
    expect(draftIssue(en.t, exists(en), refusal({ field: 'devices' }, 'error.invalidInput'), drafts)).toBeNull();
    expect(draftIssue(en.t, exists(en), refusal({ entry: 5, field: 'id', problem: 'idTwice' }), drafts)).toBeNull();
  });
});
