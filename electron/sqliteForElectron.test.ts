import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import RealDatabase from 'better-sqlite3';
import Database, { setDefaultNativeBinding } from './sqliteForElectron.js';

const require = createRequire(import.meta.url);
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

afterEach(() => setDefaultNativeBinding(undefined));

describe('better-sqlite3 stand-in for the Electron bundle', () => {
  it('uses the default binary for databases opened without one', () => {
    setDefaultNativeBinding('/nonexistent/electron-abi/better_sqlite3.node');
    expect(() => new Database(':memory:')).toThrow(/nonexistent\/electron-abi/);
  });

  it('lets an explicit nativeBinding win, and behaves like the real class', () => {
    setDefaultNativeBinding('/nonexistent/electron-abi/better_sqlite3.node');
    const db = new Database(':memory:', { nativeBinding: nodeBuild });
    try {
      expect(db).toBeInstanceOf(RealDatabase);
      expect(db.prepare('SELECT 1 + 1 AS two').get()).toEqual({ two: 2 });
      expect(() => db.exec('SELECT * FROM missing')).toThrow(RealDatabase.SqliteError);
      expect((Database as unknown as { SqliteError: unknown }).SqliteError).toBe(RealDatabase.SqliteError);
    } finally {
      db.close();
    }
  });

  it('without a default it is the package itself', () => {
    const db = new Database(':memory:');
    try {
      expect(db.pragma('foreign_keys', { simple: true })).toBeTypeOf('number');
    } finally {
      db.close();
    }
  });
});
