import type Database from 'better-sqlite3';
import type { Db } from '../connection.js';

export type Statement = Database.Statement<unknown[]>;

const cache = new WeakMap<Db, Map<string, Statement>>();

/**
 * A prepared statement per connection and SQL text, prepared once. For queries on hot paths (every
 * appended event, every pulled RMA): preparing them on each call was a large share of their cost
 * (bench: prepare() was 10 of 19 CPU seconds of a 50k-RMA pull). Do not call pluck()/raw()/expand()
 * on a shared statement: that would change it for every caller.
 */
export function prepared(db: Db, sql: string): Statement {
  let byDb = cache.get(db);
  if (!byDb) cache.set(db, (byDb = new Map()));
  let stmt = byDb.get(sql);
  if (!stmt) byDb.set(sql, (stmt = db.prepare<unknown[]>(sql)));
  return stmt;
}
