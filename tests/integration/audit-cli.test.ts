// Runs `returns-station audit verify` as support staff would, on a real station database file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase } from '../../db/connection.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { defaultDataDir, defaultUserDataPath } from '../../electron/runtimePaths.js';

const BIN = fileURLToPath(new URL('../../bin/returns-station.mjs', import.meta.url));
let dir: string;
let file: string;

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-audit-cli-'));
  file = join(dir, 'station.sqlite');
  const db = openDatabase(file);
  for (let i = 0; i < 3; i++) appendAudit(db, { operatorId: 'OP-1', action: 'item.graded', entity: `item:${i}`, after: { grade: 'A' } });
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('returns-station audit verify', () => {
  it('says an intact chain is intact (exit 0), by --db or RS_DATA_DIR', () => {
    const r = run(['audit', 'verify', '--db', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, entries: 3 });
    expect(run(['audit', 'verify'], { RS_DATA_DIR: dir }).status).toBe(0);
  });

  it('finds an altered entry (exit 1) and refuses a missing file (exit 2)', () => {
    const db = openDatabase(file);
    // Someone with file access drops the append-only trigger and edits history.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET after_json = '{\"grade\":\"N\"}' WHERE seq = 2").run();
    db.close();
    const r = run(['audit', 'verify', '--db', file]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, brokenAtSeq: 2 });
    expect(r.stderr).toContain('broken at entry 2');
    expect(run(['audit', 'verify', '--db', join(dir, 'nope.sqlite')]).status).toBe(2);
  });

  it('without --db or RS_DATA_DIR reads station.sqlite in the app\'s default data folder (the same function the app uses)', () => {
    const home = join(dir, 'home');
    const env = { HOME: home, XDG_CONFIG_HOME: '', APPDATA: '', RS_DATA_DIR: '' };
    const dataDir = defaultDataDir(env, defaultUserDataPath(process.platform, env, home));
    expect(dataDir.startsWith(home)).toBe(true);
    mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(join(dataDir, 'station.sqlite'));
    appendAudit(db, { operatorId: 'OP-1', action: 'item.graded', entity: 'item:x', after: { grade: 'B' } });
    db.close();
    const r = run(['audit', 'verify'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, entries: 1 });
  });

  it('says in a sentence, not a stack trace, when the file is not a database or has no audit log', () => {
    const notDb = join(dir, 'notes.sqlite');
    writeFileSync(notDb, 'this is a text file, not SQLite\n'.repeat(200));
    const a = run(['audit', 'verify', '--db', notDb]);
    expect(a.status).toBe(2);
    expect(a.stderr).toBe(`returns-station: ${notDb} is not a station database (SQLite cannot read it as a database).\n`);

    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const b = run(['audit', 'verify', '--db', other]);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/has no audit log \(no audit_log table\)/);
    for (const r of [a, b]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
