// A read-only station.sqlite stops start-up with a sentence (before any URL is printed), instead of a station
// that starts and then fails every call.
//
// Tests may run as root, where chmod 0444 does not stop writes: there, better-sqlite3 is wrapped to open the
// station file read-only, which is what SQLite itself does for a file this user may not write (db.readonly).
// As any other user the file is really made read-only with chmod.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const ROOT = process.getuid?.() === 0;
const readOnlyFiles = new Set<string>();

vi.mock('better-sqlite3', async (importOriginal) => {
  const Real = ((await importOriginal()) as { default: new (file: string, options?: object) => unknown }).default;
  function Wrapped(this: unknown, file: string, options: object = {}) {
    return new Real(file, readOnlyFiles.has(file) ? { ...options, readonly: true } : options);
  }
  Wrapped.prototype = Real.prototype;
  return { default: Wrapped };
});

const { openDatabase, DatabaseUnwritableError } = await import('../../db/connection.js');
const { startPreview } = await import('../../preview/server.js');

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-readonly-'));
  file = join(dir, 'station.sqlite');
  openDatabase(file).close();
  if (ROOT) readOnlyFiles.add(file);
  else chmodSync(file, 0o444);
});
afterAll(() => {
  if (existsSync(file)) chmodSync(file, 0o644);
  rmSync(dir, { recursive: true, force: true });
});

describe('a read-only station.sqlite at start-up', () => {
  it('openDatabase refuses it with a sentence saying what it is and what to do', () => {
    expect(() => openDatabase(file)).toThrow(DatabaseUnwritableError);
    expect(() => openDatabase(file)).toThrow(/read-only or its folder cannot be written.*Make the data folder writable/);
    // Reading it (audit verify) still works.
    openDatabase(file, { readonly: true }).close();
  });

  it('the preview does not start (no URL), and says why', async () => {
    const log: string[] = [];
    const err = await startPreview({ dataDir: dir, port: 0, demoRmas: 5, log: (m) => log.push(m), staticDir: dir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatabaseUnwritableError);
    expect((err as Error).message).toContain(file);
  }, 60_000);
});
