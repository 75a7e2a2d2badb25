// The Devices screen's printer section: the bench's label printer as the text fields a lead edits, and back. As
// for the device list, the station checks the printer (devices.configurePrinter) and the form shows its refusal at
// the field it names, in the screen's language; only a number field holding something that is not a number is
// said here, because the call's input cannot carry text where the contract wants a number.
import type { TFunction } from 'i18next';
import type { ApiError, PrinterConfig } from '../../../contract/index.js';
import type { z } from 'zod';
import { problemText } from './deviceDrafts.js';

type PrinterInput = z.input<typeof PrinterConfig>;

/** In the order the form offers them: no printer, a network printer on 9100, a serial one, a USB device file. */
export const PRINTER_TRANSPORTS = ['none', 'tcp', 'serial', 'device'] as const;
export type PrinterTransport = (typeof PRINTER_TRANSPORTS)[number];
export const PRINTER_LANGUAGES = ['zpl', 'sbpl'] as const;

/** The printer as the form holds it: text as typed ('' = the usual value), so nothing typed is lost on a refusal. */
export interface PrinterDraft {
  /** The printer as the station gave it: a setting the form does not show (timeoutMs) is kept while the transport is. */
  base: PrinterConfig;
  transport: PrinterTransport;
  host: string;
  port: string;
  path: string;
  baudRate: string;
  language: 'zpl' | 'sbpl';
  name: string;
}

export type PrinterField = 'transport' | 'host' | 'port' | 'path' | 'baudRate' | 'language' | 'name';
const FIELDS: ReadonlySet<string> = new Set<PrinterField>(['transport', 'host', 'port', 'path', 'baudRate', 'language', 'name']);

export function printerDraftOf(config: PrinterConfig): PrinterDraft {
  const draft: PrinterDraft = { base: config, transport: config.transport, host: '', port: '', path: '', baudRate: '', language: 'zpl', name: '' };
  switch (config.transport) {
    case 'tcp':
      return { ...draft, host: config.host, port: String(config.port), language: config.language, name: config.name ?? '' };
    case 'serial':
      return { ...draft, path: config.path, baudRate: String(config.baudRate), language: config.language, name: config.name ?? '' };
    case 'device':
      return { ...draft, path: config.path, language: config.language, name: config.name ?? '' };
    case 'none':
      return draft;
  }
}

/** Where the form found something it cannot send: the field, and the problem in the station's own codes. */
export interface LocalIssue {
  field: PrinterField;
  params: Record<string, string | number>;
}

/** A number field's text: blank leaves the setting to its usual value; digits are the number; anything else is said. */
function numberIn(field: PrinterField, text: string): { value: number | undefined } | LocalIssue {
  const v = text.trim();
  if (v === '') return { value: undefined };
  if (/^\d+$/.test(v)) return { value: Number(v) };
  return { field, params: { problem: 'type', expected: 'number', given: v } };
}

const isIssue = (v: { value: number | undefined } | LocalIssue): v is LocalIssue => 'field' in v;

/**
 * The printer to send, or the field the form must name first. Host, path and name go trimmed and as typed (an empty
 * host is the station's to refuse); a blank port or speed is left out, so the station takes 9100 or 9600.
 */
export function printerConfigOf(d: PrinterDraft): { config: PrinterInput } | { issue: LocalIssue } {
  if (d.transport === 'none') return { config: { transport: 'none' } };
  // Kept only for the same transport: each takes its own timeout.
  const timeout = d.base.transport === d.transport ? { timeoutMs: d.base.timeoutMs } : {};
  const common = { language: d.language, ...(d.name.trim() !== '' ? { name: d.name.trim() } : {}), ...timeout };
  if (d.transport === 'device') return { config: { transport: 'device', path: d.path.trim(), ...common } };
  const [field, text] = d.transport === 'tcp' ? (['port', d.port] as const) : (['baudRate', d.baudRate] as const);
  const n = numberIn(field, text);
  if (isIssue(n)) return { issue: n };
  const number = n.value === undefined ? {} : { [field]: n.value };
  if (d.transport === 'tcp') return { config: { transport: 'tcp', host: d.host.trim(), ...number, ...common } };
  return { config: { transport: 'serial', path: d.path.trim(), ...number, ...common } };
}

/** Whether the form differs from what the station runs: Save and Discard are offered only then. */
export function printerChanged(d: PrinterDraft, saved: PrinterConfig): boolean {
  return JSON.stringify(printerConfigOf(d)) !== JSON.stringify(printerConfigOf(printerDraftOf(saved)));
}

/** What is wrong, at which field, in the screen's language. */
export interface PrinterIssue {
  /** Null when the refusal names a setting the form does not show (said in the sentence). */
  field: PrinterField | null;
  text: string;
}

function issueAt(t: TFunction, exists: (key: string) => boolean, path: string, params: ApiError['params']): PrinterIssue {
  const field = FIELDS.has(path) ? (path as PrinterField) : null;
  const what = problemText(t, exists, params);
  return { field, text: t(path === '' ? 'printerForm.issueWhole' : 'printerForm.issue', { field: field ? t(`printerForm.field.${field}`) : path, what }) };
}

/** The form's own finding about a number field, said as the station would say it. */
export function localPrinterIssue(t: TFunction, exists: (key: string) => boolean, issue: LocalIssue): PrinterIssue {
  return issueAt(t, exists, issue.field, issue.params);
}

/** The station's refusal of a printer (error.device.badPrinter) at its field; null for any other answer. */
export function printerIssue(t: TFunction, exists: (key: string) => boolean, error: ApiError): PrinterIssue | null {
  if (error.messageKey !== 'error.device.badPrinter') return null;
  return issueAt(t, exists, typeof error.params.field === 'string' ? error.params.field : '', error.params);
}
