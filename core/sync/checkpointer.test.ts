import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { walFrames, WAL_KEPT_BYTES } from '../../db/checkpoint.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { checkpointFor, checkpointInWorker, checkpointWorkerEntry, startCheckpointer, type Checkpointer } from './checkpointer.js';

const dirs: string[] = [];
const dbs: Db[] = [];
const workers: Checkpointer[] = [];
function station(): { db: Db; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rs-ckpt-'));
  dirs.push(dir);
  const file = join(dir, 'station.sqlite');
  const db = openDatabase(file, { walAutoCheckpoint: false, commitSync: 'deferred' });
  dbs.push(db);
  return { db, file };
}
function checkpointer(file: string, entry?: { source: string; eval: boolean }): Checkpointer {
  const c = startCheckpointer({ dbFile: file, ...(entry ? { entry } : {}) });
  workers.push(c);
  return c;
}
afterEach(async () => {
  for (const c of workers.splice(0)) await c.close();
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Enough commits to leave a few hundred frames in the WAL. */
function fill(db: Db, rows = 400): void {
  const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  for (let i = 0; i < rows; i++) insert.run(`k${i}-${Math.random()}`, 'x'.repeat(2000));
}

describe('the checkpoint worker', () => {
  it("copies the station's WAL into the database on a connection of its own, without truncating it", async () => {
    const { db, file } = station();
    fill(db);
    const frames = walFrames(db);
    expect(frames).toBeGreaterThan(100);
    const c = checkpointer(file);
    const passive = await c.checkpoint({ idle: false, truncateAboveFrames: 10 });
    expect(passive).toEqual({ mode: 'PASSIVE', walFrames: frames, checkpointed: frames, busy: false });
    fill(db, 20);
    const idle = await c.checkpoint({ idle: true });
    expect(idle).toMatchObject({ mode: 'PASSIVE', busy: false });
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    // The station's own connection goes on writing and reading after it.
    fill(db, 10);
    expect((db.prepare('SELECT count(*) FROM settings').pluck().get() as number)).toBeGreaterThanOrEqual(430);
  });

  it("starts the WAL over itself after copying all of it, so the station's next commit does not sync a new header", async () => {
    const { db, file } = station();
    fill(db);
    // The WAL header's checkpoint sequence (bytes 12-15) moves each time a writer starts the WAL over.
    const restarts = (): number => readFileSync(`${file}-wal`).readUInt32BE(12);
    const before = restarts();
    const c = checkpointer(file);
    const report = await c.checkpoint({ idle: false, truncateAboveFrames: Number.MAX_SAFE_INTEGER });
    expect(report).toMatchObject({ mode: 'PASSIVE', busy: false });
    expect(restarts()).toBe(before + 1);
    expect(db.prepare('SELECT restarts FROM wal_restarts').pluck().get()).toBe(1);
    // The station writes on into the WAL the worker started: no second restart, so no header sync of its own.
    fill(db, 10);
    expect(restarts()).toBe(before + 1);
    // A WAL that grew past WAL_KEPT_BYTES is cut back to it by the restart's commit, idle or not.
    fill(db, 3000);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(2 * WAL_KEPT_BYTES);
    await c.checkpoint({ idle: true });
    expect(restarts()).toBe(before + 2);
    expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_KEPT_BYTES + 2 * 4120);
    // An idle bench: the next ticks find only the restart's own commit in the WAL and leave it be (no write, no sync).
    expect(await c.checkpoint({ idle: true })).toMatchObject({ walFrames: 1, checkpointed: 1, busy: false });
    await c.checkpoint({ idle: true });
    expect(restarts()).toBe(before + 2);
    expect(db.prepare('SELECT restarts FROM wal_restarts').pluck().get()).toBe(2);
  });

  it('gives a call made while a checkpoint runs that same checkpoint', async () => {
    const { db, file } = station();
    fill(db);
    const c = checkpointer(file);
    const first = c.checkpoint({ idle: false });
    const second = c.checkpoint({ idle: true });
    expect(second).toBe(first);
    expect((await first).checkpointed).toBeGreaterThan(0);
  });

  it("checkpoints on the station's thread when the worker cannot run, and after the worker is closed", async () => {
    const { db, file } = station();
    // Each start of the broken worker leaves a line in a file, before it fails.
    const starts = join(dirname(file), 'starts.txt');
    const broken = checkpointer(file, { source: `require('node:fs').appendFileSync(${JSON.stringify(starts)}, 'x\\n'); throw new Error('no worker here');`, eval: true });
    checkpointInWorker(db, broken);
    fill(db);
    await expect(broken.checkpoint({ idle: false })).rejects.toThrow(/no worker here/);
    // Not started again at every tick: it is refused at once from now on.
    await expect(broken.checkpoint({ idle: false })).rejects.toThrow(/no worker here/);
    expect(readFileSync(starts, 'utf8')).toBe('x\n');
    const frames = walFrames(db);
    expect(await checkpointFor(db, { idle: false })).toMatchObject({ mode: 'PASSIVE', checkpointed: frames });

    const working = checkpointer(file);
    checkpointInWorker(db, working);
    await working.close();
    fill(db, 50);
    expect((await checkpointFor(db, { idle: false })).checkpointed).toBeGreaterThan(0);
    await expect(working.checkpoint({ idle: false })).rejects.toThrow(/closed/);
  });

  it('answers an unreadable request with a refusal, and goes on', async () => {
    const { db, file } = station();
    fill(db, 20);
    const entry = checkpointWorkerEntry();
    const w = new Worker(entry.source, { eval: entry.eval, workerData: { dbFile: file } });
    try {
      const replies: unknown[] = [];
      const next = (): Promise<unknown> => new Promise((resolve) => w.once('message', resolve));
      w.postMessage({ id: 'one', idle: 'yes' });
      replies.push(await next());
      w.postMessage({ id: 7, idle: false });
      replies.push(await next());
      expect(replies[0]).toMatchObject({ id: -1, ok: false, message: expect.stringContaining('unreadable request') });
      expect(replies[1]).toMatchObject({ id: 7, ok: true, report: { mode: 'PASSIVE', busy: false } });
    } finally {
      await w.terminate();
    }
  });
});

describe("the checkpoint worker beside the station's commits", () => {
  it('never makes a transaction of the station fail with SQLITE_BUSY (a TRUNCATE checkpoint from the worker did)', async () => {
    const { db, file } = station();
    fill(db, 50);
    const c = checkpointer(file);
    const write = db.transaction((i: number) => {
      db.prepare('SELECT count(*) FROM settings').pluck().get();
      for (let j = 0; j < 8; j++) db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(`w${i}-${j}-${Math.random()}`, 'y'.repeat(3000));
    });
    const failures: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          write(i);
        } catch (err) {
          failures.push((err as { code?: string }).code ?? String(err));
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    // Idle and busy checkpoints, back to back, as the sync timer asks for them on a bench that pauses and scans.
    const until = Date.now() + 3000;
    for (let k = 0; Date.now() < until; k++) await c.checkpoint({ idle: k % 2 === 0, truncateAboveFrames: 64 });
    stop = true;
    await writer;
    expect(failures).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM settings WHERE key LIKE 'w%'").pluck().get()).toBeGreaterThan(100);
  });
});
