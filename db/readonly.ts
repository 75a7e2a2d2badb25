import type { Db } from './connection.js';

declare const readable: unique symbol;

/**
 * A connection that can only read (Signal's ReadableDB/WritableDB split): repositories for reports take
 * this type, so report code cannot reach a writing repository, and every statement it prepares is
 * checked by SQLite itself to be one that does not change the database.
 */
export interface ReadonlyDb {
  readonly [readable]: true;
  readonly prepare: Db['prepare'];
}

export class ReadonlyDbWriteError extends Error {
  constructor(sql: string) {
    super(`a read-only connection refuses a statement that writes: ${sql.trim().slice(0, 60)}`);
    this.name = 'ReadonlyDbWriteError';
  }
}

/** The reading half of a connection; the writable connection itself is never handed out through it. */
export function readonlyView(db: Db): ReadonlyDb {
  const prepare = (sql: string) => {
    const statement = db.prepare(sql);
    if (!statement.readonly) throw new ReadonlyDbWriteError(sql);
    return statement;
  };
  // The brand exists only in the type: this function is the one place a ReadonlyDb is made.
  return { prepare } as unknown as ReadonlyDb;
}

export interface ReadSnapshot {
  db: ReadonlyDb;
  /** Ends the snapshot; safe to call twice. */
  end: () => void;
}

/**
 * One consistent snapshot on a connection of its own for a long read (an export): later writes on the
 * station's connection do not show in it. The connection's page cache grows for the one big scan.
 */
export function beginReadSnapshot(connection: Db): ReadSnapshot {
  connection.pragma('cache_size = -32768');
  connection.exec('BEGIN');
  // BEGIN is deferred: the first read fixes the snapshot, so take it now rather than at the first report query.
  connection.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
  return {
    db: readonlyView(connection),
    end: () => {
      if (connection.inTransaction) connection.exec('COMMIT');
    },
  };
}
