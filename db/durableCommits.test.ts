import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './connection.js';
import { durableCommits } from './durableCommits.js';
import { heldCalls, settledSoon as settled, type HeldCalls } from '../shared-node/heldCalls.test-helper.js';

const dirs: string[] = [];
const open: Db[] = [];
function stationDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'rs-durable-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'station.sqlite'), { commitSync: 'deferred', walAutoCheckpoint: false });
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const write = (db: Db, key: string): void => {
  db.prepare("INSERT INTO settings (key, value) VALUES (?, 'x')").run(key);
};

/** A station database whose WAL syncs wait to be let go (`held`), with its commits. */
function heldStation(): { db: Db; held: HeldCalls<[string]>; commits: ReturnType<typeof durableCommits> } {
  const db = stationDb();
  const held = heldCalls<[string]>();
  return { db, held, commits: durableCommits(db, held.call) };
}

describe('durableCommits', () => {
  it('commits without a sync of their own, and counts the changes that wait for one', () => {
    const db = stationDb();
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    const commits = durableCommits(db, heldCalls<[string]>().call);
    const before = commits.changes();
    write(db, 'a');
    expect(commits.changes()).toBe(before + 1);
    db.prepare("SELECT value FROM settings WHERE key = 'a'").get();
    expect(commits.changes()).toBe(before + 1);
  });

  it('syncs the WAL once a change waits for it, and not again until something else changed', async () => {
    const { db, held, commits } = heldStation();
    write(db, 'a');
    const first = commits.durable();
    expect(await settled(first)).toBe(false);
    expect(held.started).toEqual([[`${db.name}-wal`]]);
    held.release();
    await first;
    await commits.durable();
    expect(held.started).toHaveLength(1);
    write(db, 'b');
    const second = commits.durable();
    expect(held.started).toHaveLength(2);
    held.release();
    await second;
  });

  it('answers a commit made during a sync only after a sync that began after it, shared by every such caller', async () => {
    const { db, held, commits } = heldStation();
    write(db, 'a');
    const first = commits.durable();
    write(db, 'b');
    const second = commits.durable();
    write(db, 'c');
    const third = commits.durable();
    expect(second).toBe(third);
    held.release();
    await first;
    expect(await settled(second)).toBe(false);
    expect(held.started).toHaveLength(2);
    held.release();
    await second;
    await commits.durable();
    expect(held.started).toHaveLength(2);
  });

  it("hands a failed sync's error to its callers, and the next caller syncs again", async () => {
    const { db, held, commits } = heldStation();
    write(db, 'a');
    const failing = commits.durable();
    held.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(failing).rejects.toMatchObject({ code: 'EIO' });
    const retry = commits.durable();
    expect(held.started).toHaveLength(2);
    held.release();
    await retry;
  });

  it('syncs the real WAL file through a kept handle, and finds nothing to sync where there is none', async () => {
    const db = stationDb();
    write(db, 'a');
    expect(statSync(`${db.name}-wal`).size).toBeGreaterThan(0);
    const commits = durableCommits(db);
    await commits.durable();
    write(db, 'b');
    await commits.durable();
    await commits.close();
    // Without a WAL (another journal mode) there is nothing to sync, and nothing fails.
    const plain = stationDb();
    plain.pragma('journal_mode = DELETE');
    write(plain, 'a');
    const none = durableCommits(plain);
    await none.durable();
    await none.close();
    const memory = openDatabase(':memory:', { commitSync: 'deferred' });
    open.push(memory);
    write(memory, 'a');
    await durableCommits(memory).durable();
  });

  it('keeps its count once the connection is closed, so a call ending after close waits for nothing', () => {
    const db = stationDb();
    const commits = durableCommits(db, heldCalls<[string]>().call);
    write(db, 'a');
    const n = commits.changes();
    db.close();
    expect(commits.changes()).toBe(n);
  });
});
