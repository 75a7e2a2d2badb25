import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate, openDatabase } from '../connection.js';
import { getPrintJob, insertPrintJob, latestLabelJob, listPrintJobs, prunePrintJobs, sqlitePrintJobStore, updatePrintJob } from './printJobs.js';
import { labelJobId, sampleLabel } from '../../contract/label.js';
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

  it('keeps the label a job was rendered from, and takes a job rendered anew for another printer (migration 018)', () => {
    const db = openDatabase(':memory:');
    const label = sampleLabel({ lpn: 'LPN-7' });
    insertPrintJob(db, { ...job('label:LPN-7', 1), label });
    insertPrintJob(db, job('plain', 2));
    expect(getPrintJob(db, 'label:LPN-7')?.label).toEqual(label);
    expect(getPrintJob(db, 'plain')?.label).toBeUndefined();
    updatePrintJob(db, 'label:LPN-7', { payload: Buffer.from('^XA^XZ') });
    expect(Buffer.from(getPrintJob(db, 'label:LPN-7')?.payload ?? []).toString()).toBe('^XA^XZ');
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

  it('keeps a last error as its key and parameters beside the English, and clears all three together', () => {
    const db = openDatabase(':memory:');
    const store = sqlitePrintJobStore(db);
    store.add(job('a', 1));
    store.update('a', { state: 'pending', attempts: 1, lastError: 'print: 10.0.0.5:9100: ECONNREFUSED', lastErrorKey: 'printer.error.refused', lastErrorParams: { where: '10.0.0.5:9100' } });
    expect(PrintJobRecord.parse(store.get('a'))).toMatchObject({ lastError: 'print: 10.0.0.5:9100: ECONNREFUSED', lastErrorKey: 'printer.error.refused', lastErrorParams: { where: '10.0.0.5:9100' } });
    store.update('a', { state: 'printed', printedAt: 2, lastError: null, lastErrorKey: null, lastErrorParams: null });
    expect(store.get('a')).toMatchObject({ lastError: null, lastErrorKey: null, lastErrorParams: null });
    db.close();
  });

  it('shows the English alone for a stored key this version does not know or parameters that do not parse', () => {
    const db = openDatabase(':memory:');
    insertPrintJob(db, { ...job('a', 1), lastError: 'from a newer app', lastErrorKey: 'printer.fault.paperOut', lastErrorParams: {} });
    db.prepare("UPDATE print_jobs SET last_error_key = 'printer.fault.fromTheFuture' WHERE id = 'a'").run();
    expect(getPrintJob(db, 'a')).toMatchObject({ lastError: 'from a newer app', lastErrorKey: null, lastErrorParams: null });
    db.prepare(`UPDATE print_jobs SET last_error_key = 'printer.error.refused', last_error_params = '{"where":{"nested":1}}' WHERE id = 'a'`).run();
    expect(getPrintJob(db, 'a')).toMatchObject({ lastErrorKey: null, lastErrorParams: null });
    expect(() => db.prepare("UPDATE print_jobs SET last_error_params = 'not json' WHERE id = 'a'").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 013: print job error keys', () => {
  it('gives old rows whose English was always the same words their key, and leaves the others to show their English', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-013-'));
    try {
      const file = join(dir, 'station.sqlite');
      const old = openDatabase(file, { migrate: false });
      migrate(old, loadMigrations().filter((m) => m.version <= 12));
      const insert = old.prepare(
        "INSERT INTO print_jobs (id, printer, payload, description, state, attempts, next_attempt_at, last_error, created_at) VALUES (?, 'tcp://h:9100', x'00', ?, ?, 1, 0, ?, 0)",
      );
      insert.run('a', 'A', 'uncertain', 'interrupted while sending; check whether the label came out');
      insert.run('b', 'B', 'pending', 'Out of labels');
      insert.run('c', 'C', 'pending', 'print: h:9100: ECONNREFUSED');
      insert.run('d', 'D', 'printed', null);
      old.close();
      const db = openDatabase(file);
      try {
        expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(13);
        expect(getPrintJob(db, 'a')).toMatchObject({ lastErrorKey: 'printer.job.interrupted', lastErrorParams: {} });
        expect(getPrintJob(db, 'b')).toMatchObject({ lastError: 'Out of labels', lastErrorKey: 'printer.fault.paperOut', lastErrorParams: {} });
        expect(getPrintJob(db, 'c')).toMatchObject({ lastError: 'print: h:9100: ECONNREFUSED', lastErrorKey: null, lastErrorParams: null });
        expect(getPrintJob(db, 'd')).toMatchObject({ lastError: null, lastErrorKey: null, lastErrorParams: null });
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
