import type { TFunction } from 'i18next';
import { StationCallError, type ApiError, type DeviceStatus } from '../../../contract/index.js';
import type { ScanProblem } from '../scanner/scanInput.js';
import { ruleIssueFromParams } from '../../../domain/rules/ruleIssues.js';
import { ruleIssuesText } from './ruleIssues.js';

/** Any thrown thing as an ApiError, so screens have one shape to show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof StationCallError) return e.error;
  return { code: 'INTERNAL', messageKey: 'error.internal', params: {}, message: e instanceof Error ? e.message : String(e) };
}

/**
 * The operator's sentence for an error: the station's message key in the UI language, or, for a key
 * this renderer does not know yet, the code's generic sentence followed by the station's own words.
 */
export function describeError(t: TFunction, exists: (key: string) => boolean, error: ApiError, atHub = false): { text: string; detail: string | null } {
  // The hub UI talks to the site hub, not to a station: "check the cable and the station" sent a lead to a bench.
  if (atHub && error.messageKey === 'error.network') return { text: t('error.site.hubUnreachable'), detail: null };
  // A rule set refused by the station or the hub: the place and the problem in words (a station that sends only the
  // reason is said by the reason, below).
  const ruleIssue = error.messageKey === 'error.ruleSetInvalid' ? ruleIssueFromParams(error.params) : null;
  if (ruleIssue) {
    const total = typeof error.params.issues === 'number' ? error.params.issues : 1;
    return { text: t('rules.invalid', { error: ruleIssuesText(t, [ruleIssue], total) }), detail: null };
  }
  if (error.code === 'INVALID_INPUT' && !(error.messageKey !== 'error.invalidInput' && exists(error.messageKey))) {
    // Never the schema's field name or zod's English: the field's own advice, or a plain sentence.
    const help = `error.fieldHelp.${fieldLeaf(error.params.field)}`;
    return { text: exists(help) ? t(help) : t('error.invalidInput'), detail: null };
  }
  if (exists(error.messageKey)) {
    // A destination travels as its code (RESTOCK): the sentence names it in the operator's language, as the result does.
    const destination = typeof error.params.destination === 'string' ? { destination: t(`destinationName.${error.params.destination}`, { defaultValue: error.params.destination }) } : {};
    return { text: t(error.messageKey, { ...error.params, field: error.params.field ?? '', ...destination }), detail: null };
  }
  return { text: t(`error.code.${error.code}`), detail: error.message };
}

/**
 * Answers that are a question or a word for the operator, not a failure: nothing went wrong, the station wants a
 * decision or says how things stand. Their notice is amber and titled "please check" (確認してください), not "error".
 */
const CHECKS = new Set([
  // The operator decides: one more than the line expects, an item the return does not list, items still missing.
  'error.overReceipt',
  'error.itemNotOnRma',
  'error.closeNeedsConfirmation',
  'error.tote.closeNeedsConfirmation',
  // The next parcel's label or a tote scanned with a parcel in hand: close this one first.
  'error.parcelLabelWhileOpen',
  'tote.closeParcelFirst',
  // How things stand: the return came before, another lead decided, the new label is on, operators exist.
  'error.returnAlreadyReceived',
  'error.site.alreadyDecided',
  'error.notPendingReview',
  'error.relabel.notListed',
  'error.setupDone',
]);

/** Whether a refusal is a check for the operator (amber, "please check") rather than an error. */
export function isCheck(error: Pick<ApiError, 'messageKey'>): boolean {
  return CHECKS.has(error.messageKey);
}

/** Messages that already tell the operator what to do; the rest get the generic "scan again" advice. */
const SAYS_WHAT_NEXT = new Set([
  'error.noRmaForCode',
  'error.trackingCheckDigit',
  'error.notAnItemCode',
  'error.parcelLabelWhileOpen',
  'error.itemNotOnRma',
  'error.overReceipt',
  'error.noReferenceDataOffline',
  'error.noReferenceDataYet',
  // Search instead; set the tote or bag aside for a lead; scan the tote first: "scan it again" would contradict them.
  'error.severalRmasForProduct',
  'error.tote.noManifest',
  'error.tote.bagNeedsTote',
  'error.tote.notOpen',
  'error.tote.closed',
]);

/** Whether the sentence for this error already says what to do next (a scan's code field help says "scan it again"). */
export function saysWhatNext(error: ApiError): boolean {
  return SAYS_WHAT_NEXT.has(error.messageKey) || (error.code === 'INVALID_INPUT' && fieldLeaf(error.params.field) === 'code');
}

/** "filters.to" → "to", "photos.3" → "photos": the field the operator filled in. */
export function fieldLeaf(field: unknown): string {
  if (typeof field !== 'string') return '';
  return field.split('.').filter((part) => part !== '' && !/^\d+$/.test(part)).at(-1) ?? '';
}

/**
 * Why a device is not fine, in the UI language: the station's reason code when it sends one (the printer's faults
 * each in words), else the station's own sentence.
 */
export function describeDeviceReason(t: TFunction, d: Pick<DeviceStatus, 'reason' | 'reasonCode' | 'reasonParams'>): string {
  if (!d.reasonCode) return d.reason ?? '';
  const params = d.reasonParams ?? {};
  if (d.reasonCode === 'printerFault') {
    const faults = String(params.faults ?? '')
      .split(',')
      .filter((f) => f !== '')
      .map((f) => t(`devices.fault.${f}`));
    return faults.length > 0 ? faults.join(t('devices.faultSeparator')) : (d.reason ?? '');
  }
  return t(`devices.reason.${d.reasonCode}`, params);
}

/** What the label printer said: the station's English words, and the same as a key with its parameters. */
export interface PrinterSaid {
  text: string | null | undefined;
  key: string | null | undefined;
  params: Record<string, string | number> | null | undefined;
}

/**
 * The printer's message in the UI language: the station's key when this renderer knows it, else the station's
 * own words (a job recorded before keys were kept, or a key newer than this renderer). Screens keep the words in
 * the tooltip for support.
 */
export function describePrinterMessage(t: TFunction, exists: (key: string) => boolean, m: PrinterSaid): string {
  if (m.key && exists(m.key)) return t(m.key, m.params ?? {});
  return m.text ?? '';
}

export function describeProblem(t: TFunction, p: ScanProblem): string {
  if (p.kind === 'device-unreadable') return t('scanner.problem.device-unreadable', { device: p.device });
  if (p.kind === 'keys-too-fast') return t('scanner.problem.keys-too-fast', { keys: p.keys.join(' ') });
  if (p.kind === 'layout-mismatch') {
    return t('scanner.problem.layout-mismatch', {
      scanner: t(`scanner.layout.${p.scannerLayout}`),
      os: t(`scanner.layout.${p.osLayout}`),
      got: p.got,
      meant: p.meant,
    });
  }
  return t(`scanner.problem.${p.kind}`);
}
