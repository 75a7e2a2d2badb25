import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from './db.js';
import { migrate, readMigrations } from './migrate.js';
import { startTestPostgres, type TestPostgres } from './testing.js';

let pgServer: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  pgServer = await startTestPostgres();
  pool = createPool(pgServer.url);
});
afterAll(async () => {
  await pool?.end();
  await pgServer?.stop();
});

describe('hub migrations on a real PostgreSQL', () => {
  it('applies every numbered migration once, each recorded, and nothing on a second run', async () => {
    const all = readMigrations();
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    const first = await migrate(pool);
    expect(first.applied).toEqual(all.map((m) => m.version));
    const rows = (await pool.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
    expect(rows.map((r) => r.version)).toEqual(first.applied);
    const second = await migrate(pool);
    expect(second.applied).toEqual([]);
    expect(second.version).toBe(all.length);
  });

  it('keys every table by site_id first (schema_migrations, per database, aside)', async () => {
    const keys = await pool.query<{ table: string; first: string }>(
      `SELECT c.relname AS table, a.attname AS first
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
       WHERE n.nspname = 'public' AND (i.indisprimary OR i.indisunique) AND c.relname <> 'schema_migrations'`,
    );
    expect(keys.rows.length).toBeGreaterThan(5);
    expect(keys.rows.filter((k) => k.first !== 'site_id')).toEqual([]);
    const tables = await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'");
    const keyed = new Set(keys.rows.map((k) => k.table));
    expect(tables.rows.map((t) => t.table_name).filter((t) => !keyed.has(t))).toEqual([]);
  });

  it('rolls a failing migration back whole and leaves it unrecorded', async () => {
    const broken = [...readMigrations(), { version: readMigrations().length + 1, name: 'broken', sql: 'CREATE TABLE half_done (site_id text PRIMARY KEY); SELECT no_such_function();' }];
    await expect(migrate(pool, broken)).rejects.toThrow(/broken/);
    const half = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    expect(half.rowCount).toBe(0);
    expect((await pool.query('SELECT max(version) AS v FROM schema_migrations')).rows[0]).toEqual({ v: readMigrations().length });
  });

  it('refuses a database migrated by a newer hub', async () => {
    await pool.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')");
    try {
      await expect(migrate(pool)).rejects.toThrow(/newer than this hub/);
    } finally {
      await pool.query('DELETE FROM schema_migrations WHERE version = 999');
    }
  });
});
