// Stands in for `better-sqlite3` inside the Electron main bundle (esbuild alias in scripts/build-electron.mjs).
// The package's default binary is the Node build that the tests use; loading it in Electron fails on the ABI.
// Here every `new Database(...)` that does not name a binary gets the Electron-ABI one, so code that opens its
// own SQLite file (the demo WMS, future tools) works in Electron without threading the path through.
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

type DatabaseConstructor = typeof BetterSqlite3;

// A runtime require: esbuild leaves it alone, so it reaches the real package, not this alias.
const Real = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;

// Kept on globalThis, not in a module variable: the dev-only demo bundle (dist-demo/demo.cjs) carries its own
// copy of this module, and the demo WMS it starts must open SQLite with the binary main.ts chose.
const BINDING = Symbol.for('returns-station.sqlite-native-binding');
const shared = globalThis as { [BINDING]?: string | undefined };

/** main.ts calls this before anything opens a database. */
export function setDefaultNativeBinding(path: string | undefined): void {
  shared[BINDING] = path;
}

function Database(filename?: string | Buffer, options?: BetterSqlite3.Options): BetterSqlite3.Database {
  const defaultNativeBinding = shared[BINDING];
  const withBinding = defaultNativeBinding && !options?.nativeBinding ? { ...options, nativeBinding: defaultNativeBinding } : options;
  return new Real(filename, withBinding);
}
// Statics (SqliteError) and instanceof keep working.
Object.setPrototypeOf(Database, Real);
Database.prototype = Real.prototype;

export default Database as unknown as DatabaseConstructor;
