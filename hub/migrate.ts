import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** `0001_init.sql` → version 1. Gaps and repeats are refused: an ordering mistake must not reach a database. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return files.map((file, i) => {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new Error(`hub migration ${file}: name it NNNN_words.sql`);
    const version = Number(m[1]);
    if (version !== i + 1) throw new Error(`hub migration ${file}: expected number ${i + 1}`);
    return { version, name: m[2] ?? file, sql: readFileSync(join(dir, file), 'utf8') };
  });
}

/**
 * Applies the migrations the database lacks, each in its own transaction together with its row in
 * schema_migrations. An advisory lock keeps two hubs starting on one database from racing. A database
 * migrated by newer code is refused rather than used half-understood. (schema_migrations is per
 * database, not per site: it is the one table without site_id.)
 */
export async function migrate(pool: pg.Pool, migrations: Migration[] = readMigrations()): Promise<{ applied: number[]; version: number }> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended('rs_hub.migrate', 0))");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    const known = migrations.length;
    if (newest > known) throw new Error(`the hub database is at schema version ${newest}, newer than this hub (${known}); upgrade the hub`);
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`hub migration ${m.version} (${m.name}) failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      applied.push(m.version);
    }
    return { applied, version: Math.max(newest, ...applied) };
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtextextended('rs_hub.migrate', 0))").catch(() => undefined);
    client.release();
  }
}
