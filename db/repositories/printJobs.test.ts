import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.js';
import { getPrintJob, insertPrintJob, latestLabelJob, listPrintJobs, prunePrintJobs, sqlitePrintJobStore, updatePrintJob } from './printJobs.js';
import { labelJobId } from '../../contract/label.js';
import { PrintJobRecord } from '../../contract/printJob.js';
import { MemoryPrintJobStore } from '../../native/printers/printJobStore.js';

const job = (id: string, createdAt: number): PrintJobRecord => ({
  id,
  printer: 'tcp://127.0.0.1:9100',
  payload: Buffer.from([0x02, 0x1b, 0x41, 0x00, 0xff]),
  description: id,
  state: 'pending',
  attempts: 0,
  nextAttemptAt: createdAt,
  lastError: null,
  lastErrorKey: null,
  lastErrorParams: null,
  createdAt,
  printedAt: null,
});

describe('print_jobs repository', () => {
  it('finds the newest label of an LPN (a re-route prints a later one), never another LPN that starts alike', () => {
    const db = openDatabase(':memory:');
    insertPrintJob(db, job(labelJobId('LPN-1'), 1));
    insertPrintJob(db, job(labelJobId('LPN-1/2'), 2));
    expect(latestLabelJob(db, 'LPN-1')?.id).toBe('label:LPN-1');
    insertPrintJob(db, job(labelJobId('LPN-1', 'R20261102'), 3));
    insertPrintJob(db, job(labelJobId('LPN-10'), 4));
    expect(latestLabelJob(db, 'LPN-1')?.id).toBe('label:LPN-1#R20261102');
    expect(latestLabelJob(db, 'LPN-1/2')?.id).toBe('label:LPN-1/2');
    expect(latestLabelJob(db, 'LPN-2')).toBeUndefined();
    db.close();
  });

  it('keeps payload bytes exactly and lists by state in creation order', () => {
    const db = openDatabase(':memory:');
    insertPrintJob(db, job('b', 2));
    insertPrintJob(db, job('a', 1));
    updatePrintJob(db, 'b', { state: 'uncertain', attempts: 1, lastError: 'ECONNRESET' });
    expect(getPrintJob(db, 'a')?.payload).toEqual(Buffer.from([0x02, 0x1b, 0x41, 0x00, 0xff]));
    expect(listPrintJobs(db, ['pending', 'uncertain']).map((j) => j.id)).toEqual(['b', 'a']);
    expect(getPrintJob(db, 'b')).toMatchObject({ state: 'uncertain', attempts: 1, lastError: 'ECONNRESET' });
    db.close();
  });

  it('reads back the contract print-job record, the same one the in-memory store keeps', () => {
    const db = openDatabase(':memory:');
    const memory = new MemoryPrintJobStore();
    for (const store of [sqlitePrintJobStore(db), memory]) {
      store.add(job('a', 1));
      store.update('a', { state: 'printed', attempts: 1, printedAt: 5 });
      expect(PrintJobRecord.parse(store.get('a'))).toEqual({ ...job('a', 1), state: 'printed', attempts: 1, printedAt: 5 });
    }
    db.close();
  });

  it('refuses a duplicate id, an unknown state, and an update of a missing job', () => {
    const db = openDatabase(':memory:');
    insertPrintJob(db, job('a', 1));
    expect(() => insertPrintJob(db, job('a', 2))).toThrow(/UNIQUE/);
    expect(() => updatePrintJob(db, 'a', { state: 'lost' as never })).toThrow(/CHECK/);
    expect(() => updatePrintJob(db, 'zz', { attempts: 1 })).toThrow(/no print job/);
    db.close();
  });

  it('finds jobs by state through the index, not a table scan', () => {
    const db = openDatabase(':memory:');
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM print_jobs WHERE state IN (?, ?) ORDER BY seq')
      .all('pending', 'uncertain') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX print_jobs_state/);
    db.close();
  });

  it('prunes only finished history', () => {
    const db = openDatabase(':memory:');
    insertPrintJob(db, job('old-printed', 1));
    insertPrintJob(db, job('old-pending', 1));
    updatePrintJob(db, 'old-printed', { state: 'printed', printedAt: 2 });
    expect(prunePrintJobs(db, 10)).toBe(1);
    expect(listPrintJobs(db, ['pending', 'printed']).map((j) => j.id)).toEqual(['old-pending']);
    db.close();
  });
});
