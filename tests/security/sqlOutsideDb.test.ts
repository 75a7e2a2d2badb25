// Statements live in db/ (repositories, connection, tuning): services call typed repository functions,
// so the SQL scan, the allow-list and the row types all have one place to look.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** Shipped service code; tests and test helpers may set up rows directly. */
const SCANNED = ['core'];

const CALL = /\b[A-Za-z_$][\w$]*(?:\.deps)?\.(?:db|reader|connection)?\.?(?:prepare|pragma)\(|\b(?:db|reader|connection)\.exec\(/;
const STATEMENT = /['"`]\s*(?:SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|BEGIN\b|COMMIT\b|ROLLBACK\b|PRAGMA\s|CREATE\s+(?:TABLE|INDEX)|DROP\s|ALTER\s+TABLE)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$|\.test-helper\.ts$|testHarness\.ts$/.test(e.name) ? [path] : [];
  });
}

export function sqlOutsideDb(lines: readonly string[]): number[] {
  return lines.flatMap((line, i) => (CALL.test(line) || STATEMENT.test(line) ? [i + 1] : []));
}

describe('no SQL outside db/', () => {
  it('core/ prepares, executes and tunes nothing itself', () => {
    const findings = SCANNED.flatMap((folder) =>
      sourceFiles(join(ROOT, folder)).flatMap((file) => sqlOutsideDb(readFileSync(file, 'utf8').split('\n')).map((line) => `${relative(ROOT, file)}:${line}`)),
    );
    expect(findings, 'move the statement into a repository function in db/ with a typed row').toEqual([]);
  });

  it('the check catches statements and direct connection calls, and leaves regular expressions and prose alone', () => {
    const sample = [
      "const row = this.deps.db.prepare('SELECT 1').get();",
      "db.pragma('cache_size = -1000');",
      "reader.exec('BEGIN');",
      'const sql = `UPDATE items SET grade = ?`;',
      "const m = /^(\\d+)$/.exec(text);",
      "const s = CODABAR.exec(compact);",
      "throw new StationError('CONFLICT', 'error.x', 'Select the line first.');",
      'db.transaction(() => insertItem(db, item))();',
    ];
    expect(sqlOutsideDb(sample)).toEqual([1, 2, 3, 4]);
  });
});
