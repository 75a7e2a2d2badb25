// Print jobs in SQLite: the persistent store behind native/printers/printQueue. The record and the store's
// interface are contract/printJob.ts, shared with the in-memory store.
import { ItemLabel, labelJobId } from '../../contract/label.js';
import type { PrintJobRecord, PrintJobPatch, PrintJobState, PrintJobStore } from '../../contract/printJob.js';
import { KnownPrinterMessageKey, PrinterMessageParams } from '../../contract/printerMessages.js';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

interface Raw {
  id: string;
  printer: string;
  payload: Buffer;
  description: string;
  state: PrintJobState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  last_error_key: string | null;
  last_error_params: string | null;
  created_at: number;
  printed_at: number | null;
  label: string | null;
}

const COLUMNS = 'id, printer, payload, description, state, attempts, next_attempt_at, last_error, last_error_key, last_error_params, created_at, printed_at, label';

/**
 * The stored key and parameters, checked: a key this version does not know (a newer app wrote it) or parameters
 * that do not parse leave the English text alone to be shown, never a half message.
 */
function errorKeyOf(r: Raw): Pick<PrintJobRecord, 'lastErrorKey' | 'lastErrorParams'> {
  const key = KnownPrinterMessageKey.safeParse(r.last_error_key);
  if (!key.success || r.last_error_params === null) return { lastErrorKey: null, lastErrorParams: null };
  let json: unknown;
  try {
    json = JSON.parse(r.last_error_params);
  } catch {
    return { lastErrorKey: null, lastErrorParams: null };
  }
  const params = PrinterMessageParams.safeParse(json);
  return params.success ? { lastErrorKey: key.data, lastErrorParams: params.data } : { lastErrorKey: null, lastErrorParams: null };
}

/** The stored label, checked (the column's CHECK keeps it JSON): one this version cannot read leaves the job its bytes. */
function labelOf(text: string | null): ItemLabel | null {
  const label = text === null ? null : ItemLabel.safeParse(JSON.parse(text));
  return label?.success ? label.data : null;
}

const paramsText = (params: PrintJobRecord['lastErrorParams'] | undefined): string | null | undefined =>
  params === undefined ? undefined : params === null ? null : JSON.stringify(params);

const fromRaw = (r: Raw): PrintJobRecord => withLabel(r, {
  id: r.id,
  printer: r.printer,
  payload: r.payload,
  description: r.description,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  ...errorKeyOf(r),
  createdAt: r.created_at,
  printedAt: r.printed_at,
});

/** The record as the queue wrote it: with the label it gave, without one where it gave none. */
function withLabel(r: Raw, job: PrintJobRecord): PrintJobRecord {
  const label = labelOf(r.label);
  return label ? { ...job, label } : job;
}

export function insertPrintJob(db: Db, job: PrintJobRecord): void {
  prepared(
    db,
    `INSERT INTO print_jobs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    job.id,
    job.printer,
    job.payload,
    job.description,
    job.state,
    job.attempts,
    job.nextAttemptAt,
    job.lastError,
    job.lastErrorKey,
    paramsText(job.lastErrorParams),
    job.createdAt,
    job.printedAt,
    job.label ? JSON.stringify(job.label) : null,
  );
}

const PATCH_COLUMNS: Record<keyof PrintJobPatch, string> = {
  payload: 'payload',
  state: 'state',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
  lastErrorKey: 'last_error_key',
  lastErrorParams: 'last_error_params',
  printedAt: 'printed_at',
};

export function updatePrintJob(db: Db, id: string, patch: PrintJobPatch): void {
  const keys = (Object.keys(patch) as Array<keyof PrintJobPatch>).filter((k) => patch[k] !== undefined);
  if (keys.length === 0) return;
  const set = keys.map((k) => `${PATCH_COLUMNS[k]} = @${k}`).join(', ');
  const values = Object.fromEntries(keys.map((k) => [k, k === 'lastErrorParams' ? paramsText(patch.lastErrorParams) : patch[k]]));
  const info = db.prepare(`UPDATE print_jobs SET ${set} WHERE id = @id`).run({ ...values, id });
  if (info.changes !== 1) throw new Error(`no print job ${id}`);
}

export function getPrintJob(db: Db, id: string): PrintJobRecord | undefined {
  const r = prepared(db, `SELECT ${COLUMNS} FROM print_jobs WHERE id = ?`).get(id) as Raw | undefined;
  return r ? fromRaw(r) : undefined;
}

/** The newest label job of an LPN: its first label or a later one (contract/label.ts labelJobId). */
export function latestLabelJob(db: Db, lpn: string): PrintJobRecord | undefined {
  const first = labelJobId(lpn);
  // Later jobs of the label are "<first>#<n>": a range on the id's index ('$' follows '#'), where substr() read
  // every job the bench ever printed, now on each item.lookup as well as each reprint.
  const r = prepared(db, `SELECT ${COLUMNS} FROM print_jobs WHERE id = ? OR (id >= ? AND id < ?) ORDER BY seq DESC LIMIT 1`).get(first, `${first}#`, `${first}$`) as
    | Raw
    | undefined;
  return r ? fromRaw(r) : undefined;
}

export function listPrintJobs(db: Db, states: readonly PrintJobState[]): PrintJobRecord[] {
  if (states.length === 0) return [];
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM print_jobs WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY seq`)
    .all(...states) as Raw[];
  return rows.map(fromRaw);
}

/** Printed and cancelled jobs older than `before` (epoch ms) are only history; drop their payloads. */
export function prunePrintJobs(db: Db, before: number): number {
  return db.prepare("DELETE FROM print_jobs WHERE state IN ('printed', 'cancelled') AND created_at < ?").run(before).changes;
}

/** The store object the print queue takes. */
export function sqlitePrintJobStore(db: Db): PrintJobStore {
  return {
    add: (job) => insertPrintJob(db, job),
    update: (id, patch) => updatePrintJob(db, id, patch),
    get: (id) => getPrintJob(db, id),
    list: (states) => listPrintJobs(db, states),
  };
}
