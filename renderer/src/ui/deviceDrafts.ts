// The Devices screen's form for the bench's device list: each entry as the text fields a lead edits, and back. The
// station checks the list (devices.configure): the form does not repeat the drivers' rules, it shows the station's
// refusal at the entry and field it names, in the screen's language.
import type { TFunction } from 'i18next';
import type { ApiError } from '../../../contract/index.js';
import type { BenchDeviceEntry, DetectResult } from '../../../contract/calls/devices.js';
import { isRuleIssueProblem } from '../../../domain/rules/ruleIssues.js';
import { fieldLeaf } from './describe.js';
import { issueProblemText } from './ruleIssues.js';

/** The drivers a bench entry may name (native/devices/config.ts), in the order the form offers them. */
export const DRIVERS = ['serial-scanner', 'hidpos-scanner', 'ad-scale', 'chafon-rfid', 'line-rfid', 'llrp-rfid'] as const;
export type Driver = (typeof DRIVERS)[number];

const SERIAL_DRIVERS: ReadonlySet<string> = new Set<Driver>(['serial-scanner', 'ad-scale', 'chafon-rfid', 'line-rfid']);
export const usesSerial = (driver: string): boolean => SERIAL_DRIVERS.has(driver);
export const usesNetwork = (driver: string): boolean => driver === 'llrp-rfid';

export const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export const DATA_BITS = ['5', '6', '7', '8'] as const;
export const STOP_BITS = ['1', '1.5', '2'] as const;

/** One entry as the form holds it: text as typed ('' = the driver's usual value), so nothing typed is lost on a refusal. */
export interface DeviceDraft {
  /** Stable across edits, for React's list. */
  key: number;
  /** The entry as the station gave it: settings the form does not show (terminator, RFID dialect, …) are kept. */
  base: BenchDeviceEntry | null;
  id: string;
  driver: string;
  enabled: boolean;
  path: string;
  baudRate: string;
  dataBits: string;
  parity: string;
  stopBits: string;
  host: string;
  port: string;
}

export type DraftField = 'id' | 'driver' | 'path' | 'baudRate' | 'dataBits' | 'parity' | 'stopBits' | 'host' | 'port';

type Section = Record<string, unknown>;
const sectionOf = (v: unknown): Section => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Section) : {});
const textOf = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export function draftOf(entry: BenchDeviceEntry, key: number): DeviceDraft {
  const serial = sectionOf(entry.serial);
  const llrp = sectionOf(entry.llrp);
  return {
    key,
    base: entry,
    id: entry.id,
    driver: entry.driver,
    enabled: entry.enabled !== false,
    path: textOf(serial.path),
    baudRate: textOf(serial.baudRate),
    dataBits: textOf(serial.dataBits),
    parity: textOf(serial.parity),
    stopBits: textOf(serial.stopBits),
    host: textOf(llrp.host),
    port: textOf(llrp.port),
  };
}

/** A new entry: a serial scanner, the commonest thing added at a bench, with an id not yet taken. */
export function newDraft(key: number, taken: readonly DeviceDraft[]): DeviceDraft {
  const ids = new Set(taken.map((d) => d.id));
  let n = 1;
  while (ids.has(`scanner-${n}`)) n++;
  return { key, base: null, id: `scanner-${n}`, driver: 'serial-scanner', enabled: true, path: '', baudRate: '', dataBits: '', parity: '', stopBits: '', host: '', port: '' };
}

/**
 * A number typed as a number; a blank leaves the setting out (the driver's usual value); anything else goes as typed,
 * so the station's refusal names the field rather than the form guessing.
 */
