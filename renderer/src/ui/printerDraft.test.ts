// A lead sets the bench's label printer as fields: what the station runs must come back unchanged, each transport
// must send only its own settings, a number field must not send text, and a refusal is said at its field.
import { describe, expect, it } from 'vitest';
import { PrinterConfig, type ApiError } from '../../../contract/index.js';
import { createI18n } from '../i18n/index.js';
import { localPrinterIssue, printerChanged, printerConfigOf, printerDraftOf, printerIssue } from './printerDraft.js';

const ja = createI18n('ja');
const en = createI18n('en');
const exists = (i18n: typeof ja) => (k: string) => i18n.exists(k);

const zebra = PrinterConfig.parse({ transport: 'tcp', host: '192.168.10.50', port: 9100, language: 'zpl', name: 'ラベルプリンター 1番', timeoutMs: 2000 });
const sato = PrinterConfig.parse({ transport: 'serial', path: '/dev/ttyUSB2', baudRate: 19200, language: 'sbpl' });
const usb = PrinterConfig.parse({ transport: 'device', path: '/dev/usb/lp0', language: 'sbpl' });
const none = PrinterConfig.parse({ transport: 'none' });

const sent = (d: ReturnType<typeof printerDraftOf>) => {
  const out = printerConfigOf(d);
  if (!('config' in out)) throw new Error(`not sent: ${JSON.stringify(out.issue)}`);
  return out.config;
};
const badPrinter = (params: ApiError['params']): ApiError => ({ code: 'INVALID_INPUT', messageKey: 'error.device.badPrinter', params, message: 'refused' });

describe('the printer as form fields', () => {
  it('the printer the station runs comes back exactly as it gave it, for every transport', () => {
    for (const p of [zebra, sato, usb, none]) {
      expect(sent(printerDraftOf(p))).toEqual(p);
      expect(printerChanged(printerDraftOf(p), p)).toBe(false);
    }
  });

  it('a network printer: host trimmed, port as a number, a blank port left to the usual 9100, the name optional', () => {
    const d = { ...printerDraftOf(none), transport: 'tcp' as const, host: ' 10.0.0.7 ', port: '', language: 'sbpl' as const, name: '  ' };
    expect(sent(d)).toEqual({ transport: 'tcp', host: '10.0.0.7', language: 'sbpl' });
    expect(PrinterConfig.parse(sent(d))).toMatchObject({ port: 9100 });
    expect(sent({ ...d, port: '6101', name: ' 出荷口 ' })).toEqual({ transport: 'tcp', host: '10.0.0.7', port: 6101, language: 'sbpl', name: '出荷口' });
    expect(printerChanged(d, none)).toBe(true);
  });

  it('each transport sends its own fields only; a setting kept from another transport would be refused or wrong', () => {
    const fromZebra = printerDraftOf(zebra);
    // The host typed for the network printer does not travel with a serial one; the network timeout does not either.
    expect(sent({ ...fromZebra, transport: 'serial', path: '/dev/ttyUSB0', baudRate: '9600' })).toEqual({
      transport: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 9600,
      language: 'zpl',
      name: 'ラベルプリンター 1番',
    });
    expect(sent({ ...fromZebra, transport: 'device', path: '/dev/usb/lp1' })).toEqual({ transport: 'device', path: '/dev/usb/lp1', language: 'zpl', name: 'ラベルプリンター 1番' });
    expect(sent({ ...fromZebra, transport: 'none' })).toEqual({ transport: 'none' });
    // The same transport keeps the timeout the file has, which the form does not show.
    expect(sent({ ...fromZebra, host: '10.0.0.8' })).toMatchObject({ host: '10.0.0.8', timeoutMs: 2000 });
  });

  it('an empty host or port 0 is sent as typed, for the station to refuse by field', () => {
    const d = { ...printerDraftOf(zebra), host: '', port: '0' };
    expect(sent(d)).toMatchObject({ host: '', port: 0 });
    expect(PrinterConfig.safeParse(sent(d)).success).toBe(false);
  });

  it('text in a number field is said by the form, at that field, in the screen\'s language', () => {
    const out = printerConfigOf({ ...printerDraftOf(zebra), port: '91OO' });
    expect(out).toEqual({ issue: { field: 'port', params: { problem: 'type', expected: 'number', given: '91OO' } } });
    if (!('issue' in out)) return;
    expect(localPrinterIssue(ja.t, exists(ja), out.issue)).toEqual({ field: 'port', text: 'ラベルプリンターのネットワークポート：数値で書いてください（書かれている値：91OO）。' });
    const speed = printerConfigOf({ ...printerDraftOf(sato), baudRate: '9600bps' });
    expect('issue' in speed && speed.issue.field).toBe('baudRate');
  });

  it('the station\'s refusal is said at the field it names, in Japanese and English', () => {
    expect(printerIssue(ja.t, exists(ja), badPrinter({ field: 'host', problem: 'empty', detail: 'host: Too small' }))).toEqual({
      field: 'host',
      text: 'ラベルプリンターのアドレス（IP）：空にはできません。',
    });
    expect(printerIssue(en.t, exists(en), badPrinter({ field: 'port', problem: 'tooSmall', minimum: 1, given: '0' }))).toEqual({
      field: 'port',
      text: 'Label printer, Network port: Write 1 or more (found 0).',
    });
    expect(printerIssue(ja.t, exists(ja), badPrinter({ field: 'baudRate', problem: 'moreThan', minimum: 0, given: '0' }))?.text).toBe(
      'ラベルプリンターの通信速度（bps）：0より大きい数にしてください（書かれている値：0）。',
    );
    // Another refusal (the environment names the printer) is not a field's: the notice says it.
    expect(printerIssue(en.t, exists(en), { code: 'CONFLICT', messageKey: 'error.device.printerFromEnvironment', params: {}, message: 'x' })).toBeNull();
  });
});
