// Where print jobs live between attempts. The queue talks only to this interface so the
// in-memory store can be swapped for a SQLite one (db/repositories/printJobs.ts) without
// touching the retry logic.

export type PrintJobState =
  | 'pending' // waiting for (another) attempt
  | 'sending' // bytes are being handed to the printer right now
  | 'printed'
  | 'uncertain' // the printer may have the job; only an operator may ask for a reprint
  | 'cancelled';

export interface PrintJobRecord {
  id: string;
  printer: string;
  payload: Buffer;
  /** What the operator sees in the queue, e.g. "LPN R-000123". */
  description: string;
  state: PrintJobState;
  attempts: number;
  /** Epoch ms; the job is not tried before then. */
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  printedAt: number | null;
}

export type PrintJobPatch = Partial<Pick<PrintJobRecord, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'printedAt'>>;

export interface PrintJobStore {
  add(job: PrintJobRecord): void;
  update(id: string, patch: PrintJobPatch): void;
  get(id: string): PrintJobRecord | undefined;
  /** Jobs in any of `states`, oldest first (insertion order breaks ties). */
  list(states: readonly PrintJobState[]): PrintJobRecord[];
}

export class MemoryPrintJobStore implements PrintJobStore {
  private readonly jobs = new Map<string, PrintJobRecord>();

  add(job: PrintJobRecord): void {
    if (this.jobs.has(job.id)) throw new Error(`print job ${job.id} already exists`);
    this.jobs.set(job.id, { ...job });
  }

  update(id: string, patch: PrintJobPatch): void {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no print job ${id}`);
    this.jobs.set(id, { ...job, ...patch });
  }

  get(id: string): PrintJobRecord | undefined {
    const job = this.jobs.get(id);
    return job ? { ...job } : undefined;
  }

  list(states: readonly PrintJobState[]): PrintJobRecord[] {
    // Map iteration is insertion order, which is creation order.
    return [...this.jobs.values()].filter((j) => states.includes(j.state)).map((j) => ({ ...j }));
  }
}
