// The in-memory print-job store (tests, a bench without a database). The record and the store's interface are
// contract/printJob.ts; the persistent store is db/repositories/printJobs.ts.
import type { PrintJobPatch, PrintJobRecord, PrintJobState, PrintJobStore } from '../../contract/printJob.js';

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
