import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, open as openCb, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { startWalSyncer, type WalSyncer } from './walSyncer.js';

const dirs: string[] = [];
const dbs: Db[] = [];
const syncers: WalSyncer[] = [];
function station(): { db: Db; walFile: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rs-walsync-'));
  dirs.push(dir);
  const file = join(dir, 'station.sqlite');
  const db = openDatabase(file, { walAutoCheckpoint: false, commitSync: 'deferred' });
  dbs.push(db);
  return { db, walFile: `${file}-wal`, dir };
}
function syncer(walFile: string, entry?: { source: string; eval: boolean }): WalSyncer {
  const s = startWalSyncer({ walFile, ...(entry ? { entry } : {}) });
  syncers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of syncers.splice(0)) await s.close();
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const write = (db: Db, key: string): void => {
  db.prepare("INSERT INTO settings (key, value) VALUES (?, 'x')").run(key);
};

/**
 * Fills libuv's thread pool (4 threads) with opens of FIFOs nobody writes to: each holds a pool thread until
 * `release` opens the FIFO's other end. Anything that needs the pool meanwhile waits.
 */
function blockThreadPool(dir: string, threads = 4): { release(): void } {
  const fifos = Array.from({ length: threads }, (_, i) => join(dir, `fifo-${i}`));
  for (const f of fifos) execFileSync('mkfifo', [f]);
  const opened: Promise<number>[] = fifos.map((f) => new Promise((resolve, reject) => openCb(f, 'r', (err, fd) => (err ? reject(err) : resolve(fd)))));
  return {
    release() {
      const writers = fifos.map((f) => openSync(f, 'w'));
      void Promise.all(opened).then((fds) => fds.forEach((fd) => closeSync(fd)));
      for (const w of writers) closeSync(w);
    },
  };
}

describe('the WAL sync worker', () => {
  it("syncs the station's WAL while libuv's thread pool is busy: a commit does not wait for other jobs' pool work", async () => {
    const { db, walFile, dir } = station();
    const s = syncer(walFile);
    write(db, 'a');
    // Started before the pool is blocked: a worker's start reads its code through the pool.
    await s.sync();
    const pool = blockThreadPool(dir);
    try {
      write(db, 'b');
      const synced = await Promise.race([s.sync().then(() => 'synced'), new Promise((resolve) => setTimeout(() => resolve('waiting for the pool'), 3000))]);
      expect(synced).toBe('synced');
    } finally {
      pool.release();
    }
  });

  it('answers at once while there is no WAL yet, and syncs it once there is one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-walsync-'));
    dirs.push(dir);
    const s = syncer(join(dir, 'nothing.sqlite-wal'));
    await expect(s.sync()).resolves.toBeUndefined();
    const { db, walFile } = station();
    const t = syncer(walFile);
    write(db, 'c');
    await expect(t.sync()).resolves.toBeUndefined();
  });

  it("rejects with the sync's own error, so the call that waits for it is not told it was saved", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-walsync-'));
    dirs.push(dir);
    // A directory where the WAL should be: it cannot be opened for writing (EISDIR).
    const notAFile = join(dir, 'station.sqlite-wal');
    mkdirSync(notAFile);
    await expect(syncer(notAFile).sync()).rejects.toMatchObject({ code: 'EISDIR', message: expect.stringContaining('the WAL could not be synced') });
  });

  it('syncs in the thread pool when its worker cannot run, and after it is closed', async () => {
    const { db, walFile } = station();
    const broken = syncer(walFile, { source: 'throw new Error("no bundle here")', eval: true });
    write(db, 'd');
    await expect(broken.sync()).resolves.toBeUndefined();
    await expect(broken.sync()).resolves.toBeUndefined();
    const s = syncer(walFile);
    await s.close();
    await expect(s.sync()).resolves.toBeUndefined();
  });
});
