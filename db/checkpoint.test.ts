import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointWal, walFrames } from './checkpoint.js';
import { openDatabase, type Db } from './connection.js';

let dir: string;
let db: Db;

/** One commit per row, each a few pages: the way a bench writes (one grade, one commit). */
function commits(conn: Db, n: number): void {
  const insert = conn.prepare('INSERT INTO wal_probe (body) VALUES (?)');
  for (let i = 0; i < n; i++) insert.run('x'.repeat(3000));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-wal-'));
});

afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WAL checkpoints off the operator commit', () => {
  it('a connection opened without auto-checkpoint lets the WAL grow past 1000 pages: no commit checkpoints', () => {
    db = openDatabase(join(dir, 's.sqlite'), { walAutoCheckpoint: false });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body TEXT)');
    commits(db, 1500);
    // With SQLite's default (1000 pages) a commit past that copies the WAL back and the file restarts near 1000.
    expect(walFrames(db)).toBeGreaterThan(2000);
  });

  it('the default connection still checkpoints on commit (what the station used to pay for inside a grade)', () => {
    db = openDatabase(join(dir, 's.sqlite'));
    db.exec('CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body TEXT)');
    commits(db, 1500);
    expect(walFrames(db)).toBeLessThan(1500);
  });

  it('PASSIVE copies every frame; TRUNCATE when idle (or large) empties the WAL file', () => {
    db = openDatabase(join(dir, 's.sqlite'), { walAutoCheckpoint: false });
    db.exec('CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body TEXT)');
    commits(db, 300);
    const frames = walFrames(db);
    const passive = checkpointWal(db);
    expect(passive).toMatchObject({ mode: 'PASSIVE', busy: false });
    expect(passive.checkpointed).toBe(passive.walFrames);
    expect(walFrames(db)).toBe(frames); // PASSIVE leaves the file as it is
    expect(checkpointWal(db, { idle: true })).toMatchObject({ mode: 'TRUNCATE', busy: false });
    expect(walFrames(db)).toBe(0);
    commits(db, 300);
    // Large without being idle: truncated too.
    expect(checkpointWal(db, { truncateAboveFrames: 100 })).toMatchObject({ mode: 'TRUNCATE', busy: false });
    expect(walFrames(db)).toBe(0);
  });

  it('truncate: false (a worker beside the station) never truncates, idle or large', () => {
    db = openDatabase(join(dir, 's.sqlite'), { walAutoCheckpoint: false });
    db.exec('CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body TEXT)');
    commits(db, 300);
    const frames = walFrames(db);
    expect(checkpointWal(db, { idle: true, truncateAboveFrames: 100, truncate: false })).toMatchObject({ mode: 'PASSIVE', walFrames: frames, checkpointed: frames, busy: false });
    expect(walFrames(db)).toBe(frames);
  });

  it('a reader holding a snapshot (an export) makes TRUNCATE give up at once instead of waiting out the busy timeout', () => {
    db = openDatabase(join(dir, 's.sqlite'), { walAutoCheckpoint: false });
    db.exec('CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, body TEXT)');
    commits(db, 50);
    const reader = openDatabase(join(dir, 's.sqlite'), { readonly: true });
    try {
      reader.exec('BEGIN');
      // The snapshot ends at the WAL's last frame: PASSIVE copies everything, TRUNCATE must wait for the reader.
      reader.prepare('SELECT COUNT(*) FROM wal_probe').get();
      const started = Date.now();
      const report = checkpointWal(db, { idle: true });
      // busy_timeout is 5000 ms on the connection; the checkpoint must not sit in it.
      expect(Date.now() - started).toBeLessThan(2500);
      expect(report).toMatchObject({ mode: 'TRUNCATE', busy: true });
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      reader.exec('COMMIT');
    } finally {
      reader.close();
    }
  });
});