function numberOrText(text: string): number | string | undefined {
  const v = text.trim();
  if (v === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

function withSettings(base: Section, settings: Record<string, string | number | undefined>): Section {
  const out: Section = { ...base };
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

export function entryOf(d: DeviceDraft): BenchDeviceEntry {
  // Another driver takes other sections (the drivers refuse fields they do not know): start that entry afresh.
  const kept: Section = d.base && d.base.driver === d.driver ? d.base : {};
  const { id: _id, driver: _driver, enabled: _enabled, ...sections } = kept;
  const entry: BenchDeviceEntry = { ...sections, id: d.id.trim(), driver: d.driver };
  // Written only when it says something: a file without "enabled" stays so.
  if (!d.enabled || kept.enabled !== undefined) entry.enabled = d.enabled;
  if (usesSerial(d.driver)) {
    entry.serial = withSettings(sectionOf(kept.serial), {
      path: d.path.trim(),
      baudRate: numberOrText(d.baudRate),
      dataBits: numberOrText(d.dataBits),
      parity: d.parity === '' ? undefined : d.parity,
      stopBits: numberOrText(d.stopBits),
    });
  }
  if (usesNetwork(d.driver)) entry.llrp = withSettings(sectionOf(kept.llrp), { host: d.host.trim(), port: numberOrText(d.port) });
  return entry;
}

/** Whether the form differs from what the station has: Save and Discard are offered only then. */
export function changed(drafts: readonly DeviceDraft[], saved: readonly BenchDeviceEntry[]): boolean {
  return JSON.stringify(drafts.map(entryOf)) !== JSON.stringify(saved.map((e) => entryOf(draftOf(e, 0))));
}

/** A serial port the detection found, as the form offers it: the stable by-id alias when there is one. */
export interface PortChoice {
  path: string;
  /** The configured device already on it. */
  usedBy: string | null;
  maker: string;
}

export function portChoices(found: DetectResult | undefined): PortChoice[] {
  return (found?.serialPorts ?? []).map((p) => ({ path: p.byId ?? p.path, usedBy: p.usedBy ?? null, maker: p.manufacturer ?? '' }));
}

/** What a refusal's problem code says is wrong (the devices' own reasons, else a rule set's words), in the screen's language. */
export function problemText(t: TFunction, exists: (key: string) => boolean, p: ApiError['params']): string {
  const problem = p.problem;
  if (typeof problem === 'string' && exists(`deviceForm.problem.${problem}`)) return t(`deviceForm.problem.${problem}`, p);
  if (isRuleIssueProblem(problem) && problem !== 'other') return issueProblemText(t, problem, p);
  return t('deviceForm.problem.check');
}

/** Where a refused save went wrong: the entry (index in the form) and the field the form shows it at. */
export interface DraftIssue {
  index: number;
  /** The form's field; null when the setting is not one the form shows (it is named in the sentence). */
  field: DraftField | null;
  text: string;
}

const FIELDS: ReadonlySet<string> = new Set<DraftField>(['id', 'driver', 'path', 'baudRate', 'dataBits', 'parity', 'stopBits', 'host', 'port']);

/**
 * The station's refusal of a save at its entry and field, in the screen's language. The device check's refusal
 * (error.device.badConfig) says entry, field and problem; the call's own input check names only a path
 * (devices.2.id). Null when the refusal is not about one entry.
 */
export function draftIssue(t: TFunction, exists: (key: string) => boolean, error: ApiError, drafts: readonly DeviceDraft[]): DraftIssue | null {
  const p = error.params;
  let index: number;
  let path: string;
  if (typeof p.entry === 'number') {
    index = p.entry - 1;
    path = typeof p.field === 'string' ? p.field : '';
  } else {
    const m = typeof p.field === 'string' ? /^devices\.(\d+)(?:\.(.+))?$/.exec(p.field) : null;
    if (!m) return null;
    index = Number(m[1]);
    path = m[2] ?? '';
  }
  const draft = drafts[index];
  if (!draft) return null;
  const leaf = fieldLeaf(path);
  const field = FIELDS.has(leaf) ? (leaf as DraftField) : null;
  const what = problemText(t, exists, p);
  const name = field ? t(`deviceForm.field.${field}`) : path;
  const text = t(name === '' ? 'deviceForm.issueWhole' : 'deviceForm.issue', { entry: index + 1, id: draft.id, field: name, what });
  return { index, field, text };
}
