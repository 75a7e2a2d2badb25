import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

export interface OpenOptions {
  /** better-sqlite3 binary for this runtime; Electron passes its own ABI build. */
  nativeBinding?: string;
  migrationsDir?: string;
  readonly?: boolean;
  /**
   * false: this connection never checkpoints on commit (wal_autocheckpoint = 0); the owner runs
   * checkpointWal (db/checkpoint.ts) on a timer instead, so no commit pays for copying the WAL.
   */
  walAutoCheckpoint?: boolean;
  /**
   * false: a second connection to a database the station's thread has opened (and so migrated) already: a
   * worker's. It applies no migration, so it needs no migrations folder (none sits beside a worker's bundle).
   */
  migrate?: boolean;
  /**
   * 'deferred': commits are not synced here (synchronous=NORMAL); the owner makes them durable off the event
   * loop with db/durableCommits.ts before it tells anyone they are saved. Default 'inline': every commit syncs.
   */
  commitSync?: 'inline' | 'deferred';
}

const defaultMigrationsDir = (): string => join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

export class DatabaseTooNewError extends Error {
  constructor(readonly dbVersion: number, readonly codeVersion: number) {
    super(`database schema version ${dbVersion} is newer than this app understands (${codeVersion}); update the app`);
    this.name = 'DatabaseTooNewError';
  }
}

/** Applies pending migrations, each in its own transaction, and records them in user_version and schema_migrations. */
export function migrate(db: Db, migrations: Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}

/** The station's database cannot be written or the disk is full at start-up: a sentence for the person starting it. */
export class DatabaseUnwritableError extends Error {
  constructor(readonly file: string, readonly reason: 'read-only' | 'disk-full', readonly sqliteCode?: string) {
    super(
      reason === 'disk-full'
        ? `The disk holding the station's database (${file}) is full. Free some disk space, then start the station again.`
        : `The station's database (${file}) is read-only or its folder cannot be written, so the station could not save any work. Make the data folder writable for this user (or ask IT), then start the station again.`,
    );
    this.name = 'DatabaseUnwritableError';
  }
}

const READ_ONLY_CODES = /^SQLITE_(READONLY|CANTOPEN|PERM|IOERR)/;

function sqliteCode(err: unknown): string | undefined {
  const code = err && typeof err === 'object' && 'code' in err ? (err as { code: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE), waiting for it with the busy timeout.
 * better-sqlite3 begins DEFERRED, and SQLite does not wait for a reader that asks to become the writer (it could
 * deadlock): a transaction that read first and then wrote while another connection held the write lock (the
 * checkpoint worker starting the WAL over, a bulk load) failed at once with SQLITE_BUSY, and an operator's call
 * with it ("something went wrong"). `.deferred` stays available by name.
 */
function writeLockFirst(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn) => transaction(fn).immediate) as Db['transaction'];
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Db | undefined;
  try {
    db = new Database(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true } : {}),
    });
    // SQLite quietly opens a file it may not write read-only; the station would then start and fail every call.
    if (!options.readonly && db.readonly) throw new DatabaseUnwritableError(file, 'read-only');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: an outbox row that was acknowledged to the operator survives power loss. NORMAL only where the
      // owner syncs before it acknowledges anything (db/durableCommits.ts).
      if (options.commitSync === 'deferred') db.pragma('synchronous = NORMAL');
      else db.pragma('synchronous = FULL');
      if (options.walAutoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) writeLockFirst(db);
    if (!options.readonly && options.migrate !== false) migrate(db, loadMigrations(options.migrationsDir));
    return db;
  } catch (err) {
    db?.close();
    const code = sqliteCode(err);
    if (!options.readonly && code === 'SQLITE_FULL') throw new DatabaseUnwritableError(file, 'disk-full', code);
    if (!options.readonly && code && READ_ONLY_CODES.test(code)) throw new DatabaseUnwritableError(file, 'read-only', code);
    throw err;
  }
}
